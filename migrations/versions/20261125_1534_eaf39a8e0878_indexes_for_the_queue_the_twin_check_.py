"""Indexes for the queue, the twin check and the honour roll; award records know their plan.

- nominations (submitted_at, id): the queue's default order read off the index (on PostgreSQL
  in the order "newest first, never handed in last"), and (updated_at, id) for "last changed";
- candidates (name_key, birth_year) replaces (name_key): the same person is found by both;
- award_records.plan_id (filled from the nominations) and (plan_id, award_name, id): a plan's
  honour roll in the decisions' order; award_records.nomination_id.

Revision ID: eaf39a8e0878
Revises: 3d8df6db177f
Create Date: 2026-11-25 15:34:07.015860

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'eaf39a8e0878'
down_revision = '3d8df6db177f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('award_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_award_records_nomination_id'), ['nomination_id'], unique=False)
        batch_op.create_index('ix_award_records_plan_id_award_name_id', ['plan_id', 'award_name', 'id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_award_records_plan_id_plans'), 'plans', ['plan_id'], ['id'])
    op.execute("UPDATE award_records SET plan_id = (SELECT nominations.plan_id FROM nominations "
               "WHERE nominations.id = award_records.nomination_id) WHERE nomination_id IS NOT NULL")

    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidates_name_key'))
        batch_op.create_index('ix_candidates_name_key_birth_year', ['name_key', 'birth_year'], unique=False)

    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.create_index('ix_nominations_submitted_at_id', ['submitted_at', 'id'], unique=False, postgresql_ops={'submitted_at': 'DESC NULLS LAST', 'id': 'DESC'})
        batch_op.create_index('ix_nominations_updated_at_id', ['updated_at', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_index('ix_nominations_updated_at_id')
        batch_op.drop_index('ix_nominations_submitted_at_id', postgresql_ops={'submitted_at': 'DESC NULLS LAST', 'id': 'DESC'})

    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index('ix_candidates_name_key_birth_year')
        batch_op.create_index(batch_op.f('ix_candidates_name_key'), ['name_key'], unique=False)

    with op.batch_alter_table('award_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_award_records_plan_id_plans'), type_='foreignkey')
        batch_op.drop_index('ix_award_records_plan_id_award_name_id')
        batch_op.drop_index(batch_op.f('ix_award_records_nomination_id'))
        batch_op.drop_column('plan_id')


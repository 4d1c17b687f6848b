"""A proposal's dossier holds files of its own (the certificate of an initiative, copies of
earlier decisions).

Revision ID: b8d0f2a4c6e7
Revises: a6c8e0f2b4d5
Create Date: 2026-12-02 03:45:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'b8d0f2a4c6e7'
down_revision = 'a6c8e0f2b4d5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attachments_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_attachments_proposal_id_proposals'), 'proposals',
                                    ['proposal_id'], ['id'])


def downgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attachments_proposal_id_proposals'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attachments_proposal_id'))
        batch_op.drop_column('proposal_id')

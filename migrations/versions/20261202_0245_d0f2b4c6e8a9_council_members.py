"""The emulation and commendation council of a unit: its members over time.

Revision ID: d0f2b4c6e8a9
Revises: c8e0a2b4d6f7
Create Date: 2026-12-02 02:45:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'd0f2b4c6e8a9'
down_revision = 'c8e0a2b4d6f7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'council_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('full_name', sa.String(length=200), nullable=False),
        sa.Column('position', sa.String(length=200), nullable=False),
        sa.Column('role', sa.Enum('chair', 'vice_chair', 'standing', 'member', name='councilrole', native_enum=False,
                                  length=20), nullable=False),
        sa.Column('since', sa.Date(), nullable=False),
        sa.Column('until', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_council_members_created_by_id_users')),
        sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_council_members_unit_id_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_council_members')),
    )
    with op.batch_alter_table('council_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_council_members_unit_id'), ['unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('council_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_council_members_unit_id'))
    op.drop_table('council_members')

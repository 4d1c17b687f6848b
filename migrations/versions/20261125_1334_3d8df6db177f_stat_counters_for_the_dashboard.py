"""Running figures per plan and unit subtree for the dashboard (fill them with `flask rebuild-stats`).

Revision ID: 3d8df6db177f
Revises: 3852d3a6459b
Create Date: 2026-11-25 13:34:23.059291

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3d8df6db177f'
down_revision = '3852d3a6459b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stat_counters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=64), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_stat_counters_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stat_counters')),
    sa.UniqueConstraint('plan_id', 'unit_id', 'metric', name=op.f('uq_stat_counters_plan_id_unit_id_metric'))
    )


def downgrade():
    op.drop_table('stat_counters')

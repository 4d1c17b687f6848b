"""Days an administrator records on the working-day calendar (days off in lieu, days worked).

Revision ID: c8e0a2b4d6f7
Revises: b6d8f0a2c4e5
Create Date: 2026-12-02 02:30:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'c8e0a2b4d6f7'
down_revision = 'b6d8f0a2c4e5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'calendar_days',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('working', sa.Boolean(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calendar_days_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_days')),
        sa.UniqueConstraint('day', name=op.f('uq_calendar_days_day')),
    )


def downgrade():
    op.drop_table('calendar_days')

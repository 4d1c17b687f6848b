"""An individual's exclusions from the year's titles: months in service, long leave.

Revision ID: f2b4d6a8c0e1
Revises: e1a3c5e7f9b2
Create Date: 2026-12-02 01:40:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'f2b4d6a8c0e1'
down_revision = 'e1a3c5e7f9b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('candidate_years', schema=None) as batch_op:
        batch_op.add_column(sa.Column('months_in_service', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('leave_working_days', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('candidate_years', schema=None) as batch_op:
        batch_op.drop_column('leave_working_days')
        batch_op.drop_column('months_in_service')

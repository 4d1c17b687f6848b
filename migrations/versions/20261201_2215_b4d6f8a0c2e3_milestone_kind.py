"""Milestones get a kind (conference report, dossier submission, plain report); a dossier's report
keeps how many nominations the unit had handed in.

Revision ID: b4d6f8a0c2e3
Revises: a3c5e7f9b1d2
Create Date: 2026-12-01 22:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4d6f8a0c2e3'
down_revision = 'a3c5e7f9b1d2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('conference', 'dossier', 'report', name='milestonekind',
                                                      native_enum=False, create_constraint=False, length=20),
                                      server_default='conference', nullable=False))
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('nominations_handed_in', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('progress_reports', schema=None) as batch_op:
        batch_op.drop_column('nominations_handed_in')
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_column('kind')

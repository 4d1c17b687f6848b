"""What a leader writes when approving a proposal (a rejection already keeps its reason).

Revision ID: 5569c8714fa5
Revises: 55116ffaa7fb
Create Date: 2026-12-01 19:30:37.759778

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5569c8714fa5'
down_revision = '55116ffaa7fb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approval_comment', sa.Text(), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('proposals', schema=None) as batch_op:
        batch_op.drop_column('approval_comment')


"""An index for the nomination a reviewer is offered next: each awaiting status in hand-in order.

Revision ID: c1e3a5b7d9f2
Revises: b8d0f2a4c6e7
Create Date: 2026-12-02 08:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c1e3a5b7d9f2'
down_revision = 'b8d0f2a4c6e7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.create_index('ix_nominations_review_order', ['status', 'submitted_at', 'id', 'unit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('nominations', schema=None) as batch_op:
        batch_op.drop_index('ix_nominations_review_order')

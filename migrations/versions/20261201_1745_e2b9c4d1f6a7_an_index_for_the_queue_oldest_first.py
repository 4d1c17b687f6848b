"""An index for the queue's "oldest hand-in first, never handed in last" order, on either database.

Revision ID: e2b9c4d1f6a7
Revises: d7a3f5c2e8b1
Create Date: 2026-12-01 17:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e2b9c4d1f6a7'
down_revision = 'd7a3f5c2e8b1'
branch_labels = None
depends_on = None

OLDEST_FIRST = {  # as tracker.nominations.models.OLDEST_FIRST says it
    "sqlite": "CREATE INDEX ix_nominations_oldest_first ON nominations ((submitted_at IS NULL), submitted_at, id)",
    "postgresql": "CREATE INDEX ix_nominations_oldest_first ON nominations (submitted_at ASC NULLS LAST, id)",
}


def upgrade():
    op.execute(OLDEST_FIRST[op.get_bind().dialect.name])


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_nominations_oldest_first")

"""A trigram index for searches by words in the queue (PostgreSQL; pg_trgm).

Revision ID: d7a3f5c2e8b1
Revises: c4e1a9b7d2f3
Create Date: 2026-12-01 17:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd7a3f5c2e8b1'
down_revision = 'c4e1a9b7d2f3'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX ix_nominations_search_key_trgm ON nominations USING gin (search_key gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_nominations_search_key_trgm")

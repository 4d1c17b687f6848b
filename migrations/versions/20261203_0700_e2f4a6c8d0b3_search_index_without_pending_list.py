"""The trigram index of the search keys takes each write at once (PostgreSQL: fastupdate off).

With GIN's "fast update" a write is parked in the index's pending list (up to 4 MB) and every
search by words reads that whole list too: 5 to 10 ms more on each search of a busy queue. With
it off, a nomination's save updates the index in place (a millisecond or so) and searches read
only the index. The list already parked is merged into the index here.

Revision ID: e2f4a6c8d0b3
Revises: c1e3a5b7d9f2
Create Date: 2026-12-03 07:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e2f4a6c8d0b3'
down_revision = 'c1e3a5b7d9f2'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER INDEX ix_nominations_search_key_trgm SET (fastupdate = off)")
    op.execute("SELECT gin_clean_pending_list('ix_nominations_search_key_trgm')")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER INDEX ix_nominations_search_key_trgm RESET (fastupdate)")

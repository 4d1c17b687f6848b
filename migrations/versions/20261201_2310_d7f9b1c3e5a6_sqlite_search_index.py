"""On SQLite, a trigram index of the nominations' search keys (an FTS5 table kept by triggers), as
PostgreSQL has ix_nominations_search_key_trgm; filled from the keys already there.

Revision ID: d7f9b1c3e5a6
Revises: c6e8a0b2d4f5
Create Date: 2026-12-01 23:10:00

"""
from alembic import op

# The model's statements (tracker.nominations.models.SEARCH_INDEX_SQLITE), written out here so
# that this migration stays what it was whatever the model becomes.
SEARCH_INDEX_SQLITE = (
    "CREATE VIRTUAL TABLE nominations_search USING fts5(search_key, content='nominations', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER nominations_search_insert AFTER INSERT ON nominations BEGIN "
    "INSERT INTO nominations_search(rowid, search_key) VALUES (new.id, new.search_key); END",
    "CREATE TRIGGER nominations_search_delete AFTER DELETE ON nominations BEGIN "
    "INSERT INTO nominations_search(nominations_search, rowid, search_key) VALUES ('delete', old.id, old.search_key); END",
    "CREATE TRIGGER nominations_search_update AFTER UPDATE OF search_key ON nominations BEGIN "
    "INSERT INTO nominations_search(nominations_search, rowid, search_key) VALUES ('delete', old.id, old.search_key); "
    "INSERT INTO nominations_search(rowid, search_key) VALUES (new.id, new.search_key); END",
)

# revision identifiers, used by Alembic.
revision = 'd7f9b1c3e5a6'
down_revision = 'c6e8a0b2d4f5'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in SEARCH_INDEX_SQLITE:
        op.execute(statement)
    op.execute("INSERT INTO nominations_search(nominations_search) VALUES ('rebuild')")


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("nominations_search_update", "nominations_search_delete", "nominations_search_insert"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS nominations_search")

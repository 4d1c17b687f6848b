"""Each nomination keeps its unit's path (rewritten when the unit moves), so that a search by
words narrows the text index to the searched subtree: PostgreSQL intersects a range of
ix_nominations_unit_path with the trigram index's matches; SQLite's FTS5 table indexes the path
beside the search key (the table and its triggers are made again, and filled from the rows).

The column has no default once filled on PostgreSQL (SQLite cannot drop one in place): a row
written around the services without its path is refused there; `flask rebuild-stats` repairs
the paths of rows loaded so. Filling the paths rewrites every nomination once: at a million
nominations on two cores, under a minute on SQLite and about six minutes on PostgreSQL (its
trigram index takes each new row).

Revision ID: f6a8c0e2b4d7
Revises: e2f4a6c8d0b3
Create Date: 2026-12-03 09:00:00

"""
import sqlalchemy as sa
from alembic import op

# The FTS5 table and its triggers before and after (tracker.nominations.models.SEARCH_INDEX_SQLITE),
# written out here so that this migration stays what it was whatever the model becomes.
_TRIGGERS = ("nominations_search_update", "nominations_search_delete", "nominations_search_insert")
SEARCH_INDEX_BEFORE = (
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
SEARCH_INDEX_AFTER = (
    "CREATE VIRTUAL TABLE nominations_search USING fts5(search_key, unit_path, content='nominations', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER nominations_search_insert AFTER INSERT ON nominations BEGIN "
    "INSERT INTO nominations_search(rowid, search_key, unit_path) VALUES (new.id, new.search_key, new.unit_path); END",
    "CREATE TRIGGER nominations_search_delete AFTER DELETE ON nominations BEGIN "
    "INSERT INTO nominations_search(nominations_search, rowid, search_key, unit_path) "
    "VALUES ('delete', old.id, old.search_key, old.unit_path); END",
    "CREATE TRIGGER nominations_search_update AFTER UPDATE OF search_key, unit_path ON nominations BEGIN "
    "INSERT INTO nominations_search(nominations_search, rowid, search_key, unit_path) "
    "VALUES ('delete', old.id, old.search_key, old.unit_path); "
    "INSERT INTO nominations_search(rowid, search_key, unit_path) VALUES (new.id, new.search_key, new.unit_path); END",
)

# revision identifiers, used by Alembic.
revision = 'f6a8c0e2b4d7'
down_revision = 'e2f4a6c8d0b3'
branch_labels = None
depends_on = None


def _remake_search_index(statements) -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS nominations_search")
    for statement in statements:
        op.execute(statement)
    op.execute("INSERT INTO nominations_search(nominations_search) VALUES ('rebuild')")


def upgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # the old table's triggers would not follow the new column: out first
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS nominations_search")
    op.add_column("nominations", sa.Column("unit_path", sa.Text(), server_default="", nullable=False))
    op.execute("UPDATE nominations SET unit_path = (SELECT units.path FROM units WHERE units.id = nominations.unit_id)")
    if sqlite:
        _remake_search_index(SEARCH_INDEX_AFTER)
    else:  # no default from now on: a row written around the services without its path is refused
        op.alter_column("nominations", "unit_path", server_default=None)
        op.create_index("ix_nominations_unit_path", "nominations", ["unit_path"],
                        postgresql_ops={"unit_path": "text_pattern_ops"})


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS nominations_search")
    else:
        op.drop_index("ix_nominations_unit_path", table_name="nominations")
    if sqlite:  # in place (SQLite 3.35+): a batch copy of the table would lose its expression index
        op.execute("ALTER TABLE nominations DROP COLUMN unit_path")
    else:
        op.drop_column("nominations", "unit_path")
    if sqlite:
        _remake_search_index(SEARCH_INDEX_BEFORE)

"""Counting the SQL statements a piece of work runs (for the tests that pages stay flat)."""
from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def statements(db):
    """Yields the list of the statements run inside the block, as they run."""
    seen = []

    def before(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)

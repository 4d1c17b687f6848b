"""The one way a transaction of the tracker is committed.

    commit()   # what the services noted is written with the data, then the transaction commits

A service changes rows and says what it changed (`changes.nominations_changed(...)` and the like,
see tracker.changes); it never commits. Whoever ends the unit of work (a view through tracker.outcome, a
CLI command, the demo) calls `commit()`, which brings the dashboard's running figures up to date
with what was noted, in the same transaction, then commits. `rollback()` drops the notes too.
"""
from tracker import changes
from tracker.extensions import db
from tracker.stats import counters


def commit(session=None) -> None:
    session = session if session is not None else db.session
    counters.apply_noted(session)
    session.commit()


def rollback(session=None) -> None:
    session = session if session is not None else db.session
    session.rollback()
    changes.forget(session)

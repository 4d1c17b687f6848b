"""The one way a transaction of the tracker is committed.

    commit()   # the figures of what the services noted, the data, then the pages' versions

A service changes rows and says what it changed (`changes.nominations_changed(...)` and the like,
see tracker.changes); it never commits. Whoever ends the unit of work (a view through
tracker.outcome, a CLI command, the demo, a test) calls `commit()`, which

1. brings the dashboard's running figures up to date with what was noted, in the same
   transaction (tracker.stats.counters.apply);
2. works out which page scopes the change touches (tracker.pagecache.versions.scopes_of);
3. commits;
4. moves those scopes' versions on, in a short transaction of its own, so that the kept pages
   showing them are rendered again and no other page is.

`rollback()` drops the notes with the transaction.
"""
from tracker import changes
from tracker.extensions import db
from tracker.pagecache.versions import publish, scopes_of
from tracker.stats import counters


def commit(session=None) -> None:
    session = session if session is not None else db.session
    session.flush()
    noted = changes.take(session)
    scopes: set[str] = set()
    if noted:
        counters.apply(session, noted)
        scopes = scopes_of(session, noted)
    session.commit()
    publish(session.get_bind(), scopes)


def rollback(session=None) -> None:
    session = session if session is not None else db.session
    session.rollback()
    changes.forget(session)

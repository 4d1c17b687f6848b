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

A request that only reads (GET, HEAD, OPTIONS) runs its statements on PostgreSQL without a
transaction of its own (`reads_without_a_transaction`, set on each connection it opens): under READ COMMITTED
every statement sees what was committed when it started, in a transaction or not, so what the
page shows is the same, and each request saves the BEGIN and ROLLBACK round trips. A write made
while answering such a request (the bookkeeping of an API token's last use) is committed as it
is flushed. No page writes on a GET; the forms write on POST, in a transaction.
"""
from flask import g, has_request_context, request

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


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def reads_without_a_transaction(connection) -> None:
    """On PostgreSQL, a connection opened while answering a GET, HEAD or OPTIONS runs in
    autocommit (its pool gives it back with the usual isolation level). Registered for every engine by the
    application factory (tracker.register_extensions)."""
    if (connection.dialect.name == "postgresql" and has_request_context()
            and request.method in SAFE_METHODS and not g.get(_WORK) and not connection.in_transaction()):
        connection.execution_options(isolation_level="AUTOCOMMIT")


_WORK = "tracker.commit.work"


def work_in_transactions() -> None:
    """The work of this app context writes, in transactions, even while a GET is being answered
    (a job run at once when its page is opened: tracker.tasks.run_here)."""
    g.setdefault(_WORK, True)

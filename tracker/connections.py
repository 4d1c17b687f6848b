"""The database connections of a process: how PostgreSQL plans their statements, and when a
pooled connection is tested before use.

Plans. psycopg prepares a statement it has run a few times, and PostgreSQL may then plan that
prepared statement once for any values. For a search by words that one plan walks the queue's
order instead of the trigram index (5 s instead of 30 ms at 1,000,000 nominations), and a
subtree's `path LIKE` or a filter by status can go the same way. So psycopg prepares nothing on
its own here: each statement is planned for its own values. Only the statements marked
`PREPARED` (a lookup by keys that every request runs: the signed-in user, the pages' versions)
are prepared, so that PostgreSQL neither parses nor plans them again on every request; their one
plan is the right one whatever the values.

Parallel plans. PostgreSQL may run one statement in several processes (a "parallel plan"),
starting worker processes for it. On a server answering many requests at once that takes the
cores from the other requests and from the writes: the running figures' recount of one ward
at a commit was planned in three processes (14 ms instead of 8). So each connection plans for
`DB_PARALLEL_WORKERS` workers per statement, 0 unless set (PostgreSQL's own default is 2); a
server with cores to spare for long reports may set more.

Testing. A pooled connection may have died while it sat in the pool (PostgreSQL restarted, a firewall
dropped an idle connection). Testing every connection at every checkout (SQLAlchemy's
`pool_pre_ping`) finds that out, at the price of one round trip to the database on every
request: on PostgreSQL a third of what a kept page costs. Here a connection is tested (the
same `do_ping` of the dialect) only when it has been idle in the pool for more than
`DB_PING_AFTER_IDLE_SECONDS`; a dead one is replaced before the request uses it, as
`pool_pre_ping` would. A connection given back moments ago is used as it is: under load every
connection is, and a database that ended it since fails that one request, after which the
pool drops every connection opened before the failure (SQLAlchemy's invalidation on a
disconnect), so the next request of each worker connects afresh. 0 tests at every checkout.
"""
import sys
import time

from sqlalchemy import event, exc

_RETURNED_AT = "tracker.returned_at"
# The execution options of a statement PostgreSQL keeps prepared: `.execution_options(**PREPARED)`.
PREPARED = {"tracker_prepared": True}


def init_app(app, engines) -> None:
    """Plan each statement for its values but the PREPARED ones, and test the connections of
    `engines` (those of Flask-SQLAlchemy) after the app's idle bound."""
    idle = float(app.config.get("DB_PING_AFTER_IDLE_SECONDS", 5))
    workers = int(app.config.get("DB_PARALLEL_WORKERS", 0))
    for engine in engines:
        if engine.dialect.driver == "psycopg":
            event.listen(engine.pool, "connect", _prepare_nothing_on_its_own)
            event.listen(engine.pool, "connect", _parallel_workers(workers))
            event.listen(engine, "do_execute", _prepare_if_marked)
        event.listen(engine.pool, "connect", _returned)  # a new connection counts as just used
        event.listen(engine.pool, "checkin", _returned)
        event.listen(engine.pool, "checkout", _tester(engine, idle))


def _prepare_nothing_on_its_own(dbapi_connection, _record) -> None:
    # psycopg prepares a statement once it has run this many times: never. (None would also
    # refuse the statements that ask for it with prepare=True.)
    dbapi_connection.prepare_threshold = sys.maxsize


def _parallel_workers(workers: int):
    def plan_for(dbapi_connection, _record) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET max_parallel_workers_per_gather = {workers:d}")
        dbapi_connection.commit()  # a setting made in a transaction rolled back would be undone

    return plan_for


def _prepare_if_marked(cursor, statement, parameters, context) -> bool | None:
    if context is not None and context.execution_options.get("tracker_prepared"):
        cursor.execute(statement, parameters, prepare=True)
        return True  # executed here
    return None  # the usual way: an unnamed statement, planned for its values


def _returned(_dbapi_connection, record) -> None:
    if record is not None:
        record.info[_RETURNED_AT] = time.monotonic()


def _tester(engine, idle: float):
    def test_if_idle(dbapi_connection, record, _proxy) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is not None and time.monotonic() - returned <= idle:
            return  # used moments ago
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                # the pool drops every connection as old as this one and opens another
                raise exc.InvalidatePoolError() from error
            raise
        if not alive:
            raise exc.InvalidatePoolError()

    return test_if_idle

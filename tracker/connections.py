"""The database connections of a process: tested before use only after they have been idle.

A pooled connection may have died while it sat in the pool (PostgreSQL restarted, a firewall
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
import time

from sqlalchemy import event, exc

_RETURNED_AT = "tracker.returned_at"


def init_app(app, engines) -> None:
    """Test the connections of `engines` (those of Flask-SQLAlchemy) after the app's idle bound."""
    idle = float(app.config.get("DB_PING_AFTER_IDLE_SECONDS", 5))
    for engine in engines:
        event.listen(engine.pool, "connect", _returned)  # a new connection counts as just used
        event.listen(engine.pool, "checkin", _returned)
        event.listen(engine.pool, "checkout", _tester(engine, idle))


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

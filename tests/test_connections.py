"""Pooled connections are tested before use only after being idle (tracker/connections.py)."""
import time
from contextlib import contextmanager

import pytest
from sqlalchemy.exc import OperationalError

from tests.conftest import IS_POSTGRES, another_server
from tracker.extensions import db


def _use(engine):
    with engine.connect() as connection:
        return connection.exec_driver_sql("SELECT 1").scalar()


def _counting_pings(engine, monkeypatch) -> list:
    pings = []
    real = engine.dialect.do_ping
    monkeypatch.setattr(engine.dialect, "do_ping", lambda connection: pings.append(1) or real(connection))
    return pings


def test_a_connection_used_moments_ago_is_not_tested_one_idle_longer_is(app, monkeypatch):
    with another_server(app, DB_PING_AFTER_IDLE_SECONDS=0.3) as server, server.app_context():
        pings = _counting_pings(db.engine, monkeypatch)
        for _ in range(5):
            assert _use(db.engine) == 1
        assert pings == []  # new, then given back moments before each use: no round trip
        time.sleep(0.4)
        assert _use(db.engine) == 1
        assert pings == [1]  # idle past the bound: tested first


def test_a_bound_of_zero_tests_every_checkout(app, monkeypatch):
    with another_server(app, DB_PING_AFTER_IDLE_SECONDS=0) as server, server.app_context():
        pings = _counting_pings(db.engine, monkeypatch)
        _use(db.engine)
        pings.clear()
        for _ in range(3):
            _use(db.engine)
        assert len(pings) == 3  # every checkout


def _backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()


def _end_backend(pid: int) -> None:
    with db.engine.connect() as connection:  # the main app's own connection
        connection.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
        connection.commit()


@contextmanager
def _pooled_connection_ended_by_the_server(app, idle: float):
    """Another server whose one pooled connection PostgreSQL has just ended; yields its old pid."""
    if not IS_POSTGRES:
        pytest.skip("SQLite has no server to end a connection")
    with another_server(app, DB_PING_AFTER_IDLE_SECONDS=idle) as server, server.app_context():
        first = _backend_pid(db.engine)
        with app.app_context():
            _end_backend(first)
        yield first


def test_a_connection_the_server_ended_while_idle_is_replaced_before_use(app):
    with _pooled_connection_ended_by_the_server(app, idle=0.2) as first:
        time.sleep(0.3)
        assert _backend_pid(db.engine) != first  # tested, found dead, replaced: no error


def test_a_connection_ended_moments_after_use_fails_once_then_the_pool_starts_afresh(app):
    """Within the bound the connection is used as it is: the one request that meets the ended
    connection fails, and the pool drops every connection opened before, so the next works."""
    with _pooled_connection_ended_by_the_server(app, idle=60) as first:
        with pytest.raises(OperationalError):
            _backend_pid(db.engine)
        assert _backend_pid(db.engine) != first


def test_each_statement_is_planned_for_the_workers_the_setting_allows(app):
    """PostgreSQL starts no worker processes for a statement of the tracker unless
    DB_PARALLEL_WORKERS says so; the setting outlives a rolled-back request."""
    if not IS_POSTGRES:
        pytest.skip("parallel plans are PostgreSQL's")

    def workers() -> str:
        with db.engine.connect() as connection:
            shown = connection.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar()
            connection.rollback()
        return shown

    db.engine.dispose()
    assert workers() == "0" and workers() == "0"
    with another_server(app, DB_PARALLEL_WORKERS=3) as server, server.app_context():
        assert workers() == "3"

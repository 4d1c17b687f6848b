"""Fixtures: one app and schema per run, a clean database per test, users per role, a browser."""
import os
import shutil
import socket
import tempfile
import threading
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.serving import make_server

from tests import factories
from tracker import create_app, pagecache, throttle
from tracker.extensions import db as _db
from tracker.commit import commit, rollback

_TMP = tempfile.mkdtemp(prefix="tracker-tests-")
DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_TMP}/test.sqlite3"
IS_POSTGRES = DATABASE_URL.startswith("postgresql")


def pytest_report_header(config):
    shard = f", shard {os.environ['TEST_SHARD']}" if os.environ.get("TEST_SHARD") else ""
    return f"database: {'PostgreSQL' if IS_POSTGRES else 'SQLite'} ({DATABASE_URL.split('@')[-1]}){shard}"


def pytest_collection_modifyitems(config, items):
    """TEST_SHARD=i/n keeps every n-th test from the i-th (scripts/test.sh runs the shards side
    by side, each on its own database): together the shards run every test exactly once."""
    shard = os.environ.get("TEST_SHARD")
    if not shard:
        return
    index, count = (int(part) for part in shard.split("/"))
    kept = [item for position, item in enumerate(items) if position % count == index]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (its own `g`, locale and database session), as in
    production, although the test itself runs inside an app context."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app():
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=DATABASE_URL, UPLOAD_FOLDER=os.path.join(_TMP, "uploads"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        commit()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()
    shutil.rmtree(_TMP, ignore_errors=True)


@contextmanager
def another_server(app, **settings):
    """Another app instance, as another server would run it: the same database and key (and
    `settings` of its own); its connections are closed afterwards."""
    settings = {"UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], **settings}
    server = create_app("testing", SQLALCHEMY_DATABASE_URI=DATABASE_URL, SECRET_KEY=app.config["SECRET_KEY"],
                        **settings)
    server.test_client_class = IsolatedClient
    try:
        yield server
    finally:
        with server.app_context():
            _db.session.remove()
            _db.engine.dispose()


def _wipe():
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    # DELETE in dependency order: on tables this small it is much faster than TRUNCATE,
    # whose cost is per table whatever it holds.
    for name in tables:
        _db.session.execute(text(f"DELETE FROM {name}"))
    commit()


@pytest.fixture(autouse=True)
def app_ctx(app):
    """Every test runs inside an app context and leaves an empty database behind."""
    with app.app_context():
        yield
        rollback()
        _wipe()
        _db.session.remove()
        pagecache.clear()  # ids are reused from one test to the next
        throttle.throttle().reset()  # sign-in and export counts start afresh


@pytest.fixture
def db():
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def tree():
    units = factories.make_city_tree()
    commit()
    return units


@pytest.fixture
def award():
    """The award catalogue loaded; award(code, regime="2017") is one of its award types."""
    from sqlalchemy import select

    from tracker.catalogue.models import AwardType
    from tracker.catalogue.services import load_catalogue
    from tracker.extensions import db as _db

    load_catalogue(None)
    _db.session.flush()
    return lambda code, regime="2017": _db.session.scalar(
        select(AwardType).where(AwardType.code == code, AwardType.regime == regime))


@pytest.fixture
def users(tree):
    """One user per role in city A, a ward officer per ward, and the same roles in city B."""
    people = factories.role_users(tree)
    commit()
    return people


def sign_in_cookie(client, user) -> str:
    """Open a server-side session for `user` (as the sign-in form does) and put it in the
    client's cookie; returns the session's token."""
    from tracker.users import sessions

    session_ = _db.session()
    keep, session_.expire_on_commit = session_.expire_on_commit, False  # the test's objects stay loaded
    try:
        token = sessions.start_session(user, ip="127.0.0.1")
        session_.commit()
    finally:
        session_.expire_on_commit = keep
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session[sessions.SESSION_KEY] = token
    return token


@pytest.fixture
def login_as(client):
    """Sign a test client in as `user` without the form (the form has its own tests)."""

    def _login(user):
        sign_in_cookie(client, user)
        return client

    return _login


# --- browser -----------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def _http_server(app):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture
def live_server(app, _http_server, monkeypatch):
    """The app served over real HTTP on a loopback port, with CSRF switched on as in production."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return _http_server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# --- every view says what it changed -----------------------------------------------------------

# What no kept page shows: sessions, the audit log, the figures and versions themselves, the
# reminders' log, background jobs (their pages are never kept), and a user's own bookkeeping (their
# pages are keyed by their row's stamp).
_NOT_SHOWN = {"user_sessions", "audit_events", "stat_counters", "page_versions", "reminder_logs",
              "attachments", "report_versions", "progress_report_honours", "jobs",
              "api_tokens",  # no kept page shows a token
              "council_members", "council_meetings", "council_meeting_attendance", "council_meeting_items",
              "council_meeting_recusals",  # nor a council or its meetings (their pages are never kept)
              "revocations",  # nor a revocation (its decision says the candidate and the roll changed)
              "public_objections"}  # nor an objection (the proposal's and the posting's pages are never kept)
_OWN_USER_FIELDS = {"last_login_at", "updated_at", "password_hash", "locale", "calendar_token", "version"}


@pytest.fixture(autouse=True)
def views_say_what_they_change(app, monkeypatch):
    """A commit made while answering a request that changed something a kept page may show must
    carry the services' notes (tracker.changes): a service that forgot to say what it changed
    fails here instead of leaving stale pages."""
    from flask import has_request_context
    from sqlalchemy import event, inspect

    from tracker import changes

    real_take = changes.take

    def take(session):
        taken = real_take(session)
        session.info["tests.noted"] = bool(taken)
        return taken

    def after_flush(session, _context):
        shown = session.info.setdefault("tests.shown", set())
        for obj in [*session.new, *session.deleted, *session.dirty]:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in _NOT_SHOWN:
                continue
            if obj in session.dirty:
                changed = {a.key for a in inspect(obj).attrs if a.history.has_changes()}
                if not changed or (table == "users" and changed <= _OWN_USER_FIELDS):
                    continue
            shown.add(table)

    def before_commit(session):
        if session.in_nested_transaction():  # a savepoint inside a service: the commit comes later
            return
        shown, noted = session.info.pop("tests.shown", set()), session.info.pop("tests.noted", False)
        if shown and not noted and has_request_context():
            raise AssertionError(f"a request changed {sorted(shown)} without saying so (tracker.changes)")

    def after_end(session, transaction):
        if transaction.parent is None:
            session.info.pop("tests.shown", None)
            session.info.pop("tests.noted", None)

    monkeypatch.setattr(changes, "take", take)
    listeners = (("after_flush", after_flush), ("before_commit", before_commit),
                 ("after_transaction_end", after_end))
    for name, listener in listeners:
        event.listen(_db.session, name, listener)
    yield
    for name, listener in listeners:
        event.remove(_db.session, name, listener)

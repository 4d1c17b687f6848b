"""Rendered pages, kept while the data they show has not changed.

The dashboard, the deadline view, the queue, a nomination and the honour roll are read far more
often than data changes, and at national scale most of their cost is rendering HTML (their
figures already come from the running counters). The view first loads and permits (a record
outside the user's scope is a 404 before any body is looked up); then `render_page` renders the
page once and keeps it in one store that every worker and server shares (Flask-Caching: Redis
when REDIS_URL is set, else the process's memory; Redis unreachable: the page renders from the
database), under a key made of the page (path and query string), the user, the language,
today's date and the **data version**.
Everything a page shows is data (the unread notices, the user's name and unit included), so
the key says all it depends on.

The data version is one row that every commit of the application's session changing data moves
on (services, imports, the CLI): a session hook notes flushed changes and ORM bulk statements
(not text() SQL), and bumps the row in the same transaction. Data changed from outside the
application (psql, a data migration while it runs) needs a restart of the workers or one
commit through it. A body is therefore never older than the
data it was rendered from: reading the version first and the data after can only give a body
newer than its key, never older.

Forms inside a cached body carry a placeholder instead of the CSRF token; it is replaced with
the requesting session's own token on the way out.
"""
import hashlib
import secrets

from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event, insert, inspect, update

from tracker import clock
from tracker.pagecache.models import DataVersion

_CHANGED = "tracker.pagecache.changed"
# Unguessable, so that no text a user types can be taken for it; only value="…" is replaced.
CSRF_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"
_CSRF_VALUE = f'value="{CSRF_PLACEHOLDER}"'


# --- the data version ----------------------------------------------------------------------


def current_version(db_session) -> int | None:
    """Read on every cached view, so read the shortest way (no ORM)."""
    return db_session.connection().exec_driver_sql("SELECT value FROM data_version WHERE id = 1").scalar()


def bump(db_session) -> None:
    if db_session.execute(update(DataVersion).where(DataVersion.id == 1)
                          .values(value=DataVersion.value + 1)).rowcount == 0:
        db_session.execute(insert(DataVersion).values(id=1, value=1))


# Sign-in bookkeeping no cached page shows: the auth.* audit events and the user's last sign-in
# (that user's own pages still change: the key holds the user row's stamp). Without this, every
# sign-in anywhere would re-render every page of every worker.
_SIGN_IN_FIELDS = {"last_login_at", "updated_at"}


def _shown(obj, new: bool) -> bool:
    """Whether writing `obj` can change what a page shows."""
    from tracker.audit.models import AuditEvent
    from tracker.users.models import User, UserSession

    if isinstance(obj, UserSession):
        return False
    if isinstance(obj, AuditEvent):
        return not (obj.action or "").startswith("auth.")
    if isinstance(obj, User) and not new:
        return bool({a.key for a in inspect(obj).attrs if a.history.has_changes()} - _SIGN_IN_FIELDS)
    return True


def _after_flush(session, flush_context) -> None:
    if (any(_shown(o, True) for o in session.new) or session.deleted
            or any(session.is_modified(o) and _shown(o, False) for o in session.dirty)):
        session.info[_CHANGED] = True


def _kept_away(mapper) -> bool:
    from tracker.users.models import UserSession

    return mapper is not None and mapper.class_ in (DataVersion, UserSession)


def _do_orm_execute(state):
    """ORM statements that bypass the flush: an INSERT moves the version on; an UPDATE or DELETE
    only when it changed rows (marking no notification read changes nothing a page shows)."""
    if _kept_away(state.bind_mapper):
        return None
    if state.is_insert:
        state.session.info[_CHANGED] = True
    elif state.is_update or state.is_delete:
        result = state.invoke_statement()
        if result.rowcount:
            state.session.info[_CHANGED] = True
        return result
    return None


def _before_commit(session) -> None:
    session.flush()
    if session.info.pop(_CHANGED, False):
        bump(session)


def _after_transaction_end(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)


def register(db) -> None:
    """Attach the hooks to the application's sessions (once; repeated calls do nothing)."""
    for name, listener in (("after_flush", _after_flush), ("do_orm_execute", _do_orm_execute),
                           ("before_commit", _before_commit), ("after_transaction_end", _after_transaction_end)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


# --- the pages ---------------------------------------------------------------------------------


def init_app(app) -> None:
    """One store for every worker and server: Flask-Caching on Redis when REDIS_URL is set, else
    this process's memory (at most PAGE_CACHE_ITEMS bodies). PAGE_CACHE_MB = 0 turns it off."""
    from flask_caching import Cache

    redis_url = app.config.get("REDIS_URL", "")
    settings = {"CACHE_DEFAULT_TIMEOUT": app.config.get("PAGE_CACHE_SECONDS", 3600),
                "CACHE_KEY_PREFIX": app.config.get("PAGE_CACHE_PREFIX", "tracker-page:")}
    if redis_url:
        settings.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_url,
                        CACHE_OPTIONS={"socket_timeout": 0.5, "socket_connect_timeout": 0.5})
    else:
        settings.update(CACHE_TYPE="SimpleCache", CACHE_THRESHOLD=app.config.get("PAGE_CACHE_ITEMS", 500))
    cache = Cache()
    cache.init_app(app, config=settings)
    app.extensions["tracker.pagecache"] = cache


def _cache():
    return current_app.extensions["tracker.pagecache"]


class _Store:
    """The app's cache, read and written so that a store that cannot be reached (Redis down)
    only costs a render from the database, never an error."""

    def get(self, key: str):
        try:
            return _cache().get(key)
        except Exception:  # noqa: BLE001 - any failure of the store: render instead
            current_app.logger.warning("page cache unreachable: rendering from the database", exc_info=True)
            return None

    def put(self, key: str, value: str, budget: int) -> None:
        if len(value) > budget:
            return
        try:
            _cache().set(key, value)
        except Exception:  # noqa: BLE001
            current_app.logger.warning("page cache unreachable: the page is not kept", exc_info=True)

    def clear(self) -> None:
        try:
            _cache().clear()
        except Exception:  # noqa: BLE001
            pass


_store = _Store()


def clear() -> None:
    """Forget every kept page of this app (its own key prefix only, on Redis)."""
    _store.clear()


def _budget() -> int:
    """The largest body kept, in characters (0: the cache is off)."""
    return int(current_app.config.get("PAGE_CACHE_MB", 32) * 1024 * 1024)


def _key(parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _render(template: str, context) -> str:
    """The page, with the CSRF placeholder in its forms."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    own_token = g.pop(field, None)
    setattr(g, field, CSRF_PLACEHOLDER)  # what generate_csrf() returns for the rest of this render
    try:
        return render_template(template, **context())
    finally:
        g.pop(field, None)
        if own_token is not None:
            setattr(g, field, own_token)


def render_page(template: str, context) -> str:
    """The page `template` for this request: from the cache when the data has not changed since
    it was rendered for this user, page and language, else rendered from `context()` (a
    callable: the queries run only then) and kept. A request with messages to flash is rendered
    afresh and not kept (the messages belong to this request only)."""
    from tracker.extensions import db

    key = None
    if _budget() and "_flashes" not in session:
        version = current_version(db.session)
        if version is not None:
            # The user was read before the version: their row's own stamp goes into the key, so
            # a page rendered from a user row older than the version is never served once the
            # row has changed (moved to another unit, another role, another language).
            user = (current_user.get_id(), current_user.updated_at) if current_user.is_authenticated else None
            key = _key((request.path, tuple(sorted(request.args.items(multi=True))), user, str(get_locale()),
                        clock.today(), version))
    html = _store.get(key) if key is not None else None
    if html is None:
        html = _render(template, context)
        if key is not None:
            _store.put(key, html, _budget())
    if _CSRF_VALUE in html:
        html = html.replace(_CSRF_VALUE, f'value="{generate_csrf()}"')
    return html

"""Rendered pages, kept while the data they show has not changed.

The dashboard, the deadline view, the queue, a nomination and the honour roll are read far more
often than data changes, and at national scale most of their cost is rendering HTML (their
figures already come from the running counters). The view first loads and permits (a record
outside the user's scope is a 404 before any body is looked up); then `render_page` renders the
page once and keeps it in one store that every worker and server shares (Flask-Caching: Redis
when REDIS_URL is set, else the process's memory; Redis unreachable: the page renders from the
database), under a key made of the page (path and query string), the user, the language,
today's date and the **versions of the scopes it shows** (tracker.pagecache.versions: the
shared tree, the user's own scope, and the plan's or the units' scopes the view names).
Everything a page shows is data (the unread notices, the user's name and unit included), so
the key says all it depends on.

Nothing guesses what changed: the services say it (tracker.changes) and `tracker.commit.commit()`
moves the touched scopes on after the commit. A change in one ward makes stale only the pages of
its plan at that ward and its ancestors (and the pages of any plan there, for the queue and the
nominations); another province's or another plan's pages stay kept, and a commit that changed
nothing makes nothing stale. The versions are read before the data, and moved on after the data
commits, so a body is never older than the key it is kept under. Data changed from outside the
services (psql, a data migration while the workers run) shows when the kept bodies expire
(PAGE_CACHE_SECONDS) or the cache is cleared.

Forms inside a cached body carry a placeholder instead of the CSRF token; it is replaced with
the requesting session's own token on the way out.
"""
import hashlib
import secrets

from flask import current_app, g, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from tracker import clock
from tracker.extensions import db
from tracker.pagecache import versions

# Unguessable, so that no text a user types can be taken for it; only value="…" is replaced.
CSRF_PLACEHOLDER = f"csrf-placeholder-{secrets.token_hex(16)}"
_CSRF_VALUE = f'value="{CSRF_PLACEHOLDER}"'.encode()
# Bodies are kept encoded (UTF-8), as they are sent: a kept page is never encoded again. The
# format is part of every key, so that bodies kept in another format are never read.
_FORMAT = "utf-8 bytes"


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

    def put(self, key: str, value: bytes, budget: int) -> None:
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
    """Forget every kept page of this app (its own key prefix only, on Redis), this process's
    copy of the tree (tracker.pagecache.tree) and the nominations' units it holds
    (nominations.queries.placed)."""
    from tracker.nominations import queries as nominations
    from tracker.pagecache import tree

    _store.clear()
    tree.forget()
    nominations.forget_units()


def _budget() -> int:
    """The largest body kept, in bytes (0: the cache is off)."""
    return int(current_app.config.get("PAGE_CACHE_MB", 32) * 1024 * 1024)


def _key(parts) -> str:
    return hashlib.sha256(repr((_FORMAT, parts)).encode()).hexdigest()


def _render(template: str, context) -> bytes:
    """The page, with the CSRF placeholder in its forms and the moment its figures were read."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    own_token = g.pop(field, None)
    setattr(g, field, CSRF_PLACEHOLDER)  # what generate_csrf() returns for the rest of this render
    try:
        return render_template(template, **context(), figures_as_of=clock.now()).encode()
    finally:
        g.pop(field, None)
        if own_token is not None:
            setattr(g, field, own_token)


def render_page(template: str, context, scopes=()) -> bytes:
    """The page `template` for this request, showing what `scopes` hold (see versions: the tree
    and the user's own scope are always added): from the cache when none of those scopes has
    changed since it was rendered for this user, page and language, else rendered from
    `context()` (a callable: the queries run only then) and kept. The view has loaded and
    permitted everything before. A request with messages to flash is rendered afresh and not
    kept (the messages belong to this request only).

    PAGE_STALE_SECONDS (0: never) lets a page be served as it was a few seconds before without
    reading the versions again: rather than rendered again for every reader while a whole
    country writes (the national dashboard at 10 commits a second), and rather than a read of the
    versions for every request while nothing changes. Every page says when its figures were
    read ("Số liệu lúc 09:41:05"), and a user who has just changed something is never served a
    page as it was before their change. The view's own load and permission run on every request
    whatever the bound: only the body may be that old, never the decision to show it (which
    reads the session and its user as this worker read them within SESSION_RECHECK_SECONDS:
    users.sessions; the body is then kept under the tree's version of that read)."""
    html = key = latest = None
    if _budget() and "_flashes" not in session:
        user = (current_user.get_id(), current_user.updated_at) if current_user.is_authenticated else None
        shown = [versions.TREE, *scopes]
        if current_user.is_authenticated:
            shown.append(versions.user_scope(current_user.id))
        # The user was read before the versions: their row's own stamp goes into the key, so a
        # page rendered from a user row older than the versions is never served once the row
        # has changed (moved to another unit, another role, another language).
        page = (request.path, tuple(sorted(request.args.items(multi=True))), user, str(get_locale()),
                clock.today(), tuple(shown))
        latest = _key(("latest", *page))
        # Within PAGE_STALE_SECONDS of the last time the versions were read for this page, the
        # page as it was then (not before this user's own last change): no read at all.
        html = _recent(latest)
        if html is None:
            # Taken before anything is read: a change committed after this moment may be missing
            # from the body, so the body counts as this old.
            read_at = clock.utcnow_real().timestamp()
            key = _key((*page, versions.read_as_this_request(db.session, shown)))
            html = _store.get(key)
            if html is not None and current_app.config.get("PAGE_STALE_SECONDS", 0):
                _store.put(latest, _stamped(read_at, html), _budget())  # still the page at this moment
    if html is None:
        html = _render(template, context)
        if key is not None:
            _store.put(key, html, _budget())
            _store.put(latest, _stamped(read_at, html), _budget())
    if _CSRF_VALUE in html:
        html = html.replace(_CSRF_VALUE, f'value="{generate_csrf()}"'.encode())
    return html


def _stamped(read_at: float, html: bytes) -> bytes:
    return repr(read_at).encode() + b"|" + html


def _recent(latest_key: str) -> bytes | None:
    """The page's last rendering when what it read is younger than PAGE_STALE_SECONDS and than
    this user's last change."""
    bound = current_app.config.get("PAGE_STALE_SECONDS", 0)
    if not bound:
        return None
    kept = _store.get(latest_key)
    if not kept:
        return None
    stamp, _sep, html = kept.partition(b"|")
    rendered = float(stamp)
    now = clock.utcnow_real().timestamp()
    if now - rendered > bound or rendered < session.get(versions.WROTE_AT, 0):
        return None
    return html

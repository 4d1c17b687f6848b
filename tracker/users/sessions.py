"""Server-side sessions: the one place that decides whether a signed-in browser is still signed in.

The signed cookie holds a random token; the `user_sessions` row behind it says whether that
session is still open. Every worker and server reads the same table, so ending a session ends
it everywhere, and a cookie replayed after sign-out (or signed with a leaked key) opens nothing
without its row: at once for every form sent, and within SESSION_RECHECK_SECONDS for a page
that only reads, which a worker may answer with what it read of the session a moment before
(`user_of`'s `reuse_within`).
"""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import logging

from flask import current_app
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy import inspect as inspect_mapped
from sqlalchemy.orm import contains_eager, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from tracker import clock
from tracker.audit import services as audit
from tracker.connections import PREPARED
from tracker.extensions import db
from tracker.users.models import User, UserSession

# The key of the token in Flask's session cookie.
SESSION_KEY = "_sid"
# A session's last activity is written at most this often (a write per request would be waste).
TOUCH_EVERY = timedelta(minutes=1)
# Ended and expired sessions are kept this long for the account page and audits, then removed.
KEEP_ENDED = timedelta(days=30)

# Why a session ended (stored in user_sessions.end_reason).
SIGNED_OUT = "signed_out"
PASSWORD_CHANGED = "password_changed"
DEACTIVATED = "deactivated"
ACCESS_CHANGED = "access_changed"
ENDED_BY_USER = "ended_by_user"
EXPIRED = "expired"


@dataclass(frozen=True)
class Lifetimes:
    idle: timedelta
    absolute: timedelta

    @classmethod
    def from_config(cls, config) -> "Lifetimes":
        return cls(timedelta(minutes=config["SESSION_IDLE_MINUTES"]), timedelta(days=config["SESSION_MAX_DAYS"]))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _now() -> datetime:
    """Sessions live in real time: a pinned TRACKER_TODAY must not expire or prolong them."""
    return clock.utcnow_real()


def start_session(user: User, *, ip: str = "", user_agent: str = "", now: datetime | None = None) -> str:
    """Open a session for `user` and return its token (for the cookie; never stored as is).

    Also removes this user's sessions that ended more than 30 days ago.
    """
    now = now or _now()
    token = secrets.token_urlsafe(32)
    db.session.execute(delete(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_not(None),
        UserSession.ended_at < now - KEEP_ENDED))
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token), created_at=now, last_seen_at=now,
                               ip=(ip or "")[:64], user_agent=(user_agent or "")[:200]))
    db.session.flush()
    return token


def is_expired(row: UserSession, now: datetime, lifetimes: Lifetimes) -> bool:
    return (now - _aware(row.last_seen_at) > lifetimes.idle
            or now - _aware(row.created_at) > lifetimes.absolute)


@dataclass(frozen=True)
class SignedIn:
    user: User
    also: tuple  # the values of the columns asked for beside the user, in their order


def user_of(token: str | None, user_id: str | None, lifetimes: Lifetimes, now: datetime | None = None,
            also: tuple = (), reuse_within: float = 0, wrote_at: float = 0) -> SignedIn | None:
    """The active user of an open, unexpired session (with the values of the columns `also`,
    read in the same statement), or None (then the browser is signed out).

    One indexed read (session and user together, and whatever the caller asks beside them: the
    application reads the tree's version there, which every kept page's gate needs next). An
    expired session is marked ended; the last activity is written at most once a minute, in its
    own short transaction, so that a page that changes nothing still writes nothing of the
    request's own.

    `reuse_within` (seconds; 0: read every time): what this process read of this session less
    than that long ago, and not before `wrote_at` (the browser's own last change), is taken
    again without reading: the caller passes it only for requests that change nothing. A
    session ended elsewhere (another worker, another server) then stops such requests within
    that bound; one ended here is forgotten at once (`_forget`).
    """
    if not token or not user_id or not str(user_id).isdigit():
        return None
    now = now or _now()
    token_hash = _hash(token)
    if reuse_within > 0:
        kept = _recent().get(token_hash)
        if kept is not None and kept.usable(int(user_id), now, reuse_within, wrote_at, lifetimes):
            # a copy of the user (and unit) in this request's session, as loaded: no statement
            return SignedIn(db.session.merge(kept.user, load=False), kept.also)
    found = db.session.execute(_statement(also), {"token_hash": token_hash, "user_id": int(user_id)}).first()
    if found is None:
        return None
    user, row = found[0], _SessionTimes(*found[1:5])
    if row.ended_at is not None or not user.active:
        return None
    if is_expired(row, now, lifetimes):
        _write(update(UserSession).where(UserSession.id == row.id, UserSession.ended_at.is_(None))
               .values(ended_at=now, end_reason=EXPIRED))
        return None
    if now - _aware(row.last_seen_at) >= TOUCH_EVERY:
        _write(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
    signed_in = SignedIn(user, tuple(found[5:]))
    if reuse_within > 0:
        _keep(token_hash, _Read(now.timestamp(), user.id, _detached_copy(user), row, signed_in.also))
    return signed_in


# --- sessions read a moment ago (user_of's reuse_within) ----------------------------------------

_RECENT = "tracker.users.sessions.recent"
_RECENT_MOST = 10_000  # sessions remembered by a process; past that it starts again


@dataclass(frozen=True)
class _Read:
    at: float  # the moment of the read (real time, seconds): taken before the statement ran
    user_id: int
    user: User  # a copy never attached to any session (each request merges its own)
    times: "_SessionTimes"
    also: tuple

    def usable(self, user_id: int, now: datetime, within: float, wrote_at: float,
               lifetimes: Lifetimes) -> bool:
        age = now.timestamp() - self.at
        return (self.user_id == user_id and 0 <= age <= within and self.at >= wrote_at
                and not is_expired(self.times, now, lifetimes))


def _recent() -> dict:
    return current_app.extensions.setdefault(_RECENT, {})


def _keep(token_hash: str, read: _Read) -> None:
    recent = _recent()
    if len(recent) >= _RECENT_MOST:
        recent.clear()
    recent[token_hash] = read


def _forget(user_id: int) -> None:
    """Every session of `user_id` this process read a moment ago is read again next time."""
    recent = _recent()
    for token_hash in [key for key, read in list(recent.items()) if read.user_id == user_id]:
        recent.pop(token_hash, None)


def _detached_copy(user: User) -> User:
    """The user with its unit, as loaded, in objects of no session."""
    copy = _copied(user)
    set_committed_value(copy, "unit", _copied(user.unit))
    return copy


def _copied(instance):
    state = inspect_mapped(instance)
    copy = state.mapper.class_manager.new_instance()
    for attribute in state.mapper.column_attrs:
        if attribute.key not in state.unloaded:
            set_committed_value(copy, attribute.key, getattr(instance, attribute.key))
    make_transient_to_detached(copy)
    return copy


_STATEMENTS: dict = {}


def _statement(also: tuple):
    """_USER_OF with the columns `also` (built once for each set of columns)."""
    if also not in _STATEMENTS:
        _STATEMENTS[also] = _USER_OF.add_columns(*also) if also else _USER_OF
    return _STATEMENTS[also]


@dataclass(frozen=True)
class _SessionTimes:
    id: int
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None


# Every signed-in request runs this: the user with its unit (which every permission reads) as
# one mapped row, and only the session's times beside it (no second mapped object to build).
_USER_OF = (select(User, UserSession.id, UserSession.created_at, UserSession.last_seen_at, UserSession.ended_at)
            .join(UserSession, UserSession.user_id == User.id)
            .join(User.unit)
            .options(contains_eager(User.unit))
            .where(UserSession.token_hash == bindparam("token_hash"), UserSession.user_id == bindparam("user_id"))
            .execution_options(**PREPARED))  # by keys: PostgreSQL keeps it prepared (tracker.connections)


def _write(statement) -> None:
    """Session bookkeeping, committed apart from the request's own transaction. A failure is
    logged, never shown: the user's request does not depend on it."""
    try:
        with db.engine.begin() as connection:
            connection.execute(statement)
    except Exception:  # noqa: BLE001 - bookkeeping only
        logging.getLogger(__name__).warning("could not record session activity", exc_info=True)


def current_session_id(token: str | None) -> int | None:
    if not token:
        return None
    return db.session.scalar(select(UserSession.id).where(UserSession.token_hash == _hash(token)))


def sign_out(user: User, token: str | None, *, ip: str = "", now: datetime | None = None) -> None:
    """End the session behind `token` on every server, and audit the sign-out."""
    _forget(user.id)
    if token:
        db.session.execute(update(UserSession).where(UserSession.token_hash == _hash(token),
                                                      UserSession.ended_at.is_(None))
                           .values(ended_at=now or _now(), end_reason=SIGNED_OUT))
    audit.record(user, "auth.logout", user, "", ip=ip)


def end_sessions_of(user: User, reason: str, *, keep_token: str | None = None, now: datetime | None = None) -> int:
    """End every open session of `user` (but the one of `keep_token`); how many were open."""
    _forget(user.id)
    statement = (update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
                 .values(ended_at=now or _now(), end_reason=reason))
    if keep_token:
        statement = statement.where(UserSession.token_hash != _hash(keep_token))
    return db.session.execute(statement).rowcount or 0


def end_other_sessions(user: User, *, keep_token: str | None) -> int:
    """The user ends all their sessions but this one (a lost phone, a shared computer)."""
    ended = end_sessions_of(user, ENDED_BY_USER, keep_token=keep_token)
    audit.record(user, "auth.sessions_ended", user, str(ended))
    return ended


def open_sessions(user: User, lifetimes: Lifetimes, now: datetime | None = None) -> list[UserSession]:
    """The user's sessions still open, the most recently used first (at most 50)."""
    now = now or _now()
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
                                  UserSession.created_at > now - lifetimes.absolute,
                                  UserSession.last_seen_at > now - lifetimes.idle)
        .order_by(UserSession.last_seen_at.desc()).limit(50))
    return list(rows)


def end_own_session(user: User, session_id: int, *, now: datetime | None = None) -> bool:
    """The user ends one of their own sessions (another browser or device). False if it is not
    theirs or already ended."""
    _forget(user.id)
    ended = db.session.execute(
        update(UserSession).where(UserSession.id == session_id, UserSession.user_id == user.id,
                                  UserSession.ended_at.is_(None))
        .values(ended_at=now or _now(), end_reason=ENDED_BY_USER)).rowcount
    if ended:
        audit.record(user, "auth.session_ended", user, f"session {session_id}")
    return bool(ended)

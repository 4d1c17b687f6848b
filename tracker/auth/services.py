"""Signing in: the password check, its throttling and its audit trail.

Throttling is built so that nobody can lock another person out:

- a (username, address) pair is refused after LOGIN_MAX_FAILURES failures within
  LOGIN_WINDOW_MINUTES (the attacker's address, not the account, is stopped);
- failures for a username from addresses it has never signed in from slow that username down
  step by step (LOGIN_LIMIT_PER_USERNAME), but only for such addresses: its owner, from an
  address they signed in from before (LOGIN_KNOWN_ADDRESS_DAYS), keeps signing in;
- one address may try only so many sign-ins whatever the usernames (LOGIN_LIMIT_PER_ADDRESS).

A wrong password for a real user and any password for an unknown username go through the same
steps, one password hash each, and get the same message: neither time nor words tell them apart.
"""
import logging
import math
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import clock
from tracker.audit import services as audit
from tracker.audit.models import AuditEvent
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.throttle import Refusal, Throttle
from tracker.users.models import User
from tracker.users.services import normalize_username

log = logging.getLogger(__name__)


class SignInRefused(DomainError):
    """A refused sign-in; its message belongs under the password."""

    def __init__(self, message):
        super().__init__(message, field="password")


class SignInThrottled(SignInRefused):
    """Too many attempts: try again after `retry_after` seconds (answered with 429)."""

    status = 429

    def __init__(self, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(str(_l("Too many sign-in attempts. Try again in %(minutes)d minutes.", minutes=minutes)))
        self.retry_after = retry_after


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash of a password nobody knows, made like real ones, to check unknown usernames against."""
    return generate_password_hash(secrets.token_hex(16), method=method)


def pair_limit(config) -> str:
    return f"{config['LOGIN_MAX_FAILURES']} per {config['LOGIN_WINDOW_MINUTES']} minutes"


def is_known_address(username: str, ip: str, now: datetime, config) -> bool:
    """Whether `username` signed in successfully from `ip` within LOGIN_KNOWN_ADDRESS_DAYS."""
    if not ip:
        return False
    since = now - timedelta(days=config["LOGIN_KNOWN_ADDRESS_DAYS"])
    return db.session.scalar(
        select(AuditEvent.id).where(AuditEvent.action == "auth.login", AuditEvent.username == username,
                                    AuditEvent.created_at >= since, AuditEvent.ip == ip).limit(1)
    ) is not None


def _refuse_if(refusal: Refusal | None, username: str, ip: str, why: str) -> None:
    if refusal is not None:
        log.warning("sign-in throttled (%s) for %r from %s", why, username, ip)
        raise SignInThrottled(refusal.retry_after)


def authenticate(username: str, password: str, config, throttle: Throttle, ip: str = "",
                 now: datetime | None = None) -> User:
    """Check a sign-in attempt, throttle it and audit it.

    Raises SignInThrottled (too many attempts from this address, for this username from this
    address, or for this username from unknown addresses), SignInRefused for a wrong username or
    password (the same message for both) and for a deactivated account.
    """
    now = now or clock.utcnow_real()  # throttling windows run in real time, never a pinned day
    username = normalize_username(username)[:64]
    _refuse_if(throttle.hit(config["LOGIN_LIMIT_PER_ADDRESS"], "login-address", ip), username, ip, "address")
    _refuse_if(throttle.check(pair_limit(config), "login-pair", username, ip), username, ip, "pair")
    known = is_known_address(username, ip, now, config)
    if not known:
        _refuse_if(throttle.check(config["LOGIN_LIMIT_PER_USERNAME"], "login-username", username),
                   username, ip, "username")
    user = db.session.scalar(select(User).where(User.username == username))
    method = config.get("PASSWORD_HASH_METHOD", "scrypt")
    matches = check_password_hash(user.password_hash if user is not None else _dummy_hash(method), password)
    if user is None or not matches:
        throttle.hit(pair_limit(config), "login-pair", username, ip)
        if not known:
            throttle.hit(config["LOGIN_LIMIT_PER_USERNAME"], "login-username", username)
        audit.record(None, "auth.login_failed", user, "", username=username, ip=ip,
                     unit_id=user.unit_id if user else None)
        raise SignInRefused(str(_l("Wrong username or password.")))
    if not user.active:
        audit.record(None, "auth.login_failed", user, "inactive", username=username, ip=ip)
        raise SignInRefused(str(_l("This account has been deactivated. Contact your administrator.")))
    throttle.clear(pair_limit(config), "login-pair", username, ip)
    user.last_login_at = now
    audit.record(user, "auth.login", user, "", ip=ip)
    return user

"""Making, using and revoking personal access tokens; each change is audited."""
import hashlib
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from tracker import clock
from tracker.audit.services import record
from tracker.errors import InvalidData
from tracker.extensions import db
from tracker.tokens.models import ApiToken, TokenScope
from tracker.users.models import User

PREFIX = "tdkt_"  # tells a tracker token apart in a log or a secrets scanner
LIFETIMES = (30, 90, 180, 365)  # days a token may be made for
MAX_OPEN_TOKENS = 20  # per user
TOUCH_EVERY = timedelta(minutes=5)  # how often last_used_at is written (not on every request)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(actor: User, name: str, scope: TokenScope | None, days: int | None) -> tuple[ApiToken, str]:
    """A new token of `actor` (its secret, returned once, is never stored); InvalidData for a
    missing name, an unknown scope or lifetime, or too many open tokens."""
    name = (name or "").strip()
    errors: dict[str, list] = {}
    if not name:
        errors.setdefault("name", []).append(_l("Give the token a name (the system that will use it)."))
    elif len(name) > 100:
        errors.setdefault("name", []).append(_l("At most %(max)s characters.", max=100))
    if not isinstance(scope, TokenScope):
        errors.setdefault("scope", []).append(_l("Choose what the token may do."))
    if days not in LIFETIMES:
        errors.setdefault("days", []).append(_l("Choose how long the token lasts."))
    if not errors and len(open_tokens(actor)) >= MAX_OPEN_TOKENS:
        errors.setdefault("name", []).append(
            _l("You have %(n)s tokens in use: revoke one you no longer need first.", n=MAX_OPEN_TOKENS))
    if errors:
        raise InvalidData(errors)
    secret = PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken(user=actor, name=name, token_hash=digest(secret), hint=secret[:len(PREFIX) + 4],
                     scope=scope, created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    record(actor, "token.created", token, name, {"scope": [None, scope.value], "days": [None, days]})
    return token, secret


def revoke_token(actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token (its owner, or an admin of the owner's subtree: see permissions); revoking
    a revoked token changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.revoked_by_id = actor.id
        record(actor, "token.revoked", token, token.name, unit_id=token.user.unit_id)
    return token


def authenticate(secret: str, now: datetime) -> ApiToken | None:
    """The usable token with this secret (not revoked, not expired, its user active), or None.
    Its last use is written at most every few minutes (a read does not write on every call)."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None or not token.is_usable(now):
        return None
    last = token.last_used_at
    if last is None or (last if last.tzinfo else last.replace(tzinfo=now.tzinfo)) < now - TOUCH_EVERY:
        token.last_used_at = now
    return token


def open_tokens(user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    now = clock.now()
    return [t for t in tokens_of(user) if t.is_usable(now)]


def tokens_of(user: User) -> list[ApiToken]:
    """Every token of the user, newest first (revoked and expired ones too, for the record)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.id.desc()).limit(100)))


def tokens_in(visible_units: Select) -> Select:
    """The tokens of the users of the visible units that still may work, for an admin."""
    return (select(ApiToken).join(ApiToken.user)
            .options(contains_eager(ApiToken.user).joinedload(User.unit))
            .where(User.unit_id.in_(visible_units), ApiToken.revoked_at.is_(None),
                   ApiToken.expires_at > clock.now())
            .order_by(ApiToken.id.desc()))

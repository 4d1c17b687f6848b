"""Accounts: creation with a password policy, changes by admins, and signing in."""
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from tracker.audit import services as audit
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.models_base import check_version, new_version
from tracker.units.models import Unit
from tracker.users.models import Role, User

MIN_PASSWORD_LENGTH = 10
MSG_CONFLICT = _l(
    "Someone else changed this account after you opened it. Nothing of yours was saved: "
    "open it again to see their changes, then make yours."
)
_COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = _COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, username: str = "") -> str | None:
    """Why `password` is refused, or None: under 10 characters, common, or the username."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return str(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    lowered = password.strip().lower()
    if lowered in common_passwords() or (username and username.lower() in lowered):
        return str(_l("This password is too easy to guess; choose another."))
    return None


def _check_password(password: str, username: str) -> None:
    problem = password_problem(password, username)
    if problem:
        raise DomainError(problem, field="password")


def normalize_username(username: str) -> str:
    return username.strip().lower()


def create_user(actor, username: str, full_name: str, role: Role, unit: Unit,
                password: str, email: str | None = None) -> User:
    """Create an account bound to `unit`.

    Raises DomainError when the username is taken or the password breaks the policy.
    """
    username = normalize_username(username)
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username)):
        raise DomainError(_l("This username is already taken."), field="username")
    _check_password(password, username)
    user = User(username=username, full_name=full_name.strip(), role=role, unit=unit,
                email=(email or "").strip() or None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.created", user, f"{username} ({role.value}, {unit.code})")
    return user


def update_user(actor, user: User, full_name: str, email: str | None, role: Role, unit: Unit, *,
                expected_version: int | None = None) -> User:
    """Change a user's name, email, role or unit (the scope of what they see).

    Raises ConflictError when the account changed since the form was built (`expected_version`).
    """
    check_version(user, expected_version, MSG_CONFLICT)
    values = {"full_name": full_name.strip(), "email": (email or "").strip() or None,
              "role": role, "unit_id": unit.id}
    changes = audit.diff(user, values)
    user.full_name, user.email, user.role, user.unit = values["full_name"], values["email"], role, unit
    if changes:
        new_version(user, MSG_CONFLICT)
        audit.record(actor, "user.updated", user, user.username, changes)
    return user


def set_active(actor, user: User, active: bool) -> User:
    """Deactivate (no more sign-in, sessions end) or reactivate an account."""
    if user.active != active:
        user.active = active
        db.session.flush()
        audit.record(actor, "user.activated" if active else "user.deactivated", user, user.username)
    return user


def reset_password(actor, user: User, password: str) -> User:
    """Set a new password under the same policy as creation."""
    _check_password(password, user.username)
    user.set_password(password)
    db.session.flush()
    audit.record(actor, "user.password_reset", user, user.username)
    return user


class SignInRefused(DomainError):
    pass


def _window(config) -> timedelta:
    return timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])


def lockout_until(username: str, now: datetime, config) -> datetime | None:
    """When the username's lock ends, if `LOGIN_MAX_FAILURES` failures fell inside the window.

    Failures before the last successful sign-in do not count.
    """
    window = _window(config)
    last_success = audit.last_event("auth.login", username)
    after_id = last_success.id if last_success else 0
    failures = audit.count_recent("auth.login_failed", username, now - window, after_id)
    if failures < config["LOGIN_MAX_FAILURES"]:
        return None
    last_failure = audit.last_event("auth.login_failed", username)
    moment = last_failure.created_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment + window


def authenticate(username: str, password: str, config, ip: str = "", now: datetime | None = None) -> User:
    """Check a sign-in attempt and audit it.

    Raises SignInRefused while the username is locked out (too many failures), for a wrong
    username or password (the same message for both) and for a deactivated account.
    """
    now = now or datetime.now(timezone.utc)
    username = normalize_username(username)
    locked = lockout_until(username, now, config)
    if locked is not None:
        audit.record(None, "auth.login_locked", None, "", username=username, ip=ip)
        minutes = max(1, int((locked - now).total_seconds() // 60) + 1)
        raise SignInRefused(str(_l(
            "Too many failed sign-in attempts. Try again in %(minutes)d minutes.", minutes=minutes)))
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or not user.check_password(password):
        audit.record(None, "auth.login_failed", user, "", username=username, ip=ip,
                     unit_id=user.unit_id if user else None)
        raise SignInRefused(str(_l("Wrong username or password.")))
    if not user.active:
        audit.record(None, "auth.login_failed", user, "inactive", username=username, ip=ip)
        raise SignInRefused(str(_l("This account has been deactivated. Contact your administrator.")))
    user.last_login_at = now
    audit.record(user, "auth.login", user, "", ip=ip)
    return user


def set_locale(user: User, code: str) -> None:
    """Remember the user's interface language (a preference, not audited)."""
    if user.locale != code:
        user.locale = code
        db.session.flush()


def regenerate_calendar_token(user: User) -> str:
    """Give the user a new secret calendar-feed token; the previous feed URL stops working."""
    import secrets

    user.calendar_token = secrets.token_urlsafe(32)
    db.session.flush()
    audit.record(user, "user.calendar_token_regenerated", user, user.username)
    return user.calendar_token


def user_by_calendar_token(token: str) -> User | None:
    if not token or len(token) > 64:
        return None
    user = db.session.scalar(select(User).where(User.calendar_token == token))
    return user if user is not None and user.active else None

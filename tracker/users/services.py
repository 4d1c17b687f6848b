"""Accounts: creation with a password policy, changes by admins, and signing in."""
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload

from tracker import changes as noted
from tracker.audit import services as audit
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.models_base import check_version, new_version
from tracker.units.models import Unit
from tracker.users import sessions
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
    noted.shared_changed(db.session)  # names and roles show on pages
    return user


def update_user(actor, user: User, full_name: str, email: str | None, role: Role, unit: Unit, *,
                expected_version: int | None = None) -> User:
    """Change a user's name, email, role or unit (the scope of what they see).

    A new role or unit ends every session of the user: they sign in again under the new rights.
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
        noted.shared_changed(db.session)  # names and roles show on pages
    if "role" in changes or "unit_id" in changes:
        sessions.end_sessions_of(user, sessions.ACCESS_CHANGED)
    return user


def set_active(actor, user: User, active: bool) -> User:
    """Deactivate (no more sign-in, every session ends) or reactivate an account (its old
    sessions stay ended: the user signs in again)."""
    if user.active != active:
        user.active = active
        db.session.flush()
        audit.record(actor, "user.activated" if active else "user.deactivated", user, user.username)
        noted.shared_changed(db.session)
        if not active:
            sessions.end_sessions_of(user, sessions.DEACTIVATED)
    return user


def reset_password(actor, user: User, password: str) -> User:
    """An administrator sets a new password under the same policy as creation; every session of
    the user ends."""
    _check_password(password, user.username)
    user.set_password(password)
    db.session.flush()
    audit.record(actor, "user.password_reset", user, user.username)
    sessions.end_sessions_of(user, sessions.PASSWORD_CHANGED)
    return user


def change_own_password(user: User, current_password: str, new_password: str, *, keep_token: str | None) -> User:
    """The user changes their own password: the current one is required, the new one follows
    the policy and differs from it. Every other session of the user ends; this one stays.

    Raises DomainError on the field at fault (current_password or password).
    """
    if not user.check_password(current_password or ""):
        raise DomainError(_l("The current password is not right."), field="current_password")
    _check_password(new_password, user.username)
    if new_password == current_password:
        raise DomainError(_l("Choose a password different from the current one."), field="password")
    user.set_password(new_password)
    db.session.flush()
    audit.record(user, "user.password_changed", user, user.username)
    sessions.end_sessions_of(user, sessions.PASSWORD_CHANGED, keep_token=keep_token)
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


def counts_by_unit(unit_ids: list[int]) -> dict[int, int]:
    """How many accounts each of the given units has (one query)."""
    if not unit_ids:
        return {}
    return dict(db.session.execute(
        select(User.unit_id, func.count(User.id)).where(User.unit_id.in_(unit_ids)).group_by(User.unit_id)).all())


def search_users(visible_units: Select, words: str = "", role: Role | None = None, status: str | None = None) -> Select:
    """The accounts of the visible units, by name in Vietnamese order: whose username or name holds `words`, of
    `role`, "active" or "inactive" ones (any when None); each with its unit."""
    query = (select(User).where(User.unit_id.in_(visible_units)).options(joinedload(User.unit))
             .order_by(User.sort_key, User.username))
    words = (words or "").strip()
    if words:
        term = f"%{words}%"
        query = query.where(or_(User.username.ilike(term), User.full_name.ilike(term)))
    if role is not None:
        query = query.where(User.role == role)
    if status:
        query = query.where(User.active.is_(status == "active"))
    return query

"""Users, their roles and the unit that bounds what they see."""
import enum
from datetime import datetime
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import clock
from tracker.collation import sort_key
from tracker.extensions import db
from tracker.models_base import SORT_KEY_TYPE, TimestampMixin, Versioned, enum_column
from tracker.units.models import Unit


class Role(enum.Enum):
    ADMIN = "admin"
    COMMITTEE = "committee"
    LEADER = "leader"
    WARD_OFFICER = "ward_officer"


class User(UserMixin, Versioned, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # The name's key in Vietnamese alphabetical order, kept with it by _keep_sort_key.
    sort_key: Mapped[str] = mapped_column(SORT_KEY_TYPE, default="", server_default="", index=True)
    email: Mapped[Optional[str]] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[Optional[str]] = mapped_column(String(8))
    last_login_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    # Secret of the personal iCalendar feed URL; regenerating it revokes the old URL.
    calendar_token: Mapped[Optional[str]] = mapped_column(String(64), unique=True)

    unit: Mapped[Unit] = relationship()

    @validates("full_name")
    def _keep_sort_key(self, _key: str, name: str) -> str:
        self.sort_key = sort_key(name)
        return name

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        from flask import current_app

        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


class UserSession(db.Model):
    """One signed-in browser. The cookie carries a random token; only its SHA-256 is stored, so
    a copy of the table opens no session. A session is open until `ended_at` is set (signing
    out, a password change, deactivation, a new role or unit, the user ending it) or it expires
    (idle or absolute time, checked on every request)."""

    __tablename__ = "user_sessions"
    __table_args__ = (Index("ix_user_sessions_user_id_ended_at", "user_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Real time, never a pinned day: these decide when a session expires (see tracker.clock).
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.utcnow_real)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=clock.utcnow_real)
    ended_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str] = mapped_column(String(32), default="")
    ip: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()

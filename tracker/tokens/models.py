"""Personal access tokens: how another system (a province's document or one-stop-shop system)
calls the JSON API as one user of the tracker."""
import enum
from datetime import datetime
from typing import Optional

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import enum_column, utcnow


class TokenScope(enum.Enum):
    READ = "read"  # GET only
    WRITE = "write"  # everything its user may do


class ApiToken(db.Model):
    """A token acts as its user, with the user's role and unit scope. Only its SHA-256 is kept
    (the secret is shown once, when made); `hint` is its first characters, to tell tokens apart."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(16))
    scope: Mapped[TokenScope] = mapped_column(enum_column(TokenScope))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id])

    @property
    def unit(self):  # its user's unit: scoped like everything else
        return self.user.unit

    @property
    def unit_id(self) -> int:
        return self.user.unit_id

    def is_usable(self, now: datetime) -> bool:
        expires = self.expires_at if self.expires_at.tzinfo else self.expires_at.replace(tzinfo=now.tzinfo)
        return self.revoked_at is None and expires > now and self.user.active

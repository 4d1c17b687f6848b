"""Append-only audit trail."""
from datetime import datetime
from typing import Optional

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_action_username_at", "action", "username", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), index=True)
    # The username as typed or as it was then: failed sign-ins have no actor.
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity_type: Mapped[str] = mapped_column(String(64), default="")
    entity_id: Mapped[Optional[int]]
    # The unit the event concerns, so audit lists can be scoped like everything else.
    unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("units.id"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[str] = mapped_column(Text, default="")  # JSON {"field": [old, new]}
    ip: Mapped[str] = mapped_column(String(64), default="")
    # How the change came: "" through the pages, "api" through the JSON API with a token.
    via: Mapped[str] = mapped_column(String(16), default="", server_default="")

    # Who did it, read with the event (history tables show the person's name, not their login).
    actor = relationship("User", lazy="joined", viewonly=True)

    @property
    def actor_name(self) -> str:
        return self.actor.full_name if self.actor is not None else (self.username or "—")

"""Award types per legal regime: the catalogue every nomination, proposal and rule reads."""
import enum

from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models_base import TimestampMixin, Versioned, enum_column, utcnow


class Recipient(enum.Enum):
    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"
    BOTH = "both"


class AwardType(Versioned, TimestampMixin, db.Model):
    """One title or form of commendation under one legal regime ("2017", "2024", "2025")."""

    __tablename__ = "award_types"
    __table_args__ = (UniqueConstraint("regime", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    regime: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300))
    recipient: Mapped[Recipient] = mapped_column(enum_column(Recipient))
    conferred_by: Mapped[str] = mapped_column(String(300), default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    # "V" read in the source text, "S" official summary, "U" unverified (warns, never blocks).
    confidence: Mapped[str] = mapped_column(String(8), default="U")
    # Machine-checkable prerequisites and thresholds, as JSON, editable by admins.
    rules_json: Mapped[str] = mapped_column(Text, default="{}")
    active: Mapped[bool] = mapped_column(default=True)


class AwardRule(db.Model):
    """One version of one requirement of one award (of one regime): the thresholds it reads, its
    legal basis, its confidence, and the day it comes into force. A change is a new row from a
    later day; the old row stays, so a proposal is judged by the rows in force on its date
    (tracker.catalogue.services.rules_in_force)."""

    __tablename__ = "award_rules"
    __table_args__ = (Index("ix_award_rules_award_requirement_from", "award_type_id", "requirement", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_types.id"))
    requirement: Mapped[str] = mapped_column(String(64))  # tracker.rules.requirements
    params_json: Mapped[str] = mapped_column(Text, default="{}")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str] = mapped_column(String(8), default="U")  # V, S, U
    valid_from: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")  # why this version was made
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

"""Award types per legal regime: the catalogue every nomination, proposal and rule reads."""
import enum

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models_base import TimestampMixin, Versioned, enum_column


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

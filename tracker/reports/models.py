"""Ward progress reports: one per (milestone, unit)."""
import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import TimestampMixin, enum_column
from tracker.plans.models import Milestone
from tracker.units.models import Unit


class ReportStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    ACCEPTED = "accepted"


# Statuses in which the unit has handed its report in (the obligation is met on time or not).
HANDED_IN = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED, ReportStatus.ACCEPTED)


class ProgressReport(TimestampMixin, db.Model):
    __tablename__ = "progress_reports"
    __table_args__ = (UniqueConstraint("milestone_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus), default=ReportStatus.DRAFT, index=True
    )
    held_date: Mapped[Optional[date]] = mapped_column(Date)
    outside_window_reason: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    chaired_by: Mapped[str] = mapped_column(String(200), default="")
    participants: Mapped[Optional[int]]
    individuals_honoured: Mapped[Optional[int]]
    collectives_honoured: Mapped[Optional[int]]
    delegates: Mapped[Optional[int]]
    funding_vnd: Mapped[Optional[int]] = mapped_column(BigInteger)
    narrative: Mapped[str] = mapped_column(Text, default="")
    review_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    submitted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    reviewed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    # Optimistic lock: a save carrying an older version is refused.
    version: Mapped[int] = mapped_column(default=1)

    milestone: Mapped[Milestone] = relationship()
    unit: Mapped[Unit] = relationship()

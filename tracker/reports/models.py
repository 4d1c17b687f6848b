"""Ward progress reports: one per (milestone, unit)."""
import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import TimestampMixin, Versioned, enum_column
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


class ProgressReport(Versioned, TimestampMixin, db.Model):
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
    # For a dossier milestone: how many of the unit's nominations for the plan were handed in
    # when the dossier was (tracker.reports.services.submit_report).
    nominations_handed_in: Mapped[Optional[int]]
    review_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    submitted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    reviewed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    milestone: Mapped[Milestone] = relationship()
    unit: Mapped[Unit] = relationship()
    honours: Mapped[list["ReportHonour"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportHonour.id"
    )


class ReportHonour(db.Model):
    """How many individuals and collectives a ward honoured with one form, under one movement."""

    __tablename__ = "report_honours"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id"), index=True)
    form: Mapped[str] = mapped_column(String(200))  # "Giấy khen của Chủ tịch UBND phường"
    movement_id: Mapped[Optional[int]] = mapped_column(ForeignKey("movements.id"))
    individuals: Mapped[int] = mapped_column(default=0)
    collectives: Mapped[int] = mapped_column(default=0)

    report: Mapped[ProgressReport] = relationship(back_populates="honours")


class ReportVersion(db.Model):
    """A frozen copy of the report as it was handed in, one per submission."""

    __tablename__ = "report_versions"
    __table_args__ = (UniqueConstraint("report_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id"), index=True)
    number: Mapped[int]
    data: Mapped[str] = mapped_column(Text)  # JSON of the report's fields and honours
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

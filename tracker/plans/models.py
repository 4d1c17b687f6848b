"""Plans (kế hoạch), their emulation movements (phong trào) and milestones."""
import enum
from datetime import date
from typing import Optional

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import TimestampMixin, Versioned, enum_column
from tracker.units.models import Unit


class PlanStatus(enum.Enum):
    DRAFT = "draft"
    ACTIVE = "active"
    CLOSED = "closed"


class MilestoneScope(enum.Enum):
    ISSUING_UNIT = "issuing_unit"  # the issuing unit itself must complete it
    SUBUNITS = "subunits"  # every unit of the listed kinds under the issuing unit


class MilestoneKind(enum.Enum):
    """What a unit hands in for a milestone (the report form it fills in)."""

    CONFERENCE = "conference"  # the report of a conference: date, place, participants, honours, funding
    DOSSIER = "dossier"  # the unit's nominations for the plan: done when it hands them in, with their count
    REPORT = "report"  # a plain report: its text and files


class Plan(Versioned, TimestampMixin, db.Model):
    __tablename__ = "plans"
    __table_args__ = (UniqueConstraint("issuing_unit_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64))  # "156/KH-UBND"
    title: Mapped[str] = mapped_column(String(500))
    issued_date: Mapped[date] = mapped_column(Date)
    issuing_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    period_start_year: Mapped[int]
    period_end_year: Mapped[int]
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus), default=PlanStatus.DRAFT)
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("plans.id"))

    issuing_unit: Mapped[Unit] = relationship()
    parent: Mapped[Optional["Plan"]] = relationship(remote_side=[id])
    movements: Mapped[list["Movement"]] = relationship(
        back_populates="plan", order_by="Movement.position"
    )
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="plan", order_by=lambda: (Milestone.due_date, Milestone.id)
    )


class Movement(Versioned, TimestampMixin, db.Model):
    __tablename__ = "movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="movements")


class Milestone(Versioned, TimestampMixin, db.Model):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date, index=True)
    scope: Mapped[MilestoneScope] = mapped_column(enum_column(MilestoneScope))
    kind: Mapped[MilestoneKind] = mapped_column(enum_column(MilestoneKind), default=MilestoneKind.CONFERENCE,
                                                server_default=MilestoneKind.CONFERENCE.value)
    # Comma-separated UnitKind values that must complete a SUBUNITS milestone: "ward,commune".
    unit_kinds: Mapped[str] = mapped_column(String(120), default="")
    requires_report: Mapped[bool] = mapped_column(default=True)
    # A date the source documents do not give, entered by the committee as a working assumption.
    is_assumption: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="milestones")

    @property
    def kinds(self) -> list[str]:
        return [k for k in self.unit_kinds.split(",") if k]

    def days_left(self, today: date) -> int:
        return (self.due_date - today).days

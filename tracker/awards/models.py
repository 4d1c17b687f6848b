"""Award catalogue, award history, proposals (tờ trình) and decisions (quyết định)."""
import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models_base import TimestampMixin, Versioned, enum_column
from tracker.nominations.models import Candidate, Nomination
from tracker.plans.models import Plan
from tracker.units.models import Unit


class Recipient(enum.Enum):
    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"
    BOTH = "both"


class ProposalStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    DECIDED = "decided"


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


class Proposal(TimestampMixin, db.Model):
    __tablename__ = "proposals"
    __table_args__ = (UniqueConstraint("proposing_unit_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64))  # "12/TTr-UBND"
    proposal_date: Mapped[Optional[date]] = mapped_column(Date)
    plan_id: Mapped[Optional[int]] = mapped_column(ForeignKey("plans.id"), index=True)
    proposing_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    award_type_id: Mapped[int] = mapped_column(ForeignKey("award_types.id"))
    addressed_authority: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[ProposalStatus] = mapped_column(
        enum_column(ProposalStatus), default=ProposalStatus.DRAFT, index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    approved_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))

    plan: Mapped[Optional[Plan]] = relationship()
    proposing_unit: Mapped[Unit] = relationship()
    award_type: Mapped[AwardType] = relationship()
    items: Mapped[list["ProposalItem"]] = relationship(back_populates="proposal", order_by="ProposalItem.id")


class ProposalItem(db.Model):
    __tablename__ = "proposal_items"
    __table_args__ = (UniqueConstraint("proposal_id", "nomination_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), index=True)
    awarded: Mapped[Optional[bool]]
    note: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship(back_populates="items")
    nomination: Mapped[Nomination] = relationship()


class Decision(TimestampMixin, db.Model):
    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), unique=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)  # "25/QĐ-UBND"
    decision_date: Mapped[date] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))

    proposal: Mapped[Proposal] = relationship()


class AwardRecord(TimestampMixin, db.Model):
    """An award a candidate received: the history that eligibility rules read."""

    __tablename__ = "award_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    award_type_id: Mapped[Optional[int]] = mapped_column(ForeignKey("award_types.id"))
    award_name: Mapped[str] = mapped_column(String(300), default="")
    year: Mapped[int]
    decision_number: Mapped[str] = mapped_column(String(64), default="")
    decision_date: Mapped[Optional[date]] = mapped_column(Date)
    decision_id: Mapped[Optional[int]] = mapped_column(ForeignKey("decisions.id"))
    nomination_id: Mapped[Optional[int]] = mapped_column(ForeignKey("nominations.id"), index=True)
    # The plan whose nomination led to the award (the nomination's plan; none for history
    # entered by hand): the honour roll reads a plan's awards by it, in the decision's order.
    plan_id: Mapped[Optional[int]] = mapped_column(ForeignKey("plans.id"))

    candidate: Mapped[Candidate] = relationship()
    award_type: Mapped[Optional[AwardType]] = relationship()

    __table_args__ = (Index("ix_award_records_plan_id_award_name_id", "plan_id", "award_name", "id"),)


class Rating(enum.Enum):
    """The yearly assessment of a person (đánh giá, xếp loại)."""

    EXCELLENT = "excellent"  # hoàn thành xuất sắc nhiệm vụ
    GOOD = "good"  # hoàn thành tốt nhiệm vụ
    COMPLETED = "completed"  # hoàn thành nhiệm vụ
    FAILED = "failed"  # không hoàn thành nhiệm vụ


class InitiativeLevel(enum.Enum):
    """The widest level at which an initiative (sáng kiến) was recognised."""

    GRASSROOTS = "grassroots"  # cơ sở
    PROVINCIAL = "provincial"  # cấp tỉnh (bộ, ngành)
    NATIONAL = "national"  # toàn quốc


class Discipline(enum.Enum):
    REPRIMAND = "reprimand"  # khiển trách
    WARNING = "warning"  # cảnh cáo
    HIGHER = "higher"  # cách chức, buộc thôi việc, ...


class CandidateYear(Versioned, TimestampMixin, db.Model):
    """One row per candidate per year: what eligibility rules read (with the award records).

    For a collective, the member figures say how its members fared that year.
    """

    __tablename__ = "candidate_years"
    __table_args__ = (UniqueConstraint("candidate_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidates.id"), index=True)
    year: Mapped[int]
    rating: Mapped[Optional[Rating]] = mapped_column(enum_column(Rating))
    initiative_level: Mapped[Optional[InitiativeLevel]] = mapped_column(enum_column(InitiativeLevel))
    initiative_title: Mapped[str] = mapped_column(String(500), default="")
    initiative_count: Mapped[Optional[int]]
    research_accepted: Mapped[Optional[bool]]
    discipline: Mapped[Optional[Discipline]] = mapped_column(enum_column(Discipline))
    members_total: Mapped[Optional[int]]
    members_completed: Mapped[Optional[int]]
    members_ldtt: Mapped[Optional[int]]
    members_cstdcs: Mapped[Optional[int]]
    members_disciplined: Mapped[Optional[int]]
    note: Mapped[str] = mapped_column(Text, default="")

    candidate: Mapped[Candidate] = relationship()

"""Proposals (tờ trình) and decisions (quyết định)."""
import enum
from datetime import date, datetime
from typing import Optional

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.catalogue.models import AwardType
from tracker.extensions import db
from tracker.models_base import TimestampMixin, enum_column, utcnow
from tracker.nominations.models import Nomination
from tracker.plans.models import Plan
from tracker.units.models import Unit


class ProposalStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    DECIDED = "decided"


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
    # What the leader wrote when approving (a rejection's reason is `reason`).
    approval_comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The first day its list is posted publicly (công khai) for objections (tracker.awards.posting).
    posted_since: Mapped[Optional[date]] = mapped_column(Date)

    plan: Mapped[Optional[Plan]] = relationship()
    proposing_unit: Mapped[Unit] = relationship()
    award_type: Mapped[AwardType] = relationship()
    items: Mapped[list["ProposalItem"]] = relationship(back_populates="proposal", order_by="ProposalItem.id")

    @property
    def unit(self) -> Unit:
        """Whose proposal it is (the scope rules read a record's `unit`)."""
        return self.proposing_unit


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
    # The eligibility judgement the decision was made with (JSON), so that a later change of the
    # rules never changes it (tracker.awards.services.review_proposal).
    judgement_json: Mapped[str] = mapped_column(Text, default="", server_default="")

    proposal: Mapped[Proposal] = relationship()




class RevocationStatus(enum.Enum):
    PROPOSED = "proposed"  # the committee asks for it
    DECIDED = "decided"  # the leader decided it: the award is revoked
    DISMISSED = "dismissed"  # the leader refused it


class Revocation(TimestampMixin, db.Model):
    """The revocation (thu hồi, hủy bỏ) of an award received: proposed by the committee with its
    reason and legal basis, decided by a leader with a decision number and date. While decided,
    the award no longer counts anywhere (AwardRecord.revoked)."""

    __tablename__ = "revocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_record_id: Mapped[int] = mapped_column(ForeignKey("award_records.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)  # who proposes (scope)
    status: Mapped[RevocationStatus] = mapped_column(enum_column(RevocationStatus), default=RevocationStatus.PROPOSED)
    reason: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    proposed_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    decision_number: Mapped[str] = mapped_column(String(64), default="")
    decision_date: Mapped[Optional[date]] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(200), default="")
    decided_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    dismissal: Mapped[str] = mapped_column(Text, default="")  # why a leader refused it

    award_record = relationship("AwardRecord")
    unit: Mapped[Unit] = relationship()


class ObjectionStatus(enum.Enum):
    OPEN = "open"
    UPHELD = "upheld"  # the nominee is withdrawn from the proposal
    DISMISSED = "dismissed"  # with the committee's reason


class PublicObjection(db.Model):
    """An objection a member of the public made to a posted list: who, how to reach them, about
    which nominee, what; resolved by the committee."""

    __tablename__ = "public_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"))  # stays when the item goes
    name: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[ObjectionStatus] = mapped_column(enum_column(ObjectionStatus), default=ObjectionStatus.OPEN)
    resolution: Mapped[str] = mapped_column(Text, default="")
    resolved_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[Optional[datetime]] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    proposal: Mapped[Proposal] = relationship()
    nomination: Mapped[Nomination] = relationship()

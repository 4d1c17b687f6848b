"""Individuals and collectives, their year-by-year record and the awards they received."""
import enum
from datetime import date
from typing import Optional

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint, false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from tracker.catalogue.models import AwardType
from tracker.collation import sort_key
from tracker.extensions import db
from tracker.models_base import SORT_KEY_TYPE, TimestampMixin, Versioned, enum_column
from tracker.units.models import Unit


class CandidateKind(enum.Enum):
    INDIVIDUAL = "individual"
    COLLECTIVE = "collective"


class Gender(enum.Enum):
    MALE = "male"
    FEMALE = "female"


class Candidate(Versioned, TimestampMixin, db.Model):
    """A person or collective, kept across campaigns so award history accumulates.

    Versioned on its own: every nomination of the person (and its form) shares these details."""

    __tablename__ = "candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CandidateKind] = mapped_column(enum_column(CandidateKind))
    full_name: Mapped[str] = mapped_column(String(200))
    # Lower-case, diacritics-free, single-spaced name used to find the same person again.
    name_key: Mapped[str] = mapped_column(String(200))
    # The name's key in Vietnamese alphabetical order (lists sorted by name), kept by _keep_sort_key.
    sort_key: Mapped[str] = mapped_column(SORT_KEY_TYPE, default="", server_default="", index=True)
    gender: Mapped[Optional[Gender]] = mapped_column(enum_column(Gender))
    birth_year: Mapped[Optional[int]]
    position: Mapped[str] = mapped_column(String(200), default="")
    workplace: Mapped[str] = mapped_column(String(300), default="")
    member_count: Mapped[Optional[int]]
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)

    unit: Mapped[Unit] = relationship()

    # Finding the same person again: by name key, then birth year.
    __table_args__ = (Index("ix_candidates_name_key_birth_year", "name_key", "birth_year"),)

    @validates("full_name")
    def _keep_sort_key(self, _key: str, name: str) -> str:
        self.sort_key = sort_key(name)
        return name

    @property
    def is_individual(self) -> bool:
        return self.kind is CandidateKind.INDIVIDUAL


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
    # Revoked by a decision (tracker.awards.models.Revocation): it stays in the history, struck
    # through, and no longer counts in any streak, quota or honour roll.
    revoked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

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
    # An individual's exclusions from the year's titles (AWARDS.md, unverified): months in service
    # in the year (recruited under 10 months), and working days of leave other than maternity.
    months_in_service: Mapped[Optional[int]]
    leave_working_days: Mapped[Optional[int]]
    note: Mapped[str] = mapped_column(Text, default="")

    candidate: Mapped[Candidate] = relationship()

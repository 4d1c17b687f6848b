"""The public honour roll: who was awarded under a plan, with public fields only."""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, func, or_, select

from tracker.candidates.models import AwardRecord
from tracker.extensions import db
from tracker.candidates.models import Candidate, CandidateKind
from tracker.nominations.models import Nomination
from tracker.candidates.services import name_key
from tracker.plans.models import Movement, Plan
from tracker.units.models import Unit

SUMMARY_LENGTH = 280


@dataclass(frozen=True)
class Honoured:
    """One line of the roll. Deliberately no birth year, votes, history or files."""

    name: str
    is_collective: bool
    position: str
    unit: str
    award: str
    year: int
    decision_number: str
    movement: str
    summary: str
    revoked: bool = False  # shown marked where HONOUR_ROLL_REVOKED = "mark"


def revoked_shown() -> bool:
    """Whether a revoked award stays on the public roll, marked (HONOUR_ROLL_REVOKED = "mark"),
    or leaves it ("hide", the default)."""
    return current_app.config["HONOUR_ROLL_REVOKED"] == "mark"


def plans_with_awards(show_revoked: bool = False) -> list[tuple[Plan, int]]:
    query = (select(Plan, func.count(AwardRecord.id)).join(AwardRecord, AwardRecord.plan_id == Plan.id)
             .group_by(Plan.id).order_by(Plan.issued_date.desc()))
    if not show_revoked:
        query = query.where(AwardRecord.revoked.is_(False))
    return list(db.session.execute(query).all())


def _filtered(query: Select, plan: Plan, q: str, unit: Unit | None, movement_id: int | None,
              show_revoked: bool) -> Select:
    """A revoked award leaves the roll unless `show_revoked` (then it is marked)."""
    query = query.where(AwardRecord.plan_id == plan.id)
    if not show_revoked:
        query = query.where(AwardRecord.revoked.is_(False))
    if q.strip():
        key = f"%{name_key(q)}%"
        query = query.where(or_(Candidate.name_key.like(key), Nomination.search_key.like(key)))
    if unit is not None:
        query = query.where(Unit.path.startswith(unit.path, autoescape=True))
    if movement_id:
        query = query.where(Nomination.movement_id == movement_id)
    return query


def roll_query(plan: Plan, q: str = "", unit: Unit | None = None, movement_id: int | None = None,
               show_revoked: bool = False) -> Select:
    """The plan's awarded, award by award, each in the order its decision recorded them
    (read off the index on award_records (plan_id, award_name, id)); `unit` keeps its subtree."""
    query = (
        select(Candidate.full_name, Candidate.kind, Candidate.position, Unit.name, AwardRecord.award_name,
               AwardRecord.year, AwardRecord.decision_number, Movement.name, Nomination.achievements,
               AwardRecord.revoked)
        .select_from(AwardRecord)
        .join(Nomination, AwardRecord.nomination_id == Nomination.id)
        .join(Candidate, Nomination.candidate_id == Candidate.id)
        .join(Unit, Nomination.unit_id == Unit.id)
        .outerjoin(Movement, Nomination.movement_id == Movement.id)
        .order_by(AwardRecord.award_name, AwardRecord.id)
    )
    return _filtered(query, plan, q, unit, movement_id, show_revoked)


def roll_count(plan: Plan, q: str = "", unit: Unit | None = None, movement_id: int | None = None,
               show_revoked: bool = False) -> int:
    """How many lines roll_query gives, joining only what the filters need (without filters,
    an index-only count)."""
    query = select(func.count(AwardRecord.id)).select_from(AwardRecord)
    if q.strip() or unit is not None or movement_id:
        query = query.join(Nomination, AwardRecord.nomination_id == Nomination.id)
        if q.strip():
            query = query.join(Candidate, Nomination.candidate_id == Candidate.id)
        if unit is not None:
            query = query.join(Unit, Nomination.unit_id == Unit.id)
    return db.session.scalar(_filtered(query, plan, q, unit, movement_id, show_revoked))


def to_honoured(row) -> Honoured:
    name, kind, position, unit, award, year, number, movement, achievements, revoked = row
    summary = (achievements or "").strip()
    if len(summary) > SUMMARY_LENGTH:
        summary = summary[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"
    return Honoured(name, kind is CandidateKind.COLLECTIVE, position or "", unit, award, year, number or "",
                    movement or "", summary, bool(revoked))

"""The public honour roll: who was awarded under a plan, with public fields only."""
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select

from tracker.awards.models import AwardRecord
from tracker.extensions import db
from tracker.nominations.models import Candidate, CandidateKind, Nomination
from tracker.nominations.services import name_key
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


def plans_with_awards() -> list[tuple[Plan, int]]:
    return list(db.session.execute(
        select(Plan, func.count(AwardRecord.id))
        .join(Nomination, Nomination.plan_id == Plan.id)
        .join(AwardRecord, AwardRecord.nomination_id == Nomination.id)
        .group_by(Plan.id).order_by(Plan.issued_date.desc())
    ).all())


def roll_query(plan: Plan, q: str = "", unit_id: int | None = None, movement_id: int | None = None) -> Select:
    query = (
        select(Candidate.full_name, Candidate.kind, Candidate.position, Unit.name, AwardRecord.award_name,
               AwardRecord.year, AwardRecord.decision_number, Movement.name, Nomination.achievements)
        .select_from(AwardRecord)
        .join(Nomination, AwardRecord.nomination_id == Nomination.id)
        .join(Candidate, Nomination.candidate_id == Candidate.id)
        .join(Unit, Nomination.unit_id == Unit.id)
        .outerjoin(Movement, Nomination.movement_id == Movement.id)
        .where(Nomination.plan_id == plan.id)
        .order_by(AwardRecord.award_name, Unit.name, Candidate.full_name)
    )
    if q.strip():
        key = f"%{name_key(q)}%"
        query = query.where(or_(Candidate.name_key.like(key), Nomination.search_key.like(key)))
    if unit_id:
        query = query.where(Nomination.unit_id == unit_id)
    if movement_id:
        query = query.where(Nomination.movement_id == movement_id)
    return query


def to_honoured(row) -> Honoured:
    name, kind, position, unit, award, year, number, movement, achievements = row
    summary = (achievements or "").strip()
    if len(summary) > SUMMARY_LENGTH:
        summary = summary[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"
    return Honoured(name, kind is CandidateKind.COLLECTIVE, position or "", unit, award, year, number or "",
                    movement or "", summary)


def roll_units(plan: Plan) -> list[tuple[int, str]]:
    """The units that have someone on the plan's roll (for the filter)."""
    return list(db.session.execute(
        select(Unit.id, Unit.name).join(Nomination, Nomination.unit_id == Unit.id)
        .join(AwardRecord, AwardRecord.nomination_id == Nomination.id)
        .where(Nomination.plan_id == plan.id).distinct().order_by(Unit.name)
    ).all())

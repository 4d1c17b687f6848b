"""Plans, movements, milestones and the obligations they create for units."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, and_, func, literal, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from tracker.audit.services import record
from tracker.extensions import db
from tracker.plans.models import Milestone, MilestoneScope, Movement, Plan, PlanStatus
from tracker.reports.models import HANDED_IN, ProgressReport, ReportStatus
from tracker.units.models import Unit, UnitKind


def create_plan(actor, issuing_unit: Unit, **values) -> Plan:
    """Create a plan issued by `issuing_unit` and record it in the audit trail."""
    plan = Plan(issuing_unit=issuing_unit, **values)
    db.session.add(plan)
    db.session.flush()
    record(actor, "plan.created", plan, f"{plan.number}", unit_id=issuing_unit.id)
    return plan


def add_movement(actor, plan: Plan, name: str, description: str = "", position: int = 0) -> Movement:
    movement = Movement(plan=plan, name=name, description=description, position=position)
    db.session.add(movement)
    db.session.flush()
    record(actor, "movement.created", movement, name, unit_id=plan.issuing_unit_id)
    return movement


def add_milestone(actor, plan: Plan, **values) -> Milestone:
    milestone = Milestone(plan=plan, **values)
    db.session.add(milestone)
    db.session.flush()
    record(actor, "milestone.created", milestone, milestone.title, unit_id=plan.issuing_unit_id)
    return milestone


# --- obligations -------------------------------------------------------------------------


def obligation_status(report_status: ReportStatus | None, due_date: date, today: date) -> str:
    """What a unit's obligation for one milestone looks like today.

    Handed-in reports count as submitted (or accepted) whatever the date; otherwise a milestone
    past its due date is late; otherwise the report's progress shows.
    """
    if report_status is ReportStatus.ACCEPTED:
        return "accepted"
    if report_status in HANDED_IN:
        return "submitted"
    if today > due_date:
        return "late"
    if report_status is ReportStatus.RETURNED:
        return "returned"
    if report_status is ReportStatus.DRAFT:
        return "in_progress"
    return "not_started"


def applies_to(milestone: Milestone, unit: Unit) -> bool:
    """Whether `unit` must complete `milestone` (pure: reads loaded attributes only)."""
    issuer = milestone.plan.issuing_unit
    if milestone.scope is MilestoneScope.ISSUING_UNIT:
        return unit.id == issuer.id
    return unit.id != issuer.id and unit.is_within(issuer) and unit.kind.value in milestone.kinds


def obligated_units(milestone: Milestone, scope_path: str) -> Select:
    """A select of the ids of units that owe `milestone`, restricted to the subtree `scope_path`."""
    issuer = milestone.plan.issuing_unit
    query = select(Unit.id).where(Unit.path.startswith(scope_path, autoescape=True))
    if milestone.scope is MilestoneScope.ISSUING_UNIT:
        return query.where(Unit.id == issuer.id)
    return query.where(
        Unit.path.startswith(issuer.path, autoescape=True),
        Unit.id != issuer.id,
        Unit.kind.in_([UnitKind(k) for k in milestone.kinds]),
    )


@dataclass
class Obligation:
    milestone: Milestone
    report: ProgressReport | None
    status: str
    days_left: int


def obligations_for_unit(unit: Unit, today: date) -> list[Obligation]:
    """Every milestone of an active plan that `unit` owes, with its status; two queries."""
    issuer = aliased(Unit)
    milestones = db.session.scalars(
        select(Milestone)
        .join(Milestone.plan)
        .join(issuer, Plan.issuing_unit)
        .where(
            Plan.status == PlanStatus.ACTIVE,
            literal(unit.path).startswith(issuer.path),
        )
        .options(contains_eager(Milestone.plan).contains_eager(Plan.issuing_unit.of_type(issuer)))
        .order_by(Milestone.due_date, Milestone.id)
    ).all()
    milestones = [m for m in milestones if applies_to(m, unit)]
    reports = {}
    if milestones:
        reports = {
            r.milestone_id: r
            for r in db.session.scalars(
                select(ProgressReport).where(
                    ProgressReport.unit_id == unit.id,
                    ProgressReport.milestone_id.in_([m.id for m in milestones]),
                )
            )
        }
    result = []
    for m in milestones:
        report = reports.get(m.id)
        status = obligation_status(report.status if report else None, m.due_date, today)
        result.append(Obligation(m, report, status, m.days_left(today)))
    return result


@dataclass
class MilestoneProgress:
    milestone: Milestone
    total: int
    handed_in: int
    accepted: int
    late: int
    days_left: int

    @property
    def pending(self) -> int:
        return self.total - self.handed_in - self.late


def milestone_progress(milestone: Milestone, scope_path: str, today: date) -> MilestoneProgress:
    """How many units in the subtree owe the milestone, have handed in, were accepted, are late."""
    owed = obligated_units(milestone, scope_path).subquery()
    row = db.session.execute(
        select(
            func.count(owed.c.id),
            func.count(ProgressReport.id).filter(ProgressReport.status.in_(HANDED_IN)),
            func.count(ProgressReport.id).filter(ProgressReport.status == ReportStatus.ACCEPTED),
        )
        .select_from(owed)
        .outerjoin(
            ProgressReport,
            and_(ProgressReport.unit_id == owed.c.id, ProgressReport.milestone_id == milestone.id),
        )
    ).one()
    total, handed_in, accepted = row
    late = total - handed_in if today > milestone.due_date else 0
    return MilestoneProgress(milestone, total, handed_in, accepted, late, milestone.days_left(today))


def late_units(milestone: Milestone, scope_path: str, today: date, limit: int = 10) -> list[Unit]:
    """Units of the subtree that owe the milestone, are past its due date and have not handed in."""
    if today <= milestone.due_date:
        return []
    owed = obligated_units(milestone, scope_path).subquery()
    return list(
        db.session.scalars(
            select(Unit)
            .join(owed, owed.c.id == Unit.id)
            .outerjoin(
                ProgressReport,
                and_(ProgressReport.unit_id == Unit.id, ProgressReport.milestone_id == milestone.id),
            )
            .where(or_(ProgressReport.id.is_(None), ProgressReport.status.not_in(HANDED_IN)))
            .order_by(Unit.name)
            .limit(limit)
        )
    )


def visible_plans(user) -> Select:
    """Plans issued in the user's subtree or above the user's unit, newest first."""
    issuer = aliased(Unit)
    return (
        select(Plan)
        .join(issuer, Plan.issuing_unit)
        .where(
            or_(
                issuer.path.startswith(user.unit.path, autoescape=True),
                literal(user.unit.path).startswith(issuer.path),
            )
        )
        .options(contains_eager(Plan.issuing_unit.of_type(issuer)))
        .order_by(Plan.issued_date.desc(), Plan.id.desc())
    )


def upcoming_milestones(user, today: date, limit: int = 8) -> list[Milestone]:
    """Milestones of visible active plans still to come (due today or later), soonest first."""
    plans = visible_plans(user).where(Plan.status == PlanStatus.ACTIVE).subquery()
    return list(
        db.session.scalars(
            select(Milestone)
            .where(Milestone.plan_id.in_(select(plans.c.id)), Milestone.due_date >= today)
            .options(joinedload(Milestone.plan).joinedload(Plan.issuing_unit))
            .order_by(Milestone.due_date, Milestone.id)
            .limit(limit)
        )
    )


def overdue_milestones(user, today: date, limit: int = 8) -> list[Milestone]:
    """Milestones of visible active plans whose due date has passed, most recent first."""
    plans = visible_plans(user).where(Plan.status == PlanStatus.ACTIVE).subquery()
    return list(
        db.session.scalars(
            select(Milestone)
            .where(Milestone.plan_id.in_(select(plans.c.id)), Milestone.due_date < today)
            .options(joinedload(Milestone.plan).joinedload(Plan.issuing_unit))
            .order_by(Milestone.due_date.desc(), Milestone.id)
            .limit(limit)
        )
    )

"""Plans, movements, milestones and the obligations they create for units."""
from datetime import date

import calendar
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, contains_eager, joinedload

from tracker import changes as noted
from tracker.audit.services import diff, record
from tracker.errors import DomainError, WorkflowError
from tracker.extensions import db
from tracker.models_base import check_version, new_version
from tracker.plans.models import Milestone, MilestoneScope, Movement, Plan, PlanStatus
from tracker.units.models import Unit
from tracker.workflow import check_transition


TRANSITIONS = {
    "edit": (PlanStatus.DRAFT, PlanStatus.ACTIVE),
    "activate": (PlanStatus.DRAFT,),
    "close": (PlanStatus.ACTIVE,),
}

MSG_PLAN_CONFLICT = _l(
    "Someone else changed this plan after you opened it. Nothing of yours was saved: "
    "open it again to see their changes, then make yours."
)
MSG_MOVEMENT_CONFLICT = _l(
    "Someone else changed this movement after you opened it. Nothing of yours was saved: "
    "open it again to see their changes, then make yours."
)
MSG_MILESTONE_CONFLICT = _l(
    "Someone else changed this milestone after you opened it. Nothing of yours was saved: "
    "open it again to see their changes, then make yours."
)

PLAN_FIELDS = ("number", "title", "issued_date", "period_start_year", "period_end_year",
               "legal_basis", "summary", "body", "parent_id")
MILESTONE_FIELDS = ("title", "description", "start_date", "due_date", "kind", "scope", "unit_kinds",
                    "requires_report", "is_assumption", "note")

_QUARTER = re.compile(r"^\s*(?:q|quý|quy)\s*([1-4]|i{1,3}|iv)\s*[/\-. ]\s*(\d{4})\s*$", re.IGNORECASE)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def parse_quarter(text: str) -> tuple[date, date]:
    """"Q1/2020" (also "quý I/2020", "q2-2021") -> (first day, last day) of that quarter.

    Raises ValueError for anything else.
    """
    match = _QUARTER.match(text or "")
    if not match:
        raise ValueError(text)
    raw, year = match.group(1).lower(), int(match.group(2))
    quarter = int(raw) if raw.isdigit() else _ROMAN[raw]
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def _check_number(issuing_unit: Unit, number: str, exclude_id: int | None = None) -> None:
    query = select(Plan.id).where(Plan.issuing_unit_id == issuing_unit.id, Plan.number == number)
    if exclude_id is not None:
        query = query.where(Plan.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise DomainError(_l("This unit already has a plan with this number."), field="number")


def _check_editable(plan: Plan) -> None:
    if plan.status not in TRANSITIONS["edit"]:
        raise WorkflowError(_l("A closed plan can no longer be changed."))


def create_plan(actor, issuing_unit: Unit, **values) -> Plan:
    """Create a plan issued by `issuing_unit`.

    Raises DomainError when the unit already has a plan with the same number and symbol.
    """
    values["number"] = values["number"].strip()
    _check_number(issuing_unit, values["number"])
    plan = Plan(issuing_unit=issuing_unit, **values)
    db.session.add(plan)
    db.session.flush()
    record(actor, "plan.created", plan, plan.number, unit_id=issuing_unit.id)
    noted.shared_changed(db.session)  # plans show on every page
    return plan


def update_plan(actor, plan: Plan, *, expected_version: int | None = None, **values) -> Plan:
    """Change a draft or active plan's fields; raises WorkflowError for a closed plan,
    ConflictError when the plan changed since the form was built (`expected_version`) and
    DomainError for a number the issuing unit already uses."""
    _check_editable(plan)
    check_version(plan, expected_version, MSG_PLAN_CONFLICT)
    values = {k: v for k, v in values.items() if k in PLAN_FIELDS}
    values["number"] = values.get("number", plan.number).strip()
    _check_number(plan.issuing_unit, values["number"], exclude_id=plan.id)
    changes = diff(plan, values)
    for key, value in values.items():
        setattr(plan, key, value)
    if changes:
        new_version(plan, MSG_PLAN_CONFLICT)
        record(actor, "plan.updated", plan, plan.number, changes, unit_id=plan.issuing_unit_id)
        noted.shared_changed(db.session)  # plans show on every page
    return plan


def _set_status(actor, plan: Plan, action: str, status: PlanStatus) -> Plan:
    check_transition(TRANSITIONS, action, plan.status)
    old = plan.status
    plan.status = status
    db.session.flush()
    record(actor, f"plan.{status.value}", plan, plan.number, {"status": [old.value, status.value]},
           unit_id=plan.issuing_unit_id)
    noted.shared_changed(db.session)  # plans show on every page
    return plan


def activate_plan(actor, plan: Plan) -> Plan:
    """draft -> active: from now on its milestones are obligations of the units they name."""
    return _set_status(actor, plan, "activate", PlanStatus.ACTIVE)


def close_plan(actor, plan: Plan) -> Plan:
    """active -> closed: the plan becomes read-only and stops creating obligations."""
    return _set_status(actor, plan, "close", PlanStatus.CLOSED)


def add_movement(actor, plan: Plan, name: str, description: str = "", position: int | None = None) -> Movement:
    """Add an emulation movement to a plan that is not closed."""
    _check_editable(plan)
    if position is None:
        position = len(plan.movements)
    movement = Movement(plan=plan, name=name.strip(), description=description, position=position)
    db.session.add(movement)
    db.session.flush()
    record(actor, "movement.created", movement, movement.name, unit_id=plan.issuing_unit_id)
    noted.shared_changed(db.session)  # plans show on every page
    return movement


def update_movement(actor, movement: Movement, name: str, description: str = "", *,
                    expected_version: int | None = None) -> Movement:
    """Rename or redescribe a movement of a plan that is not closed (WorkflowError); ConflictError
    when the movement changed since the form was built (`expected_version`)."""
    _check_editable(movement.plan)
    check_version(movement, expected_version, MSG_MOVEMENT_CONFLICT)
    changes = diff(movement, {"name": name.strip(), "description": description})
    movement.name, movement.description = name.strip(), description
    if changes:
        new_version(movement, MSG_MOVEMENT_CONFLICT)
        record(actor, "movement.updated", movement, movement.name, changes,
               unit_id=movement.plan.issuing_unit_id)
        noted.shared_changed(db.session)  # plans show on every page
    return movement


def _delete_unless_referenced(record_, message) -> None:
    """Delete `record_`, or raise DomainError(message) when another record still refers to it
    (the database's foreign keys say so); nothing else of the transaction is undone."""
    try:
        with db.session.begin_nested():
            db.session.delete(record_)
            db.session.flush()
    except IntegrityError:
        raise DomainError(message) from None


def delete_movement(actor, movement: Movement) -> None:
    """Remove a movement nothing refers to yet; raises DomainError when anything uses it (a
    nomination, a report's honours: the database's own references say so, so this area need not
    know every area that points at movements)."""
    _check_editable(movement.plan)
    name, unit_id = movement.name, movement.plan.issuing_unit_id
    _delete_unless_referenced(movement, _l("Nominations already use this movement; it cannot be deleted."))
    record(actor, "movement.deleted", movement, name, unit_id=unit_id)
    noted.shared_changed(db.session)  # plans show on every page


def milestone_warnings(plan: Plan, start_date: date, due_date: date) -> list[str]:
    """Soft problems that do not block saving: a window outside the plan's period."""
    warnings = []
    first, last = date(plan.period_start_year, 1, 1), date(plan.period_end_year, 12, 31)
    if start_date < first or due_date > last:
        warnings.append(str(_l(
            "The milestone's window lies outside the plan's period %(start)s–%(end)s.",
            start=plan.period_start_year, end=plan.period_end_year)))
    return warnings


def _check_milestone(values: dict) -> None:
    if values["due_date"] < values["start_date"]:
        raise DomainError(_l("The due date cannot be before the start date."), field="due_date")
    if values["scope"] is MilestoneScope.SUBUNITS and not values.get("unit_kinds"):
        raise DomainError(_l("Choose which kinds of unit must complete this milestone."), field="unit_kinds")
    if values["scope"] is MilestoneScope.ISSUING_UNIT:
        values["unit_kinds"] = ""


def add_milestone(actor, plan: Plan, **values) -> Milestone:
    """Add a milestone (a window from start to due date) to a plan that is not closed.

    Raises DomainError when the due date precedes the start or no unit kind is chosen.
    """
    _check_editable(plan)
    values.setdefault("unit_kinds", "")
    _check_milestone(values)
    milestone = Milestone(plan=plan, **values)
    db.session.add(milestone)
    db.session.flush()
    record(actor, "milestone.created", milestone, milestone.title, unit_id=plan.issuing_unit_id)
    noted.shared_changed(db.session)  # plans show on every page
    return milestone


def update_milestone(actor, milestone: Milestone, *, expected_version: int | None = None, **values) -> Milestone:
    """Change a milestone of a plan that is not closed (WorkflowError). ConflictError when the
    milestone changed since the form was built (`expected_version`); DomainError as add_milestone."""
    _check_editable(milestone.plan)
    check_version(milestone, expected_version, MSG_MILESTONE_CONFLICT)
    values = {k: v for k, v in values.items() if k in MILESTONE_FIELDS}
    _check_milestone(values)
    changes = diff(milestone, values)
    for key, value in values.items():
        setattr(milestone, key, value)
    if changes:
        new_version(milestone, MSG_MILESTONE_CONFLICT)
        record(actor, "milestone.updated", milestone, milestone.title, changes,
               unit_id=milestone.plan.issuing_unit_id)
        noted.shared_changed(db.session)  # plans show on every page
    return milestone


def delete_milestone(actor, milestone: Milestone) -> None:
    """Remove a milestone no unit has reported on; raises DomainError otherwise (the database's
    references say so: this area need not know the reports)."""
    _check_editable(milestone.plan)
    title, unit_id = milestone.title, milestone.plan.issuing_unit_id
    _delete_unless_referenced(milestone, _l("Units have already reported on this milestone; it cannot be deleted."))
    record(actor, "milestone.deleted", milestone, title, unit_id=unit_id)
    noted.shared_changed(db.session)  # plans show on every page


def parent_plan_choices(issuing_unit: Unit) -> Select:
    """Plans of the levels above `issuing_unit` (a province plan above a city plan)."""
    issuer = aliased(Unit)
    return (
        select(Plan)
        .join(issuer, Plan.issuing_unit)
        .where(literal(issuing_unit.path).startswith(issuer.path), issuer.id != issuing_unit.id)
        .order_by(Plan.issued_date.desc())
    )


def applies_to(milestone: Milestone, unit: Unit) -> bool:
    """Whether `milestone` names `unit` today, so that the unit may start its report (pure:
    reads loaded attributes only).

    An ISSUING_UNIT milestone names the issuing unit alone; a SUBUNITS milestone names every
    unit below the issuer (never the issuer itself) whose kind is one of the milestone's kinds
    now, so a ward created after the plan, or re-kinded into a named kind, is named too.
    """
    issuer = milestone.plan.issuing_unit
    if milestone.scope is MilestoneScope.ISSUING_UNIT:
        return unit.id == issuer.id
    return unit.id != issuer.id and unit.is_within(issuer) and unit.kind.value in milestone.kinds



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


def milestones_of(plan_ids) -> list[Milestone]:
    """The milestones of the given plans, by due date (the lists' milestone filter)."""
    if not plan_ids:
        return []
    return list(db.session.scalars(select(Milestone).where(Milestone.plan_id.in_(plan_ids))
                                   .order_by(Milestone.due_date, Milestone.id)))

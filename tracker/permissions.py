"""Every authorization rule of the tracker, and the unit-scoping queries.

A user sees only their unit's subtree: a record outside it is answered with 404, never 403,
so its existence does not leak. Within the subtree, the role decides what may be done (403).
Predicates are pure and safe to call with the anonymous user.
"""
from flask import abort
from sqlalchemy import Select, select

from tracker.extensions import db
from tracker.units.models import Unit
from tracker.users.models import Role


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def has_role(user, *roles: Role) -> bool:
    return _authenticated(user) and user.role in roles


# --- scope -------------------------------------------------------------------------------


def visible_unit_ids(user) -> Select:
    """A select of the ids of every unit in the user's subtree (one indexed prefix query)."""
    if not _authenticated(user):
        return select(Unit.id).where(Unit.id.is_(None))
    return select(Unit.id).where(Unit.path.startswith(user.unit.path, autoescape=True))


def in_scope(user, unit: Unit | None) -> bool:
    """True when `unit` lies in the user's subtree."""
    return _authenticated(user) and unit is not None and unit.is_within(user.unit)


def plan_in_scope(user, plan) -> bool:
    """A plan is visible to units under its issuer (they carry it out) and to units above it."""
    if not _authenticated(user):
        return False
    return in_scope(user, plan.issuing_unit) or user.unit.is_within(plan.issuing_unit)


def get_in_scope_or_404(user, model, record_id: int, unit_attr: str = "unit"):
    """Load a record by id, or 404 when it does not exist or lies outside the user's subtree."""
    record = db.session.get(model, record_id)
    if record is None or not in_scope(user, getattr(record, unit_attr)):
        abort(404)
    return record


def get_unit_or_404(user, unit_id: int) -> Unit:
    """Load a unit of the user's subtree, or 404."""
    unit = db.session.get(Unit, unit_id)
    if unit is None or not in_scope(user, unit):
        abort(404)
    return unit


def get_plan_or_404(user, plan_id: int):
    from tracker.plans.models import Plan

    plan = db.session.get(Plan, plan_id)
    if plan is None or not plan_in_scope(user, plan):
        abort(404)
    return plan


def require(flag: bool) -> None:
    """Abort with 403 unless `flag` holds."""
    if not flag:
        abort(403)


# --- administration ----------------------------------------------------------------------


def can_manage_units(user) -> bool:
    """Admins maintain the unit tree below their own unit."""
    return has_role(user, Role.ADMIN)


def can_edit_unit(user, unit: Unit) -> bool:
    """An admin edits units strictly below their own unit (their root stays put)."""
    return can_manage_units(user) and in_scope(user, unit) and unit.id != user.unit_id


def can_manage_users(user) -> bool:
    return has_role(user, Role.ADMIN)


def can_edit_user(user, target) -> bool:
    """Admins edit users of their subtree; nobody deactivates or demotes themselves here."""
    return can_manage_users(user) and in_scope(user, target.unit) and target.id != user.id


def can_view_audit(user) -> bool:
    return has_role(user, Role.ADMIN)


# --- plans and deadlines -----------------------------------------------------------------


def can_view_plans(user) -> bool:
    return _authenticated(user)


def can_view_plan(user, plan) -> bool:
    return plan_in_scope(user, plan)


def can_create_plan(user) -> bool:
    """The emulation committee writes the plans of its own unit."""
    return has_role(user, Role.COMMITTEE)


def can_edit_plan(user, plan) -> bool:
    """Committee members edit plans issued in their subtree, until the plan is closed."""
    from tracker.plans.models import PlanStatus

    return (
        has_role(user, Role.COMMITTEE)
        and in_scope(user, plan.issuing_unit)
        and plan.status is not PlanStatus.CLOSED
    )


def can_change_plan_status(user, plan) -> bool:
    return has_role(user, Role.COMMITTEE) and in_scope(user, plan.issuing_unit)


def can_view_deadlines(user) -> bool:
    """The deadline view is for leaders and the committee (and admins)."""
    return has_role(user, Role.COMMITTEE, Role.LEADER, Role.ADMIN)


def can_view_obligation(user, unit) -> bool:
    """A unit's obligation is visible to anyone whose subtree holds the unit."""
    return in_scope(user, unit)


def can_view_overview(user) -> bool:
    """Committee-wide figures: the emulation committee, leaders and admins."""
    return has_role(user, Role.COMMITTEE, Role.LEADER, Role.ADMIN)


# --- reports and nominations -------------------------------------------------------------


def can_view_report(user, report) -> bool:
    return in_scope(user, report.unit)


def can_edit_report(user, report) -> bool:
    """Ward officers write their own unit's reports."""
    return has_role(user, Role.WARD_OFFICER) and report.unit_id == user.unit_id


def can_review_report(user, report) -> bool:
    return has_role(user, Role.COMMITTEE) and in_scope(user, report.unit)


def can_view_nomination(user, nomination) -> bool:
    return in_scope(user, nomination.unit)


def can_edit_nomination(user, nomination) -> bool:
    return has_role(user, Role.WARD_OFFICER) and nomination.unit_id == user.unit_id


def can_review_nomination(user, nomination) -> bool:
    return has_role(user, Role.COMMITTEE) and in_scope(user, nomination.unit)


# --- proposals ---------------------------------------------------------------------------


def can_edit_proposal(user, proposal) -> bool:
    return has_role(user, Role.COMMITTEE) and in_scope(user, proposal.proposing_unit)


def can_approve_proposal(user, proposal) -> bool:
    return has_role(user, Role.LEADER) and in_scope(user, proposal.proposing_unit)


# Exposed to templates, so buttons hide by the same rules that guard the routes.
TEMPLATE_PREDICATES = {
    name: obj for name, obj in dict(globals()).items() if name.startswith("can_")
}

"""/api/v1: the caller, the unit tree, plans with their movements and milestones, what a unit
owes, and a plan's figures and late units in a scope (the dashboard's and deadline view's)."""
from flask_login import current_user

from tracker import clock
from tracker.api import schemas as s
from tracker.api.core import api_blueprint, calling_token, found, keyset_page, param, require
from tracker.dashboard import queries as dashboard
from tracker.extensions import db
from tracker.obligations import status as obligations
from tracker.permissions import (
    can_view_dashboard,
    can_view_obligation,
    get_plan_or_404,
    get_unit_or_404,
)
from tracker.plans import services as plans
from tracker.plans.models import Milestone, PlanStatus
from tracker.stats import figures as stats
from tracker.units import services as units
from tracker.units.labels import unit_kind_label
from tracker.units.models import Unit, UnitKind

bp = api_blueprint("units", "The caller, the unit tree, plans, obligations and a plan's figures")


def unit_json(unit: Unit) -> dict:
    return {"id": unit.id, "name": unit.name, "code": unit.code, "kind": unit.kind.value,
            "kind_label": unit_kind_label(unit.kind), "parent_id": unit.parent_id}


def milestone_json(m: Milestone) -> dict:
    return {"id": m.id, "title": m.title, "kind": m.kind.value, "scope": m.scope.value, "unit_kinds": m.kinds,
            "start_date": m.start_date, "due_date": m.due_date, "requires_report": m.requires_report}


def plan_json(plan) -> dict:
    return {"id": plan.id, "number": plan.number, "title": plan.title, "issued_date": plan.issued_date,
            "issuing_unit": unit_json(plan.issuing_unit), "period_start_year": plan.period_start_year,
            "period_end_year": plan.period_end_year, "status": plan.status.value,
            "legal_basis": plan.legal_basis, "parent_id": plan.parent_id}


def scope_unit(unit_id: int | None) -> Unit:
    """The unit a query names (404 outside the caller's subtree), or the caller's own."""
    return get_unit_or_404(current_user, unit_id) if unit_id else current_user.unit


@bp.route("/me")
@bp.response(200, s.MeSchema)
def me():
    """The caller: the token's user, their role and the unit that bounds what they see."""
    token = calling_token()
    return {"id": current_user.id, "username": current_user.username, "full_name": current_user.full_name,
            "role": current_user.role.value, "unit": unit_json(current_user.unit),
            "token_scope": token.scope.value if token is not None else None}


@bp.route("/units")
@bp.arguments(s.UnitQuery, location="query")
@bp.response(200, s.page_of(s.UnitSchema, "UnitPage"))
def list_units(args):
    """Units of the caller's subtree, searched by name or code and kind; ordered by id."""
    kind = UnitKind(args["kind"]) if args.get("kind") else None
    return keyset_page(units.units_within(current_user.unit, args["q"], kind), Unit.id, args.get("cursor"),
                       args["limit"], unit_json, descending=False)


@bp.route("/units/<int:unit_id>")
@bp.response(200, s.UnitTreeSchema)
def show_unit(unit_id: int):
    """A unit with the way down to it from the caller's unit and its children (drill-down)."""
    unit = get_unit_or_404(current_user, unit_id)
    chain = [u for u in dashboard.scope_and_ancestors(unit.id) if u.depth >= current_user.unit.depth]
    return {**unit_json(unit), "ancestors": [unit_json(u) for u in chain[:-1]],
            "children": [unit_json(u) for u in units.children_of(unit)]}


@bp.route("/units/<int:unit_id>/obligations")
@bp.response(200, s.ObligationSchema(many=True))
def unit_obligations(unit_id: int):
    """What the unit owes under every active plan (each milestone that asks it for a report), with
    the status the deadline view shows: not started, in progress, returned, late, submitted, accepted."""
    unit = get_unit_or_404(current_user, unit_id)
    require(can_view_obligation(current_user, unit))
    return [{"plan_id": o.milestone.plan_id, "plan_number": o.milestone.plan.number,
             "milestone": milestone_json(o.milestone), "status": o.status, "days_left": o.days_left,
             "report_id": o.report.id if o.report else None}
            for o in obligations.obligations_for_unit(unit, clock.today())]


@bp.route("/plans")
@bp.arguments(s.PageQuery, location="query")
@bp.response(200, s.page_of(s.PlanSchema, "PlanPage"))
def list_plans(args):
    """Plans the caller sees: issued in their subtree or above their unit; newest first."""
    return keyset_page(plans.visible_plans(current_user), plans.Plan.id, args.get("cursor"), args["limit"], plan_json)


@bp.route("/plans/<int:plan_id>")
@bp.response(200, s.PlanDetailSchema)
def show_plan(plan_id: int):
    """A plan with its movements and milestones."""
    plan = get_plan_or_404(current_user, plan_id)
    return {**plan_json(plan), "summary": plan.summary,
            "movements": [{"id": m.id, "name": m.name, "description": m.description} for m in plan.movements],
            "milestones": [milestone_json(m) for m in sorted(plan.milestones, key=lambda m: (m.due_date, m.id))]}


def _dashboard_plan(plan_id: int):
    plan = get_plan_or_404(current_user, plan_id)
    require(can_view_dashboard(current_user))
    if plan.status is PlanStatus.DRAFT:
        found(None)
    return plan


@bp.route("/plans/<int:plan_id>/figures")
@bp.arguments(s.ScopeQuery, location="query")
@bp.response(200, s.FiguresSchema)
def plan_figures(args, plan_id: int):
    """The dashboard's figures of a plan in a scope (default: the caller's unit), optionally for
    one movement: each milestone's units owing, handed in, accepted, late; nominations by status;
    proposals by status. The same figures as the dashboard page."""
    plan = _dashboard_plan(plan_id)
    scope = scope_unit(args.get("unit_id"))
    movements = list(plan.movements)
    movement = None
    if args.get("movement_id"):
        movement = param("movement_id", next((m for m in movements if m.id == args["movement_id"]), None))
    board = dashboard.board(plan, scope, [scope], movements, movement, clock.today(), page=1, per_page=1)
    return {
        "plan_id": plan.id, "scope": unit_json(scope), "movement_id": movement.id if movement else None,
        "milestones": [{"milestone_id": p.milestone.id, "title": p.milestone.title, "due_date": p.milestone.due_date,
                        "owing": p.total, "handed_in": p.handed_in, "accepted": p.accepted, "late": p.late,
                        "pending": p.pending, "days_left": p.days_left} for p in board.progress],
        "nominations": {status.value: n for status, n in board.statuses.items()},
        "nominations_total": board.nominations_total,
        "individuals_handed_in": board.individuals, "collectives_handed_in": board.collectives,
        "proposals": {status.value: n for status, n in board.proposals.items()},
    }


@bp.route("/plans/<int:plan_id>/late-units")
@bp.arguments(s.LateQuery, location="query")
@bp.response(200, s.LateListSchema)
def late_units(args, plan_id: int):
    """The units of a scope that are late on the plan's milestones (due date passed, report not
    handed in): the dashboard's late list, the most recently due milestone first, each one's
    units in Vietnamese alphabetical order, at most `limit` in all."""
    plan = _dashboard_plan(plan_id)
    scope = scope_unit(args.get("unit_id"))
    progress = stats.scope_progress(sorted(plan.milestones, key=lambda m: (m.due_date, m.id)), scope, clock.today())
    if args.get("milestone_id"):
        progress = param("milestone_id", [p for p in progress if p.milestone.id == args["milestone_id"]] or None)
    late = dashboard.late_list(progress, plan.issuing_unit, scope, args["limit"])  # the dashboard's own list
    units_by_id = {u.id: u for u in db.session.scalars(
        units.units_within(scope).where(Unit.id.in_({u.id for _p, rows in late for u in rows})))}
    items = [{"milestone_id": p.milestone.id, "milestone_title": p.milestone.title, "due_date": p.milestone.due_date,
              "unit": unit_json(units_by_id[u.id])} for p, rows in late for u in rows]
    return {"items": items, "late_total": sum(p.late for p in progress)}


"""The deadline view for leaders and the committee, and one unit's obligation in detail."""
from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user, login_required

from tracker.awards import services as proposals
from tracker.notifications import services as notices
from tracker.obligations import status as obligations
from tracker import clock
from tracker.deadlines import queries
from tracker.extensions import db
from tracker.forms_base import choices
from tracker.pagecache import render_page, tree, versions
from tracker.permissions import (
    can_view_deadlines,
    can_view_obligation,
    get_plan_or_404,
    get_unit_or_404,
    in_scope,
    plan_in_scope,
    require,
)
from tracker.plans.forms import DeadlineFilterForm
from tracker.plans.models import Milestone, PlanStatus
from tracker.rules.workdays import parse_overrides
from tracker.units.services import drill_down
from tracker.workdays import services as workdays

bp = Blueprint("deadlines", __name__, url_prefix="/deadlines")


@bp.before_request
@login_required
def _signed_in():
    pass


@bp.route("/")
def index():
    require(can_view_deadlines(current_user))
    plan_id, unit_id = _chosen()  # a plan or unit outside the user's scope: 404 before the cache
    return render_page("deadlines/index.html", lambda: _deadline_context(*_deadline_filters(plan_id, unit_id)),
                       [versions.plan_scope(plan_id, unit_id)] if plan_id else [])


def _chosen() -> tuple[int | None, int]:
    """The plan (default: the newest active plan the user sees) and the unit the URL asks for,
    permitted on the tree alone (tracker.pagecache.tree: no query while it has not changed)."""
    form = DeadlineFilterForm(request.args)
    held = tree.current()
    plan_id = form.chosen_id("plan")
    if plan_id is None:
        active = [p for p in held.plans_of(current_user) if p.status is PlanStatus.ACTIVE]
        plan_id = active[0].id if active else None
    elif not (plan := held.plan(plan_id)) or not plan_in_scope(current_user, plan):
        abort(404)
    unit_id = current_user.unit_id
    # A unit asked for that is no unit of the user's (junk, out of range, elsewhere) is a 404.
    if request.args.get("unit"):
        unit_id = form.chosen_id("unit")
        if not in_scope(current_user, held.unit(unit_id)):
            abort(404)
    return plan_id, unit_id


def _deadline_filters(plan_id: int | None, unit_id: int):
    """The filter form with its choices, and the chosen plan and unit's records."""
    form = DeadlineFilterForm(request.args)
    active = queries.active_plans(current_user)
    form.plan.choices = choices((p.id, f"{p.number} – {p.title}") for p in active)
    plan = get_plan_or_404(current_user, plan_id) if plan_id else None
    scope = get_unit_or_404(current_user, unit_id)
    form.unit.choices = choices((u.id, ("— " * (u.depth - current_user.unit.depth)) + u.name)
                                for u in drill_down(current_user.unit, scope))
    form.plan.data, form.unit.data = plan_id, scope.id
    return form, plan, scope


def _deadline_context(form, plan, scope) -> dict:
    today = clock.today()
    rows = queries.deadline_rows(plan, scope, today) if plan else []
    timeline = queries.build_timeline([r.progress.milestone for r in rows], today)
    upcoming = sorted((r for r in rows if r.progress.days_left >= 0), key=lambda r: r.progress.days_left)
    # The plan's proposals past their time limit, counted in working days (the page is the plan's).
    overdue_count, overdue = proposals.overdue_proposals(
        scope, today, workdays.calendar(), parse_overrides(current_app.config["PROPOSAL_PROCESSING_DAYS"]),
        plan_id=plan.id) if plan else (0, [])
    return {"form": form, "plan": plan, "scope": scope, "rows": rows, "timeline": timeline, "upcoming": upcoming,
            "today": today, "overdue_proposals": overdue, "overdue_proposals_count": overdue_count}


@bp.route("/<int:milestone_id>/units/<int:unit_id>")
def obligation(milestone_id: int, unit_id: int):
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None:
        abort(404)
    get_plan_or_404(current_user, milestone.plan_id)
    unit = get_unit_or_404(current_user, unit_id)
    require(can_view_obligation(current_user, unit))
    today = clock.today()
    report = obligations.report_of(milestone, unit)
    status = obligations.obligation_status(milestone, unit, report.status if report else None, today)
    if status is None:  # the unit owes nothing for this milestone
        abort(404)
    officers = notices.officers_of(unit.id)
    return render_template("deadlines/obligation.html", milestone=milestone, unit=unit, report=report,
                           status=status, days_left=milestone.days_left(today), officers=officers, today=today)

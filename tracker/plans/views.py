"""Plans, their movements and milestones: read by everyone in scope, written by the committee."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.extensions import db
from tracker.forms_base import choices, version_number
from tracker.outcome import attempt, done
from tracker.permissions import (
    can_change_plan_status,
    can_create_plan,
    can_edit_plan,
    can_view_plans,
    get_plan_or_404,
    require,
)
from tracker.plans import services
from tracker.plans.forms import MilestoneForm, MovementForm, PlanForm
from tracker.plans.models import Milestone, MilestoneKind, MilestoneScope, Movement
from tracker.stats import figures as stats

bp = Blueprint("plans", __name__, url_prefix="/plans")


@bp.before_request
@login_required
def _signed_in():
    require(can_view_plans(current_user))


def _parent_choices(form: PlanForm) -> None:
    parents = db.session.scalars(services.parent_plan_choices(current_user.unit)).all()
    form.parent_id.choices = choices([(0, _("(none)"))] + [(p.id, f"{p.number} – {p.title}") for p in parents])


def _plan_values(form: PlanForm) -> dict:
    return {
        "number": form.number.data, "title": form.title.data.strip(), "issued_date": form.issued_date.data,
        "period_start_year": form.period_start_year.data, "period_end_year": form.period_end_year.data,
        "legal_basis": form.legal_basis.data or "", "summary": form.summary.data or "",
        "body": form.body.data or "", "parent_id": form.parent_id.data or None,
    }


@bp.route("/")
def index():
    page = db.paginate(services.visible_plans(current_user), per_page=20, error_out=False)
    return render_template("plans/index.html", page=page)


@bp.route("/<int:plan_id>")
def show(plan_id: int):
    plan = get_plan_or_404(current_user, plan_id)
    today = clock.today()
    progress = stats.scope_progress(plan.milestones, current_user.unit, today)
    return render_template("plans/show.html", plan=plan, progress=progress, today=today)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(can_create_plan(current_user))
    form = PlanForm()
    _parent_choices(form)
    status = 200
    if form.validate_on_submit():
        outcome = attempt(lambda: services.create_plan(current_user, current_user.unit, **_plan_values(form)), form)
        if outcome.ok:
            plan = outcome.value
            return done(_("Plan %(number)s created as a draft.", number=plan.number),
                        url_for("plans.show", plan_id=plan.id))
        status = outcome.status
    return render_template("plans/form.html", form=form, plan=None), status


@bp.route("/<int:plan_id>/edit", methods=["GET", "POST"])
def edit(plan_id: int):
    plan = get_plan_or_404(current_user, plan_id)
    require(can_edit_plan(current_user, plan))
    form = PlanForm(obj=plan)
    if request.method == "GET":
        form.parent_id.data = plan.parent_id or 0
    _parent_choices(form)
    status = 200
    if form.validate_on_submit():
        outcome = attempt(lambda: services.update_plan(current_user, plan, expected_version=version_number(form),
                                                       **_plan_values(form)), form)
        if outcome.ok:
            return done(_("Plan %(number)s saved.", number=plan.number), url_for("plans.show", plan_id=plan.id))
        status = outcome.status
    return render_template("plans/form.html", form=form, plan=plan), status


@bp.route("/<int:plan_id>/<any(activate, close):action>", methods=["POST"])
def change_status(plan_id: int, action: str):
    plan = get_plan_or_404(current_user, plan_id)
    require(can_change_plan_status(current_user, plan))
    change = services.activate_plan if action == "activate" else services.close_plan
    if attempt(lambda: change(current_user, plan)).ok:
        flash(_("The plan is now active: its milestones are tracked for every unit they name.")
              if action == "activate" else _("The plan is closed and can no longer be changed."), "success")
    return redirect(url_for("plans.show", plan_id=plan.id))


def _movement_or_404(plan, movement_id: int) -> Movement:
    movement = db.session.get(Movement, movement_id)
    if movement is None or movement.plan_id != plan.id:
        abort(404)
    return movement


@bp.route("/<int:plan_id>/movements/new", methods=["GET", "POST"])
@bp.route("/<int:plan_id>/movements/<int:movement_id>/edit", methods=["GET", "POST"])
def movement_form(plan_id: int, movement_id: int | None = None):
    plan = get_plan_or_404(current_user, plan_id)
    require(can_edit_plan(current_user, plan))
    movement = _movement_or_404(plan, movement_id) if movement_id else None
    form = MovementForm(obj=movement)
    status = 200
    if form.validate_on_submit():
        if movement is None:
            outcome = attempt(lambda: services.add_movement(current_user, plan, form.name.data,
                                                            form.description.data or ""), form)
        else:
            outcome = attempt(lambda: services.update_movement(current_user, movement, form.name.data,
                                                               form.description.data or "",
                                                               expected_version=version_number(form)), form)
        if outcome.ok:
            return done(_("Movement saved."), url_for("plans.show", plan_id=plan.id))
        status = outcome.status
    return render_template("plans/movement_form.html", form=form, plan=plan, movement=movement), status


@bp.route("/<int:plan_id>/movements/<int:movement_id>/delete", methods=["POST"])
def movement_delete(plan_id: int, movement_id: int):
    plan = get_plan_or_404(current_user, plan_id)
    require(can_edit_plan(current_user, plan))
    movement = _movement_or_404(plan, movement_id)
    if attempt(lambda: services.delete_movement(current_user, movement)).ok:
        flash(_("Movement deleted."), "success")
    return redirect(url_for("plans.show", plan_id=plan.id))


def _milestone_or_404(plan, milestone_id: int) -> Milestone:
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None or milestone.plan_id != plan.id:
        abort(404)
    return milestone


def _milestone_values(form: MilestoneForm) -> dict:
    scope = MilestoneScope(form.scope.data)
    return {
        "title": form.title.data.strip(), "description": form.description.data or "",
        "start_date": form.start_date.data, "due_date": form.due_date.data, "scope": scope,
        "kind": MilestoneKind(form.kind.data),
        "unit_kinds": ",".join(form.unit_kinds.data or []) if scope is MilestoneScope.SUBUNITS else "",
        "requires_report": bool(form.requires_report.data), "is_assumption": bool(form.is_assumption.data),
        "note": form.note.data or "",
    }


@bp.route("/<int:plan_id>/milestones/new", methods=["GET", "POST"])
@bp.route("/<int:plan_id>/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
def milestone_form(plan_id: int, milestone_id: int | None = None):
    plan = get_plan_or_404(current_user, plan_id)
    require(can_edit_plan(current_user, plan))
    milestone = _milestone_or_404(plan, milestone_id) if milestone_id else None
    if milestone is not None:
        current = {name: getattr(milestone, name) for name in services.MILESTONE_FIELDS}
        current.update(scope=milestone.scope.value, kind=milestone.kind.value, unit_kinds=milestone.kinds,
                       version=milestone.version)
    else:
        current = {"unit_kinds": ["ward", "commune"], "requires_report": True}
    form = MilestoneForm(data=current)
    status = 200
    if form.validate_on_submit():
        values = _milestone_values(form)
        if milestone is None:
            outcome = attempt(lambda: services.add_milestone(current_user, plan, **values), form)
        else:
            outcome = attempt(lambda: services.update_milestone(current_user, milestone,
                                                                expected_version=version_number(form), **values), form)
        if outcome.ok:
            flash(_("Milestone saved."), "success")
            for warning in services.milestone_warnings(plan, values["start_date"], values["due_date"]):
                flash(warning, "warning")
            return redirect(url_for("plans.show", plan_id=plan.id))
        status = outcome.status
    return render_template("plans/milestone_form.html", form=form, plan=plan, milestone=milestone), status


@bp.route("/<int:plan_id>/milestones/<int:milestone_id>/delete", methods=["POST"])
def milestone_delete(plan_id: int, milestone_id: int):
    plan = get_plan_or_404(current_user, plan_id)
    require(can_edit_plan(current_user, plan))
    milestone = _milestone_or_404(plan, milestone_id)
    if attempt(lambda: services.delete_milestone(current_user, milestone)).ok:
        flash(_("Milestone deleted."), "success")
    return redirect(url_for("plans.show", plan_id=plan.id))

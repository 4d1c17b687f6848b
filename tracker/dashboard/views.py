"""The home page of each role, the committee's dashboard and its matrix export, the health check."""
import io
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, jsonify, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.obligations import status as obligations
from tracker import clock, health
from tracker.dashboard import exports, queries
from tracker.awards import services as proposals
from tracker.dashboard.forms import DashboardFilterForm
from tracker.extensions import db
from tracker.forms_base import choices
from tracker.inputs import arg_page, parse_id
from tracker.pagecache import render_page, tree, versions
from tracker.permissions import can_view_dashboard, in_scope, plan_in_scope, require
from tracker.plans import services as plans
from tracker.plans.models import PlanStatus
from tracker.throttle import enforce
from tracker.users.models import Role
from tracker.rules.workdays import parse_overrides
from tracker.workdays import services as workdays

bp = Blueprint("dashboard", __name__)


@bp.route("/")
@login_required
def index():
    today = clock.today()
    user = current_user._get_current_object()
    if user.role is Role.WARD_OFFICER:
        return render_template("dashboard/ward.html", today=today,
                               obligations=obligations.obligations_for_unit(user.unit, today))
    if user.role is Role.LEADER:
        upcoming, overdue = queries.leader_overview(
            user, plans.upcoming_milestones(user, today), plans.overdue_milestones(user, today), today)
        awaiting_count, awaiting = proposals.awaiting_approval(user)
        # Proposals past their time limit, counted in working days, like late wards.
        late_count, late_proposals = proposals.overdue_proposals(
            user.unit, today, workdays.calendar(), parse_overrides(current_app.config["PROPOSAL_PROCESSING_DAYS"]))
        return render_template("dashboard/leader.html", today=today, upcoming=upcoming, overdue=overdue,
                               awaiting_count=awaiting_count, awaiting=awaiting,
                               overdue_proposals=late_proposals, overdue_proposals_count=late_count)
    return render_template(
        "dashboard/committee.html",
        today=today,
        report_counts=queries.report_counts(user),
        nomination_counts=queries.nomination_counts(user),
        upcoming=queries.milestones_progress(plans.upcoming_milestones(user, today, limit=5), user.unit, today),
    )


class ObligationLink:
    """The obligation page's URL: url_for once, then plain formatting for each matrix cell."""

    MILESTONE, UNIT = 987654321, 987654322

    def __init__(self):
        url = url_for("deadlines.obligation", milestone_id=self.MILESTONE, unit_id=self.UNIT)
        self.head, rest = url.split(str(self.MILESTONE))
        self.middle, self.tail = rest.split(str(self.UNIT))

    def __call__(self, milestone_id: int, unit_id: int) -> str:
        return f"{self.head}{milestone_id}{self.middle}{unit_id}{self.tail}"


@dataclass(frozen=True)
class Choice:
    """What the dashboard's filters chose, as ids: plan (None when the user sees no plan),
    scope, movement (None: every movement)."""

    plan_id: int | None
    unit_id: int
    movement_id: int | None


def _choice() -> Choice:
    """The plan, scope and movement the URL asks for, permitted on the tree alone
    (tracker.pagecache.tree: no query while the tree has not changed).

    Defaults: the first active plan, the user's own unit, every movement. 404 for a plan or a
    unit outside the user's reach; a movement that is not the plan's is ignored (the plan was
    just changed in the form)."""
    user = current_user._get_current_object()
    held = tree.current()
    plan_id = parse_id(request.args.get("plan"))
    if plan_id is not None:
        plan = held.plan(plan_id)
        if plan is None or plan.status is PlanStatus.DRAFT or not plan_in_scope(user, plan):
            abort(404)
    else:
        plan_list = [p for p in held.plans_of(user) if p.status is not PlanStatus.DRAFT]
        plan = next((p for p in plan_list if p.status is PlanStatus.ACTIVE), plan_list[0] if plan_list else None)
    unit_id = parse_id(request.args.get("unit"))
    if unit_id is not None and unit_id != user.unit_id and not in_scope(user, held.unit(unit_id)):
        abort(404)
    movement_id = parse_id(request.args.get("movement"))
    if plan is None or movement_id not in plan.movement_ids:
        movement_id = None
    return Choice(plan.id if plan else None, unit_id or user.unit_id, movement_id)


def _filters(choice: Choice):
    """The filter form and the records chosen: plan, scope (with the way down to it), movement."""
    user = current_user._get_current_object()
    form = DashboardFilterForm(request.args)
    plan_list = [p for p in db.session.scalars(plans.visible_plans(user)) if p.status is not PlanStatus.DRAFT]
    form.plan.choices = choices((p.id, f"{p.number} – {p.title}") for p in plan_list)
    plan = next((p for p in plan_list if p.id == choice.plan_id), None)
    if choice.unit_id == user.unit_id:
        scope, breadcrumb = user.unit, [user.unit]
    else:
        chain = queries.scope_and_ancestors(choice.unit_id)
        scope, breadcrumb = chain[-1], [u for u in chain if u.depth >= user.unit.depth]
    movements = list(plan.movements) if plan is not None else []  # in their order (the relationship's)
    movement = next((m for m in movements if m.id == choice.movement_id), None)
    form.movement.choices = choices([("", _("All movements"))] + [(m.id, m.name) for m in movements])
    form.plan.data, form.unit.data = plan.id if plan else None, scope.id
    form.movement.data = movement.id if movement else None
    return form, plan, scope, breadcrumb, movements, movement


@bp.route("/dashboard/")
@login_required
def show():
    require(can_view_dashboard(current_user))
    # A plan or unit outside the user's scope is a 404 before any cached body is looked up.
    choice = _choice()
    printing = request.args.get("print") == "1"

    def context():
        form, plan, scope, breadcrumb, movements, movement = _filters(choice)
        board = None
        if plan is not None:
            if printing:  # every row of the matrix on one page, to print
                board = queries.board(plan, scope, breadcrumb, movements, movement, clock.today(),
                                      page=1, per_page=queries.PRINT_PER_PAGE)
            else:
                board = queries.board(plan, scope, breadcrumb, movements, movement, clock.today(),
                                      page=arg_page() or 1)
        return {"form": form, "board": board, "scope": scope, "today": clock.today(), "printing": printing,
                "obligation_link": ObligationLink()}

    # What it shows: the plan's work in the scope's subtree (and the tree, the user's own).
    return render_page("dashboard/show.html", context,
                       [versions.plan_scope(choice.plan_id, choice.unit_id)] if choice.plan_id else [])


@bp.route("/dashboard/reward-money")
@login_required
def reward_money():
    """The plan's reward money by proposing unit of the scope (proposed and decided): its own page,
    since it reads every proposal item of the scope (a national decision holds many)."""
    require(can_view_dashboard(current_user))
    form, plan, scope, breadcrumb, _movements, _movement = _filters(_choice())
    if plan is None:
        abort(404)
    return render_template("dashboard/reward_money.html", form=form, plan=plan, scope=scope,
                           budget=proposals.reward_budget(plan.id, scope))


@bp.route("/dashboard/matrix.xlsx")
@login_required
def matrix_export():
    require(can_view_dashboard(current_user))
    enforce("EXPORT_LIMIT_PER_USER", "export", current_user)
    _form, plan, scope, _breadcrumb, _movements, movement = _filters(_choice())
    if plan is None:
        abort(404)
    today = clock.today()
    milestones, rows = queries.matrix(plan, scope, movement, today)
    headers, table = exports.matrix_table(milestones, rows)
    heading = f"{plan.number} – {scope.name} – {today:%d/%m/%Y}"
    if movement is not None:
        heading += f" – {movement.name}"
    response = send_file(io.BytesIO(exports.matrix_xlsx(headers, table, heading)),
                         mimetype=exports.XLSX_MIMETYPE, as_attachment=True,
                         download_name=exports.matrix_filename(plan, scope, today), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/healthz")
def healthz():
    """Each dependency's state (tracker.health); 503 only when the database is unreachable."""
    body, status = health.report()
    return jsonify(body), status

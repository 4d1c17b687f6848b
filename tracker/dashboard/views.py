"""The home page of each role, the committee's dashboard and its matrix export, the health check."""
import io

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
from tracker.inputs import arg_page
from tracker.pagecache import render_page, versions
from tracker.permissions import can_view_dashboard, in_scope, require
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


def _filters():
    """The filter form and what it chose: plan, scope (with the way down to it), movement.

    Defaults: the first active plan, the user's own unit, every movement. 404 for a plan or a
    unit outside the user's reach; a movement that is not the plan's is ignored.
    """
    user = current_user._get_current_object()
    form = DashboardFilterForm(request.args)
    plan_list = [p for p in db.session.scalars(plans.visible_plans(user)) if p.status is not PlanStatus.DRAFT]
    form.plan.choices = choices((p.id, f"{p.number} – {p.title}") for p in plan_list)
    if form.plan.data is not None:
        plan = next((p for p in plan_list if p.id == form.plan.data), None)
        if plan is None:
            abort(404)
    else:
        plan = next((p for p in plan_list if p.status is PlanStatus.ACTIVE), plan_list[0] if plan_list else None)
    unit_id = form.chosen_id("unit")
    if unit_id is None or unit_id == user.unit_id:
        scope, breadcrumb = user.unit, [user.unit]
    else:
        chain = queries.scope_and_ancestors(unit_id)
        if not chain or not in_scope(user, chain[-1]):
            abort(404)
        scope, breadcrumb = chain[-1], [u for u in chain if u.depth >= user.unit.depth]
    movements, movement = [], None
    if plan is not None:
        movements = list(plan.movements)  # in their order (the relationship's)
        # A movement of another plan (the plan was just changed in the form): every movement.
        movement = next((m for m in movements if m.id == form.movement.data), None)
    form.movement.choices = choices([("", _("All movements"))] + [(m.id, m.name) for m in movements])
    form.plan.data, form.unit.data = plan.id if plan else None, scope.id
    form.movement.data = movement.id if movement else None
    return form, plan, scope, breadcrumb, movements, movement


@bp.route("/dashboard/")
@login_required
def show():
    require(can_view_dashboard(current_user))
    # A unit outside the user's scope is a 404 before any cached body is looked up.
    form, plan, scope, breadcrumb, movements, movement = _filters()
    printing = request.args.get("print") == "1"

    def context():
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
    return render_page("dashboard/show.html", context, [versions.plan_scope(plan.id, scope.id)] if plan else [])


@bp.route("/dashboard/reward-money")
@login_required
def reward_money():
    """The plan's reward money by proposing unit of the scope (proposed and decided): its own page,
    since it reads every proposal item of the scope (a national decision holds many)."""
    require(can_view_dashboard(current_user))
    form, plan, scope, breadcrumb, _movements, _movement = _filters()
    if plan is None:
        abort(404)
    return render_template("dashboard/reward_money.html", form=form, plan=plan, scope=scope,
                           budget=proposals.reward_budget(plan.id, scope))


@bp.route("/dashboard/matrix.xlsx")
@login_required
def matrix_export():
    require(can_view_dashboard(current_user))
    enforce("EXPORT_LIMIT_PER_USER", "export", current_user)
    _form, plan, scope, _breadcrumb, _movements, movement = _filters()
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

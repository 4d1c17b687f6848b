"""Plans as read by everyone in scope (planning itself is the committee's)."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from tracker import clock
from tracker.extensions import db
from tracker.permissions import can_view_plans, get_plan_or_404, require
from tracker.plans import services

bp = Blueprint("plans", __name__, url_prefix="/plans")


@bp.before_request
@login_required
def _signed_in():
    require(can_view_plans(current_user))


@bp.route("/")
def index():
    page = db.paginate(services.visible_plans(current_user), per_page=20, error_out=False)
    return render_template("plans/index.html", page=page)


@bp.route("/<int:plan_id>")
def show(plan_id: int):
    plan = get_plan_or_404(current_user, plan_id)
    today = clock.today()
    progress = [services.milestone_progress(m, current_user.unit.path, today) for m in plan.milestones]
    return render_template("plans/show.html", plan=plan, progress=progress, today=today)

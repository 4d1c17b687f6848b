"""The public honour roll (tuyên truyền, biểu dương): no sign-in."""
from flask import Blueprint, abort, render_template, request

from tracker.awards.forms import HonourFilterForm
from tracker.extensions import db
from tracker.forms_base import choices
from tracker.honours import queries
from tracker.pagination import paginate_rows
from tracker.plans.models import Plan, PlanStatus

bp = Blueprint("honours", __name__, url_prefix="/honour-roll")


@bp.route("/")
def index():
    return render_template("honours/index.html", plans=queries.plans_with_awards())


@bp.route("/<int:plan_id>")
def plan(plan_id: int):
    plan = db.session.get(Plan, plan_id)
    if plan is None or plan.status is PlanStatus.DRAFT:
        abort(404)
    form = HonourFilterForm(request.args)
    form.unit.choices = choices([(0, "—")] + queries.roll_units(plan))
    form.movement.choices = choices([(0, "—")] + [(m.id, m.name) for m in plan.movements])
    query = queries.roll_query(plan, form.q.data or "", request.args.get("unit", type=int),
                               request.args.get("movement", type=int))
    page = paginate_rows(query, per_page=30)
    people = [queries.to_honoured(row) for row in page.items]
    return render_template("honours/plan.html", plan=plan, page=page, people=people, form=form)

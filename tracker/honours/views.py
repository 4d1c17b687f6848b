"""The public honour roll (tuyên truyền, biểu dương): no sign-in."""
from flask import Blueprint, abort, render_template, request

from tracker.awards.forms import HonourFilterForm
from tracker.extensions import db
from tracker.forms_base import choices
from tracker.honours import queries
from tracker.pagecache import render_page, tree, versions
from tracker.pagination import paginate_counted
from tracker.permissions import get_by_id
from tracker.plans.models import Plan, PlanStatus
from tracker.units.models import Unit
from tracker.units.services import drill_down

bp = Blueprint("honours", __name__, url_prefix="/honour-roll")


@bp.route("/")
def index():
    return render_template("honours/index.html", plans=queries.plans_with_awards(queries.revoked_shown()))


@bp.route("/<int:plan_id>")
def plan(plan_id: int):
    held = tree.current().plan(plan_id)
    if held is None or held.status is PlanStatus.DRAFT:  # a draft plan is nobody's to see: 404 before the cache
        abort(404)
    return render_page("honours/plan.html", lambda: _roll_context(db.session.get(Plan, plan_id)),
                       [versions.honours_scope(plan_id)])


def _roll_context(plan: Plan) -> dict:
    form = HonourFilterForm(request.args)
    unit = get_by_id(Unit, form.chosen_id("unit"))
    if unit is not None and not unit.is_within(plan.issuing_unit):
        unit = None
    movement = next((m for m in plan.movements if m.id == form.chosen_id("movement")), None)
    movement_id = movement.id if movement else None
    form.unit.choices = choices([(0, "—")] + [(u.id, f"{'— ' * (u.depth - plan.issuing_unit.depth)}{u.name}")
                                              for u in drill_down(plan.issuing_unit, unit)])
    form.movement.choices = choices([(0, "—")] + [(m.id, m.name) for m in plan.movements])
    q = form.chosen_text("q")
    shown = queries.revoked_shown()
    page = paginate_counted(queries.roll_query(plan, q, unit, movement_id, shown),
                            queries.roll_count(plan, q, unit, movement_id, shown), per_page=30, rows=True)
    people = [queries.to_honoured(row) for row in page.items]
    return {"plan": plan, "page": page, "people": people, "form": form}

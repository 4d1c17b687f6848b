"""Administration of the unit tree."""
from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.extensions import db
from tracker.forms_base import choices, version_number
from tracker.inputs import arg_id
from tracker.jobs.services import start_job
from tracker.jobs.views import to_the_job
from tracker.nominations import units as nominated_units
from tracker.outcome import attempt, done
from tracker.permissions import can_edit_unit, can_manage_units, can_rebuild_figures, get_unit_or_404, require
from tracker.units import services
from tracker.units.forms import UnitFilterForm, UnitForm
from tracker.units.models import Unit, UnitKind
from tracker.users import services as users

bp = Blueprint("units", __name__, url_prefix="/admin/units")


@bp.before_request
@login_required
def _admins_only():
    require(can_manage_units(current_user))


def unit_choices(exclude: Unit | None = None):
    """The units of the current user's subtree as indented select options (one query)."""
    root_depth = current_user.unit.depth
    return choices(
        (u.id, f"{'— ' * (u.depth - root_depth)}{u.name} ({u.code})")
        for u in db.session.scalars(services.subtree(current_user.unit))
        if exclude is None or not u.is_within(exclude)
    )


@bp.route("/")
def index():
    form = UnitFilterForm(request.args)
    query = services.search_units(current_user.unit, form.chosen_text("q"), form.chosen_enum("kind", UnitKind))
    page = db.paginate(query, per_page=50, error_out=False)
    return render_template("units/index.html", page=page, form=form,
                           user_counts=users.counts_by_unit([u.id for u in page.items]),
                           root_depth=current_user.unit.depth)


@bp.route("/recount", methods=["POST"])
def recount():
    """Recount the dashboards' figures from the data, as a background job (tracker.tasks)."""
    require(can_rebuild_figures(current_user))
    return to_the_job(attempt(lambda: start_job(current_user, "rebuild_stats", _("Recount of the dashboards' figures"), {})),
                      url_for("units.index"))


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = UnitForm()
    form.parent_id.choices = unit_choices()
    if request.method == "GET" and arg_id("parent_id"):
        form.parent_id.data = arg_id("parent_id")
    status = 200
    if form.validate_on_submit():
        parent = get_unit_or_404(current_user, form.parent_id.data)
        outcome = attempt(lambda: services.create_unit(current_user, form.name.data, form.code.data,
                                                       UnitKind(form.kind.data), parent), form)
        if outcome.ok:
            return done(_("Unit %(name)s created.", name=outcome.value.name), url_for("units.index"))
        status = outcome.status
    return render_template("units/form.html", form=form, unit=None), status


@bp.route("/<int:unit_id>/edit", methods=["GET", "POST"])
def edit(unit_id: int):
    unit = get_unit_or_404(current_user, unit_id)
    require(can_edit_unit(current_user, unit))
    form = UnitForm(obj=unit)
    if request.method == "GET":
        form.kind.data = unit.kind.value
    form.parent_id.choices = unit_choices(exclude=unit)
    status = 200
    if form.validate_on_submit():
        parent = get_unit_or_404(current_user, form.parent_id.data)
        # (through the nominations' side of the tree: a move carries the new paths to them too)
        outcome = attempt(lambda: nominated_units.update_unit(current_user, unit, form.name.data, form.code.data,
                                                              UnitKind(form.kind.data), parent,
                                                              expected_version=version_number(form)), form)
        if outcome.ok:
            return done(_("Unit %(name)s saved.", name=unit.name), url_for("units.index"))
        status = outcome.status
    return render_template("units/form.html", form=form, unit=unit), status

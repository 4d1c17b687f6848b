"""Administration of the unit tree."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from tracker.errors import DomainError
from tracker.extensions import db
from tracker.forms_base import choices, show_error, version_number
from tracker.inputs import arg_id
from tracker.permissions import can_edit_unit, can_manage_units, get_unit_or_404, require
from tracker.units import services
from tracker.units.forms import UnitFilterForm, UnitForm
from tracker.units.models import Unit, UnitKind
from tracker.users.models import User

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
    query = services.subtree(current_user.unit)
    words = form.chosen_text("q").strip()
    if words:
        term = f"%{words}%"
        query = query.where(or_(Unit.name.ilike(term), Unit.code.ilike(term)))
    kind = form.chosen_enum("kind", UnitKind)
    if kind is not None:
        query = query.where(Unit.kind == kind)
    page = db.paginate(query, per_page=50, error_out=False)
    ids = [u.id for u in page.items]
    user_counts = dict(
        db.session.execute(
            select(User.unit_id, func.count(User.id)).where(User.unit_id.in_(ids)).group_by(User.unit_id)
        ).all()
    ) if ids else {}
    return render_template("units/index.html", page=page, form=form, user_counts=user_counts,
                           root_depth=current_user.unit.depth)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = UnitForm()
    form.parent_id.choices = unit_choices()
    if request.method == "GET" and arg_id("parent_id"):
        form.parent_id.data = arg_id("parent_id")
    if form.validate_on_submit():
        parent = get_unit_or_404(current_user, form.parent_id.data)
        try:
            unit = services.create_unit(current_user, form.name.data, form.code.data,
                                        UnitKind(form.kind.data), parent)
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Unit %(name)s created.", name=unit.name), "success")
            return redirect(url_for("units.index"))
    return render_template("units/form.html", form=form, unit=None)


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
        try:
            services.update_unit(current_user, unit, form.name.data, form.code.data,
                                 UnitKind(form.kind.data), parent, expected_version=version_number(form))
        except DomainError as error:
            db.session.rollback()
            status = show_error(form, error)
        else:
            db.session.commit()
            flash(_("Unit %(name)s saved.", name=unit.name), "success")
            return redirect(url_for("units.index"))
    return render_template("units/form.html", form=form, unit=unit), status

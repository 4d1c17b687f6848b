"""Administration of users: create, edit role or unit, deactivate, reset password."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from tracker.errors import DomainError
from tracker.extensions import db
from tracker.forms_base import show_error, version_number
from tracker.permissions import (
    can_edit_user,
    can_manage_users,
    get_in_scope_or_404,
    get_unit_or_404,
    require,
    visible_unit_ids,
)
from tracker.units.views import unit_choices
from tracker.users import services
from tracker.users.forms import PasswordResetForm, UserCreateForm, UserEditForm, UserFilterForm
from tracker.users.models import Role, User

bp = Blueprint("users", __name__, url_prefix="/admin/users")


@bp.before_request
@login_required
def _admins_only():
    require(can_manage_users(current_user))


@bp.route("/")
def index():
    form = UserFilterForm(request.args)
    query = (
        select(User)
        .where(User.unit_id.in_(visible_unit_ids(current_user)))
        .options(joinedload(User.unit))
        .order_by(User.username)
    )
    words = form.chosen_text("q").strip()
    if words:
        term = f"%{words}%"
        query = query.where(or_(User.username.ilike(term), User.full_name.ilike(term)))
    role = form.chosen_enum("role", Role)
    if role is not None:
        query = query.where(User.role == role)
    status = form.chosen("status", {"active", "inactive"})
    if status:
        query = query.where(User.active.is_(status == "active"))
    page = db.paginate(query, per_page=25, error_out=False)
    return render_template("users/index.html", page=page, form=form)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = UserCreateForm()
    form.unit_id.choices = unit_choices()
    if form.validate_on_submit():
        unit = get_unit_or_404(current_user, form.unit_id.data)
        try:
            user = services.create_user(current_user, form.username.data, form.full_name.data,
                                        Role(form.role.data), unit, form.password.data, form.email.data)
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Account %(username)s created.", username=user.username), "success")
            return redirect(url_for("users.index"))
    return render_template("users/new.html", form=form)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    user = get_in_scope_or_404(current_user, User, user_id)
    require(can_edit_user(current_user, user))
    form = UserEditForm(obj=user)
    if request.method == "GET":
        form.role.data = user.role.value
    form.unit_id.choices = unit_choices()
    status = 200
    if form.validate_on_submit():
        unit = get_unit_or_404(current_user, form.unit_id.data)
        try:
            services.update_user(current_user, user, form.full_name.data, form.email.data,
                                 Role(form.role.data), unit, expected_version=version_number(form))
        except DomainError as error:
            db.session.rollback()
            status = show_error(form, error)
        else:
            db.session.commit()
            flash(_("Account %(username)s saved.", username=user.username), "success")
            return redirect(url_for("users.index"))
    return render_template("users/edit.html", form=form, user=user, reset_form=PasswordResetForm()), status


@bp.route("/<int:user_id>/password", methods=["POST"])
def reset_password(user_id: int):
    user = get_in_scope_or_404(current_user, User, user_id)
    require(can_edit_user(current_user, user))
    reset_form = PasswordResetForm()
    if reset_form.validate_on_submit():
        try:
            services.reset_password(current_user, user, reset_form.password.data)
        except DomainError as error:
            reset_form.password.errors = list(reset_form.password.errors) + [error.message]
        else:
            db.session.commit()
            flash(_("The password of %(username)s was reset.", username=user.username), "success")
            return redirect(url_for("users.edit", user_id=user.id))
    form = UserEditForm(obj=user, formdata=None)
    form.role.data = user.role.value
    form.unit_id.choices = unit_choices()
    return render_template("users/edit.html", form=form, user=user, reset_form=reset_form), 200


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
def deactivate(user_id: int):
    user = get_in_scope_or_404(current_user, User, user_id)
    require(can_edit_user(current_user, user))
    services.set_active(current_user, user, False)
    db.session.commit()
    flash(_("Account %(username)s deactivated.", username=user.username), "success")
    return redirect(url_for("users.edit", user_id=user.id))


@bp.route("/<int:user_id>/activate", methods=["POST"])
def activate(user_id: int):
    user = get_in_scope_or_404(current_user, User, user_id)
    require(can_edit_user(current_user, user))
    services.set_active(current_user, user, True)
    db.session.commit()
    flash(_("Account %(username)s reactivated.", username=user.username), "success")
    return redirect(url_for("users.edit", user_id=user.id))

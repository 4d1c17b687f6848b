"""Administration of users: create, edit role or unit, deactivate, reset password."""
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.extensions import db
from tracker.forms_base import version_number
from tracker.outcome import attempt, done
from tracker.permissions import (
    can_edit_user,
    can_revoke_token,
    get_by_id,
    in_scope,
    can_manage_users,
    get_in_scope_or_404,
    get_unit_or_404,
    require,
    visible_unit_ids,
)
from tracker.tokens import services as token_services
from tracker.tokens.labels import TOKEN_SCOPE_LABELS
from tracker.tokens.models import ApiToken
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
    query = services.search_users(visible_unit_ids(current_user), form.chosen_text("q"),
                                  form.chosen_enum("role", Role), form.chosen("status", {"active", "inactive"}))
    page = db.paginate(query, per_page=25, error_out=False)
    return render_template("users/index.html", page=page, form=form)


@bp.route("/tokens")
def tokens():
    """The API tokens still in use by the users of the admin's subtree, to revoke one that leaked."""
    page = db.paginate(token_services.tokens_in(visible_unit_ids(current_user)), per_page=25, error_out=False)
    return render_template("users/tokens.html", page=page, scope_labels=TOKEN_SCOPE_LABELS)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token(token_id: int):
    token = get_by_id(ApiToken, token_id)
    if token is None or not in_scope(current_user, token.user.unit):
        abort(404)
    require(can_revoke_token(current_user, token))
    attempt(lambda: token_services.revoke_token(current_user._get_current_object(), token))
    return done(_("The token %(name)s of %(username)s was revoked.", name=token.name, username=token.user.username),
                url_for("users.tokens"))


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = UserCreateForm()
    form.unit_id.choices = unit_choices()
    status = 200
    if form.validate_on_submit():
        unit = get_unit_or_404(current_user, form.unit_id.data)
        outcome = attempt(lambda: services.create_user(current_user, form.username.data, form.full_name.data,
                                                       Role(form.role.data), unit, form.password.data,
                                                       form.email.data), form)
        if outcome.ok:
            return done(_("Account %(username)s created.", username=outcome.value.username), url_for("users.index"))
        status = outcome.status
    return render_template("users/new.html", form=form), status


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
        outcome = attempt(lambda: services.update_user(current_user, user, form.full_name.data, form.email.data,
                                                       Role(form.role.data), unit,
                                                       expected_version=version_number(form)), form)
        if outcome.ok:
            return done(_("Account %(username)s saved.", username=user.username), url_for("users.index"))
        status = outcome.status
    return render_template("users/edit.html", form=form, user=user, reset_form=PasswordResetForm()), status


@bp.route("/<int:user_id>/password", methods=["POST"])
def reset_password(user_id: int):
    user = get_in_scope_or_404(current_user, User, user_id)
    require(can_edit_user(current_user, user))
    reset_form = PasswordResetForm()
    if reset_form.validate_on_submit():
        if attempt(lambda: services.reset_password(current_user, user, reset_form.password.data), reset_form).ok:
            return done(_("The password of %(username)s was reset.", username=user.username),
                        url_for("users.edit", user_id=user.id))
    form = UserEditForm(obj=user, formdata=None)
    form.role.data = user.role.value
    form.unit_id.choices = unit_choices()
    return render_template("users/edit.html", form=form, user=user, reset_form=reset_form), 200


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
def deactivate(user_id: int):
    user = get_in_scope_or_404(current_user, User, user_id)
    require(can_edit_user(current_user, user))
    attempt(lambda: services.set_active(current_user, user, False))
    return done(_("Account %(username)s deactivated.", username=user.username), url_for("users.edit", user_id=user.id))


@bp.route("/<int:user_id>/activate", methods=["POST"])
def activate(user_id: int):
    user = get_in_scope_or_404(current_user, User, user_id)
    require(can_edit_user(current_user, user))
    attempt(lambda: services.set_active(current_user, user, True))
    return done(_("Account %(username)s reactivated.", username=user.username), url_for("users.edit", user_id=user.id))

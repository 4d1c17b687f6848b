"""The award catalogue: the awards of each legal regime, and their rules as versioned law, which
an administrator of the whole country changes by new versions from a day."""
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.catalogue import services
from tracker.catalogue.forms import changes_of, rules_form, threshold_text
from tracker.catalogue.models import AwardType
from tracker.extensions import db
from tracker.forms_base import version_number
from tracker.outcome import attempt, done
from tracker.permissions import can_manage_catalogue, require

bp = Blueprint("catalogue", __name__, url_prefix="/awards/catalogue")


@bp.before_request
@login_required
def _admins_only():
    require(can_manage_catalogue(current_user))


@bp.route("/")
def index():
    return render_template("catalogue/index.html", awards=services.every_award(),
                           rules=services.every_rule_in_force(clock.today()), threshold_text=threshold_text,
                           params_of=services.params_of)


@bp.route("/<int:award_id>", methods=["GET", "POST"])
def edit(award_id: int):
    """An award's rules: each requirement's versions (the history), and the form of a new version
    in force from a chosen day (the old versions stay)."""
    award = db.session.get(AwardType, award_id)
    if award is None:
        abort(404)
    current = services.rules_in_force(award, clock.today())
    if request.method == "POST":
        form = rules_form(award.code, current, services.rule_params, formdata=request.form, today=clock.today())
    else:
        form = rules_form(award.code, current, services.rule_params, version=award.version, today=clock.today())
    status = 200
    if form.validate_on_submit():
        outcome = attempt(lambda: services.add_rule_version(
            current_user, award, form.valid_from.data, changes_of(award.code, form), form.note.data or "",
            expected_version=version_number(form)), form)
        if outcome.ok:
            message = (_("A new version of the rules of %(name)s is in force from %(day)s.", name=award.name,
                         day=form.valid_from.data.strftime("%d/%m/%Y")) if outcome.value
                       else _("Nothing changed: the rules of %(name)s stay as they were.", name=award.name))
            return done(message, url_for("catalogue.edit", award_id=award.id))
        status = outcome.status
    return render_template("catalogue/edit.html", award=award, form=form, history=services.rule_history(award),
                           rule_params=services.rule_params, threshold_text=threshold_text), status

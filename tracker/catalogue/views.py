"""The award catalogue: the awards of each legal regime and the thresholds an administrator of the
whole country may change."""
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.catalogue import services
from tracker.catalogue.forms import threshold_text, thresholds_form
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
    return render_template("catalogue/index.html", awards=services.every_award(), params=services.award_params,
                           threshold_text=threshold_text)


@bp.route("/<int:award_id>", methods=["GET", "POST"])
def edit(award_id: int):
    award = db.session.get(AwardType, award_id)
    if award is None:
        abort(404)
    params = services.award_params(award)
    if request.method == "POST":
        form = thresholds_form(params, formdata=request.form)
    else:
        form = thresholds_form(params, version=award.version)
    status = 200
    if form.validate_on_submit():
        values = {key: getattr(form, key).data for key in params}
        outcome = attempt(lambda: services.update_award_params(current_user, award, values,
                                                               expected_version=version_number(form)), form)
        if outcome.ok:
            return done(_("Thresholds of %(name)s saved.", name=award.name), url_for("catalogue.index"))
        status = outcome.status
    return render_template("catalogue/edit.html", award=award, form=form, keys=list(params)), status

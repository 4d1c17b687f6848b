"""The revocation of an award received: the committee proposes it from the candidate's page, a
leader decides or dismisses it; the decision is written as .docx by a background job."""
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.awards import document_jobs
from tracker.revocations import services as revocations
from tracker.revocations.forms import DismissRevocationForm, RevocationDecisionForm, RevocationForm
from tracker.awards.models import Revocation, RevocationStatus
from tracker.candidates.models import AwardRecord
from tracker.extensions import db
from tracker.jobs.views import to_the_job
from tracker.outcome import attempt, done

from tracker.permissions import (
    can_decide_revocation,
    can_propose_revocation,
    can_view_revocation,
    can_view_revocations,
    get_by_id,
    in_scope,
    require,
    visible_unit_ids,
)
from tracker.throttle import enforce

bp = Blueprint("revocations", __name__, url_prefix="/awards/revocations")


@bp.before_request
@login_required
def _signed_in():
    pass


def _award_or_404(record_id: int) -> AwardRecord:
    award = get_by_id(AwardRecord, record_id)
    if award is None or not in_scope(current_user, award.candidate.unit):
        abort(404)
    return award


def _revocation_or_404(revocation_id: int) -> Revocation:
    revocation = get_by_id(Revocation, revocation_id)
    if revocation is None or not in_scope(current_user, revocation.unit):
        abort(404)
    require(can_view_revocation(current_user, revocation))
    return revocation


@bp.route("/")
def index():
    require(can_view_revocations(current_user))
    page = db.paginate(revocations.search_revocations(visible_unit_ids(current_user)), per_page=25, error_out=False)
    return render_template("revocations/index.html", page=page)


@bp.route("/new/<int:record_id>", methods=["GET", "POST"])
def propose(record_id: int):
    award = _award_or_404(record_id)
    require(can_propose_revocation(current_user, award.candidate))
    form = RevocationForm()
    if request.method == "GET":
        form.legal_basis.data = revocations.default_basis(clock.today())
    status = 200
    if form.validate_on_submit():
        outcome = attempt(lambda: revocations.propose_revocation(
            current_user._get_current_object(), award, current_user.unit, form.reason.data, form.legal_basis.data),
            form)
        if outcome.ok:
            return done(_("The revocation is proposed: the leaders decide it."),
                        url_for("revocations.show", revocation_id=outcome.value.id))
        status = outcome.status
    return render_template("revocations/form.html", award=award, form=form), status


def _page(revocation, decision_form=None, dismiss_form=None, status: int = 200):
    if decision_form is None:
        decision_form = RevocationDecisionForm(formdata=None, data={"decision_date": clock.today()})
    return render_template(
        "revocations/show.html", revocation=revocation, award=revocation.award_record,
        decision_form=decision_form, dismiss_form=dismiss_form or DismissRevocationForm(formdata=None),
        may_decide=can_decide_revocation(current_user, revocation)
        and revocation.status is RevocationStatus.PROPOSED), status


@bp.route("/<int:revocation_id>")
def show(revocation_id: int):
    return _page(_revocation_or_404(revocation_id))


@bp.route("/<int:revocation_id>/decide", methods=["POST"])
def decide(revocation_id: int):
    revocation = _revocation_or_404(revocation_id)
    require(can_decide_revocation(current_user, revocation))
    form = RevocationDecisionForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: revocations.decide_revocation(
            current_user._get_current_object(), revocation, form.decision_number.data, form.decision_date.data,
            form.signer.data), form)
        if outcome.ok:
            return done(_("The award is revoked."), url_for("revocations.show", revocation_id=revocation.id))
        return _page(revocation, decision_form=form, status=outcome.status)
    return _page(revocation, decision_form=form)


@bp.route("/<int:revocation_id>/dismiss", methods=["POST"])
def dismiss(revocation_id: int):
    revocation = _revocation_or_404(revocation_id)
    require(can_decide_revocation(current_user, revocation))
    form = DismissRevocationForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: revocations.dismiss_revocation(current_user._get_current_object(), revocation,
                                                                 form.dismissal.data), form)
        if outcome.ok:
            return done(_("The revocation is dismissed: the award stays."),
                        url_for("revocations.show", revocation_id=revocation.id))
        return _page(revocation, dismiss_form=form, status=outcome.status)
    return _page(revocation, dismiss_form=form)


@bp.route("/<int:revocation_id>/quyet-dinh-thu-hoi.docx", methods=["POST"])
def document(revocation_id: int):
    """The revocation decision, written by a background job: to the job's page."""
    revocation = _revocation_or_404(revocation_id)
    if revocation.status is not RevocationStatus.DECIDED:
        abort(404)
    enforce("EXPORT_LIMIT_PER_USER", "export", current_user)
    return to_the_job(attempt(lambda: document_jobs.start_revocation_document(current_user._get_current_object(), revocation)),
                      url_for("revocations.show", revocation_id=revocation.id))

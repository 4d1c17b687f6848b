"""The public posting of proposals' lists (công khai): what is posted, and the objection form. No
account needed; objections are limited per address, kept short, and a field people never see
catches bots."""
from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _

from tracker.awards import posting
from tracker.awards.forms import ObjectionForm
from tracker.awards.models import Proposal, ProposalStatus
from tracker.formatting import shorten
from tracker.forms_base import choices
from tracker.honours.queries import SUMMARY_LENGTH
from tracker.outcome import attempt, done
from tracker.permissions import get_by_id
from tracker.throttle import throttle

bp = Blueprint("posting", __name__, url_prefix="/cong-khai")


@bp.route("/")
def index():
    return render_template("posting/index.html", posted=posting.posted_proposals())


def _posted_or_404(proposal_id: int) -> tuple[Proposal, posting.Posting]:
    proposal = get_by_id(Proposal, proposal_id)
    if proposal is None or proposal.status is not ProposalStatus.DRAFT:
        abort(404)
    state = posting.posting_of(proposal)
    if not state.running:  # nothing posted, or no longer: nobody's to see
        abort(404)
    return proposal, state


def _summary(text: str) -> str:
    return shorten(text, SUMMARY_LENGTH)  # as long as the honour roll's


def _page(proposal, state, form=None, status: int = 200):
    form = form or ObjectionForm(formdata=None)
    form.nomination_id.choices = choices([("", _("Choose"))] + [
        (item.nomination_id, item.nomination.candidate.full_name) for item in proposal.items])
    return render_template("posting/show.html", proposal=proposal, state=state, form=form, summary=_summary), status


@bp.route("/<int:proposal_id>")
def show(proposal_id: int):
    proposal, state = _posted_or_404(proposal_id)
    return _page(proposal, state)


@bp.route("/<int:proposal_id>", methods=["POST"])
def object_to(proposal_id: int):
    proposal, state = _posted_or_404(proposal_id)
    form = ObjectionForm()
    thanks = url_for("posting.show", proposal_id=proposal.id) + "#objection"
    if form.validate_on_submit():
        if form.website.data:  # a bot filled the field people never see: thanked, nothing kept
            return done(_("Thank you: the committee has received your objection."), thanks)
        refusal = throttle().hit(current_app.config["OBJECTION_LIMIT_PER_ADDRESS"], "objection",
                                 request.remote_addr or "")
        if refusal is not None:
            abort(429, retry_after=refusal.retry_after)
        outcome = attempt(lambda: posting.object_to(proposal, form.nomination_id.data, form.name.data,
                                                    form.contact.data, form.text.data), form)
        if outcome.ok:
            return done(_("Thank you: the committee has received your objection."), thanks)
        return _page(proposal, state, form, outcome.status)
    return _page(proposal, state, form)

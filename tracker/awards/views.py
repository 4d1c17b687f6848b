"""Award proposals (tờ trình) and decisions (quyết định), with their documents."""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.attachments.services import ACCEPT_ATTRIBUTE, Upload, limits
from tracker.awards import document_jobs, documents, dossier, posting, services
from tracker.awards.forms import (
    AddItemsForm,
    DecisionForm,
    DossierFileForm,
    PostingForm,
    ProposalFilterForm,
    ProposalForm,
    RejectForm,
    ResolveObjectionForm,
)
from tracker.awards.labels import PROPOSAL_STATUS_LABELS
from tracker.awards.models import Proposal, ProposalStatus
from tracker.catalogue import services as award_catalogue
from tracker.catalogue.models import AwardType
from tracker.catalogue.regimes import regime_for
from tracker.extensions import db
from tracker.forms_base import choices
from tracker.jobs.views import to_the_job
from tracker.outcome import ERROR, attempt, done
from tracker.permissions import (
    can_approve_proposal,
    can_create_proposal,
    can_edit_proposal,
    can_view_proposal,
    can_view_proposals,
    require,
    visible_unit_ids,
)
from tracker.plans import services as plan_services
from tracker.throttle import enforce

bp = Blueprint("awards", __name__, url_prefix="/awards")


@bp.before_request
@login_required
def _signed_in():
    pass


def _proposal_or_404(proposal_id: int) -> Proposal:
    require(can_view_proposals(current_user))
    proposal = services.load_proposal(proposal_id)
    if proposal is None or not can_view_proposal(current_user, proposal):
        abort(404)
    return proposal


def _nomination_choices(plan_id=None):
    nominations = db.session.scalars(services.proposable_nominations(current_user.unit, plan_id)).all()
    return nominations, choices(
        (n.id, f"{n.candidate.full_name} – {n.unit.name}") for n in nominations)


# --- proposals ---------------------------------------------------------------------------


@bp.route("/proposals/")
def proposals():
    require(can_view_proposals(current_user))
    form = ProposalFilterForm(request.args)
    form.status.choices = choices([("", _("All"))] + [(s.value, PROPOSAL_STATUS_LABELS[s]) for s in ProposalStatus])
    query = services.search_proposals(visible_unit_ids(current_user), form.chosen_enum("status", ProposalStatus))
    page = db.paginate(query, per_page=25, error_out=False)
    return render_template("awards/proposals.html", page=page, form=form)


@bp.route("/proposals/new", methods=["GET", "POST"])
def new_proposal():
    require(can_create_proposal(current_user))
    form = ProposalForm()
    day = form.proposal_date.data or clock.today()
    regime = regime_for(day)
    form.award_type_id.choices = choices((a.id, a.name) for a in award_catalogue.award_choices(day))
    plans = db.session.scalars(plan_services.visible_plans(current_user)).all()
    form.plan_id.choices = choices([(0, _("(none)"))] + [(p.id, f"{p.number} – {p.title}") for p in plans])
    nominations, form.nomination_ids.choices = _nomination_choices()
    if request.method == "GET":
        form.proposal_date.data = clock.today()
        form.addressed_authority.data = _("Chairman of the People's Committee")
    status = 200
    if form.validate_on_submit():
        chosen = [n for n in nominations if n.id in set(form.nomination_ids.data or [])]
        plan = next((p for p in plans if p.id == form.plan_id.data), None)
        outcome = attempt(lambda: services.create_proposal(
            current_user, current_user.unit, form.number.data, form.proposal_date.data,
            db.session.get(AwardType, form.award_type_id.data), form.addressed_authority.data, chosen,
            plan=plan), form)
        if outcome.ok:
            return done(_("Proposal %(number)s created as a draft.", number=outcome.value.number),
                        url_for("awards.proposal", proposal_id=outcome.value.id))
        status = outcome.status
    return render_template("awards/proposal_form.html", form=form, regime=regime, nominations=nominations), status


@bp.route("/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    return _proposal_page(_proposal_or_404(proposal_id))


def _proposal_page(proposal, reject_form=None, post_form=None, resolve_forms=None, file_form=None,
                   status: int = 200):
    """The proposal with its review, its money, its council votes, its public posting and the
    objections to it; the forms as typed when one came back with messages."""
    review = services.review_proposal(proposal)
    add_form = AddItemsForm()
    if can_edit_proposal(current_user, proposal) and proposal.status is ProposalStatus.DRAFT:
        _nominations, add_form.nomination_ids.choices = _nomination_choices(proposal.plan_id)
    decision = services.decision_of(proposal)
    objections = posting.objections_of(proposal)
    resolve_forms = {o.id: (resolve_forms or {}).get(o.id) or ResolveObjectionForm(formdata=None, prefix=f"o{o.id}")
                     for o in objections}
    return render_template("awards/proposal.html", proposal=proposal, review=review, add_form=add_form,
                           reject_form=reject_form or RejectForm(), decision=decision,
                           money=services.proposal_money(proposal, decision), votes=services.council_votes(proposal),
                           posting=posting.posting_of(proposal), objections=objections, resolve_forms=resolve_forms,
                           post_form=post_form or PostingForm(formdata=None),
                           dossier=dossier.dossier_of(proposal), proposal_meetings=services.council_meetings(proposal),
                           file_form=file_form or DossierFileForm(formdata=None),
                           accept=ACCEPT_ATTRIBUTE, limits=limits()), status


@bp.route("/proposals/<int:proposal_id>/dossier", methods=["POST"])
def add_dossier_files(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(can_edit_proposal(current_user, proposal))
    form = DossierFileForm()
    if form.validate_on_submit():
        uploads = [Upload(f.filename or "", f.stream) for f in form.files.data or [] if f.filename]
        outcome = attempt(lambda: dossier.add_files(current_user._get_current_object(), proposal, uploads,
                                                    form.category.data), form)
        if outcome.ok:
            return done(_("%(count)s files added to the dossier.", count=len(outcome.value)),
                        url_for("awards.proposal", proposal_id=proposal.id) + "#dossier")
        return _proposal_page(proposal, file_form=form, status=outcome.status)
    return _proposal_page(proposal, file_form=form)


@bp.route("/proposals/<int:proposal_id>/post", methods=["POST"])
def post_publicly(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(can_edit_proposal(current_user, proposal))
    form = PostingForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: posting.post_publicly(current_user._get_current_object(), proposal), form)
        if outcome.ok:
            return done(_("The list is posted publicly until %(day)s.", day=outcome.value.ends.strftime("%d/%m/%Y")),
                        url_for("awards.proposal", proposal_id=proposal.id) + "#posting")
        return _proposal_page(proposal, post_form=form, status=outcome.status)
    return _proposal_page(proposal, post_form=form)


@bp.route("/proposals/<int:proposal_id>/objections/<int:objection_id>/resolve", methods=["POST"])
def resolve_objection(proposal_id: int, objection_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(can_edit_proposal(current_user, proposal))
    objection = next((o for o in posting.objections_of(proposal) if o.id == objection_id), None)
    if objection is None:
        abort(404)
    form = ResolveObjectionForm(prefix=f"o{objection.id}")
    if form.validate_on_submit():
        upheld = form.outcome.data == "upheld"
        outcome = attempt(lambda: posting.resolve_objection(current_user._get_current_object(), objection, upheld,
                                                            form.resolution.data), form)
        if outcome.ok:
            return done(_("The objection is upheld: the nominee was withdrawn from the proposal.") if upheld
                        else _("The objection is dismissed."),
                        url_for("awards.proposal", proposal_id=proposal.id) + "#objections")
        return _proposal_page(proposal, resolve_forms={objection.id: form}, status=outcome.status)
    return _proposal_page(proposal, resolve_forms={objection.id: form})


@bp.route("/proposals/<int:proposal_id>/items", methods=["POST"])
def add_items(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(can_edit_proposal(current_user, proposal))
    form = AddItemsForm()
    nominations, form.nomination_ids.choices = _nomination_choices(proposal.plan_id)
    if form.validate_on_submit():
        chosen = [n for n in nominations if n.id in set(form.nomination_ids.data or [])]
        if attempt(lambda: services.add_items(current_user, proposal, chosen)).ok:
            flash(_("Nominations added."), "success")
    else:
        flash(_("Choose accepted nominations of your unit."), ERROR)
    return redirect(url_for("awards.proposal", proposal_id=proposal.id))


@bp.route("/proposals/<int:proposal_id>/items/<int:item_id>/delete", methods=["POST"])
def remove_item(proposal_id: int, item_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(can_edit_proposal(current_user, proposal))
    item = next((i for i in proposal.items if i.id == item_id), None)
    if item is None:
        abort(404)
    attempt(lambda: services.remove_item(current_user, proposal, item))
    return redirect(url_for("awards.proposal", proposal_id=proposal.id))


@bp.route("/proposals/<int:proposal_id>/<any(submit, approve):action>", methods=["POST"])
def change_status(proposal_id: int, action: str):
    proposal = _proposal_or_404(proposal_id)
    if action == "submit":
        require(can_edit_proposal(current_user, proposal))
        if attempt(lambda: services.submit_proposal(current_user, proposal)).ok:
            flash(_("The proposal was submitted to the leaders."), "success")
        return redirect(url_for("awards.proposal", proposal_id=proposal.id))
    require(can_approve_proposal(current_user, proposal))
    form = RejectForm()  # the leader's box: a comment, optional when approving
    outcome = attempt(lambda: services.approve_proposal(current_user, proposal, form.reason.data or ""), form)
    if outcome.ok:
        return done(_("The proposal was approved."), url_for("awards.proposal", proposal_id=proposal.id))
    if form.reason.errors:  # the comment itself: shown in the box, as typed
        return _leader_page(proposal, form, outcome.status)
    return redirect(url_for("awards.proposal", proposal_id=proposal.id))  # no longer awaiting: flashed


@bp.route("/proposals/<int:proposal_id>/reject", methods=["POST"])
def reject(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(can_approve_proposal(current_user, proposal))
    form = RejectForm()
    if form.validate_on_submit():
        if attempt(lambda: services.reject_proposal(current_user, proposal, form.reason.data), form).ok:
            return done(_("The proposal was rejected."), url_for("awards.proposal", proposal_id=proposal.id))
    return _leader_page(proposal, form, 200)


def _leader_page(proposal, form, status: int):
    """The proposal again, with the leader's box as they typed it and its message."""
    return _proposal_page(proposal, reject_form=form, status=status)


@bp.route("/proposals/<int:proposal_id>/decision", methods=["GET", "POST"])
def decision(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(can_edit_proposal(current_user, proposal))
    form = DecisionForm()
    form.awarded_item_ids.choices = choices(
        (i.id, f"{i.nomination.candidate.full_name} – {i.nomination.unit.name}") for i in proposal.items)
    if request.method == "GET":
        form.awarded_item_ids.data = [i.id for i in proposal.items]
        form.decision_date.data = clock.today()
    status = 200
    if form.validate_on_submit():
        outcome = attempt(lambda: services.record_decision(current_user, proposal, form.number.data,
                                                           form.decision_date.data, form.signer.data,
                                                           set(form.awarded_item_ids.data or [])), form)
        if outcome.ok:
            return done(_("Decision %(number)s recorded.", number=form.number.data.strip()),
                        url_for("awards.proposal", proposal_id=proposal.id))
        status = outcome.status
    return render_template("awards/decision_form.html", form=form, proposal=proposal), status


@bp.route('/proposals/<int:proposal_id>/<any("to-trinh.docx", "danh-sach.xlsx", "quyet-dinh.docx"):document>',
          methods=["POST"])
def proposal_document(proposal_id: int, document: str):
    """One of the proposal's documents, written by a background job: to the job's page."""
    proposal = _proposal_or_404(proposal_id)
    enforce("EXPORT_LIMIT_PER_USER", "export", current_user)
    kind = DOCUMENTS[document]
    if kind == "decision_docx" and services.decision_of(proposal) is None:
        abort(404)
    return to_the_job(attempt(lambda: document_jobs.start_document(current_user, proposal, kind)),
                      url_for("awards.proposal", proposal_id=proposal.id))


DOCUMENTS = {"to-trinh.docx": "proposal_docx", "danh-sach.xlsx": "proposal_xlsx", "quyet-dinh.docx": "decision_docx"}


@bp.route('/<any("bao-cao-thanh-tich-ca-nhan", "bao-cao-thanh-tich-tap-the", "bao-cao-thanh-tich-ca-nhan-theo-dot", '
          '"bao-cao-thanh-tich-tap-the-theo-dot"):kind>.docx')
def achievement_template(kind: str):
    """The blank report of achievements a nominee fills in (individual or collective, annual or
    for a campaign): a small fixed document, written on the spot."""
    data = documents.achievement_report_template("tap-the" in kind, kind.endswith("theo-dot"))
    return send_file(io.BytesIO(data), mimetype=document_jobs.DOCX, as_attachment=True, download_name=f"{kind}.docx")

"""Proposals and decisions, candidate history, and the award catalogue."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker import clock
from tracker.awards import documents, history_import, services
from tracker.awards.catalogue import regime_for
from tracker.awards.forms import (
    AddItemsForm,
    AwardRecordForm,
    CandidateYearForm,
    DecisionForm,
    HistoryImportForm,
    ProposalFilterForm,
    ProposalForm,
    RejectForm,
)
from tracker.awards.labels import DISCIPLINE_LABELS, LEVEL_LABELS, PROPOSAL_STATUS_LABELS, RATING_LABELS
from tracker.awards.models import (
    AwardRecord,
    AwardType,
    CandidateYear,
    Decision,
    Discipline,
    InitiativeLevel,
    Proposal,
    ProposalStatus,
    Rating,
)
from tracker.errors import DomainError
from tracker.spreadsheets.writer import xlsx_response
from tracker.extensions import db
from tracker.forms_base import VersionForm, choices, show_error, version_number
from tracker.nominations.models import Candidate, Nomination
from tracker.permissions import (
    can_approve_proposal,
    can_create_proposal,
    can_edit_candidate_history,
    can_edit_proposal,
    can_import_history,
    can_manage_catalogue,
    can_view_candidate,
    can_view_proposal,
    can_view_proposals,
    get_in_scope_or_404,
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
    query = (select(Proposal).where(Proposal.proposing_unit_id.in_(visible_unit_ids(current_user)))
             .options(joinedload(Proposal.award_type), joinedload(Proposal.proposing_unit))
             .order_by(Proposal.id.desc()))
    status = form.chosen_enum("status", ProposalStatus)
    if status is not None:
        query = query.where(Proposal.status == status)
    page = db.paginate(query, per_page=25, error_out=False)
    return render_template("awards/proposals.html", page=page, form=form)


@bp.route("/proposals/new", methods=["GET", "POST"])
def new_proposal():
    require(can_create_proposal(current_user))
    form = ProposalForm()
    day = form.proposal_date.data or clock.today()
    regime = regime_for(day)
    awards = db.session.scalars(services.awards_of_regime(regime)).all()
    form.award_type_id.choices = choices((a.id, a.name) for a in awards)
    plans = db.session.scalars(plan_services.visible_plans(current_user)).all()
    form.plan_id.choices = choices([(0, _("(none)"))] + [(p.id, f"{p.number} – {p.title}") for p in plans])
    nominations, form.nomination_ids.choices = _nomination_choices()
    if request.method == "GET":
        form.proposal_date.data = clock.today()
        form.addressed_authority.data = _("Chairman of the People's Committee")
    if form.validate_on_submit():
        chosen = [n for n in nominations if n.id in set(form.nomination_ids.data or [])]
        try:
            proposal = services.create_proposal(
                current_user, current_user.unit, form.number.data, form.proposal_date.data,
                db.session.get(AwardType, form.award_type_id.data), form.addressed_authority.data, chosen,
                plan=db.session.get(plan_services.Plan, form.plan_id.data) if form.plan_id.data else None)
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Proposal %(number)s created as a draft.", number=proposal.number), "success")
            return redirect(url_for("awards.proposal", proposal_id=proposal.id))
    return render_template("awards/proposal_form.html", form=form, regime=regime, nominations=nominations)


@bp.route("/proposals/<int:proposal_id>")
def proposal(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    review = services.review_proposal(proposal)
    add_form = AddItemsForm()
    if can_edit_proposal(current_user, proposal) and proposal.status is ProposalStatus.DRAFT:
        _nominations, add_form.nomination_ids.choices = _nomination_choices(proposal.plan_id)
    decision = db.session.scalar(select(Decision).where(Decision.proposal_id == proposal.id))
    return render_template("awards/proposal.html", proposal=proposal, review=review, add_form=add_form,
                           reject_form=RejectForm(), decision=decision)


@bp.route("/proposals/<int:proposal_id>/items", methods=["POST"])
def add_items(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(can_edit_proposal(current_user, proposal))
    form = AddItemsForm()
    nominations, form.nomination_ids.choices = _nomination_choices(proposal.plan_id)
    if form.validate_on_submit():
        chosen = [n for n in nominations if n.id in set(form.nomination_ids.data or [])]
        try:
            services.add_items(current_user, proposal, chosen)
        except DomainError as error:
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Nominations added."), "success")
    else:
        flash(_("Choose accepted nominations of your unit."), "danger")
    return redirect(url_for("awards.proposal", proposal_id=proposal.id))


@bp.route("/proposals/<int:proposal_id>/items/<int:item_id>/delete", methods=["POST"])
def remove_item(proposal_id: int, item_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(can_edit_proposal(current_user, proposal))
    item = next((i for i in proposal.items if i.id == item_id), None)
    if item is None:
        abort(404)
    try:
        services.remove_item(current_user, proposal, item)
    except DomainError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
    return redirect(url_for("awards.proposal", proposal_id=proposal.id))


@bp.route("/proposals/<int:proposal_id>/<any(submit, approve):action>", methods=["POST"])
def change_status(proposal_id: int, action: str):
    proposal = _proposal_or_404(proposal_id)
    if action == "submit":
        require(can_edit_proposal(current_user, proposal))
        step, message = services.submit_proposal, _("The proposal was submitted to the leaders.")
    else:
        require(can_approve_proposal(current_user, proposal))
        step, message = services.approve_proposal, _("The proposal was approved.")
    try:
        step(current_user, proposal)
    except DomainError as error:
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("awards.proposal", proposal_id=proposal.id))


@bp.route("/proposals/<int:proposal_id>/reject", methods=["POST"])
def reject(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    require(can_approve_proposal(current_user, proposal))
    form = RejectForm()
    if form.validate_on_submit():
        try:
            services.reject_proposal(current_user, proposal, form.reason.data)
        except DomainError as error:
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("The proposal was rejected."), "success")
            return redirect(url_for("awards.proposal", proposal_id=proposal.id))
    review = services.review_proposal(proposal)
    return render_template("awards/proposal.html", proposal=proposal, review=review, add_form=AddItemsForm(),
                           reject_form=form, decision=None), 200


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
    if form.validate_on_submit():
        try:
            services.record_decision(current_user, proposal, form.number.data, form.decision_date.data,
                                     form.signer.data, set(form.awarded_item_ids.data or []))
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Decision %(number)s recorded.", number=form.number.data.strip()), "success")
            return redirect(url_for("awards.proposal", proposal_id=proposal.id))
    return render_template("awards/decision_form.html", form=form, proposal=proposal)


def _file(data: bytes, name: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _slug(number: str) -> str:
    return number.replace("/", "-").replace("Đ", "D").replace("đ", "d")


@bp.route("/proposals/<int:proposal_id>/to-trinh.docx")
def proposal_docx(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    enforce("EXPORT_LIMIT_PER_USER", "export", current_user)
    return _file(documents.proposal_docx(proposal, proposal.plan), f"to-trinh-{_slug(proposal.number)}.docx", DOCX)


@bp.route("/proposals/<int:proposal_id>/danh-sach.xlsx")
def proposal_xlsx(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    enforce("EXPORT_LIMIT_PER_USER", "export", current_user)
    return _file(documents.proposal_xlsx(proposal), f"danh-sach-{_slug(proposal.number)}.xlsx", XLSX)


@bp.route("/proposals/<int:proposal_id>/quyet-dinh.docx")
def decision_docx(proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    enforce("EXPORT_LIMIT_PER_USER", "export", current_user)
    decision = db.session.scalar(select(Decision).where(Decision.proposal_id == proposal.id))
    if decision is None:
        abort(404)
    return _file(documents.decision_list_docx(proposal, decision), f"danh-sach-{_slug(decision.number)}.docx", DOCX)


# --- candidate history -------------------------------------------------------------------


def _candidate_or_404(candidate_id: int) -> Candidate:
    candidate = get_in_scope_or_404(current_user, Candidate, candidate_id)
    require(can_view_candidate(current_user, candidate))
    return candidate


def _year_form(years: list[CandidateYear]) -> CandidateYearForm:
    """The year form: filled with the row the Edit link chose (?year=), else blank for a new year."""
    row = next((y for y in years if str(y.year) == request.args.get("year", "")), None)
    if row is None:
        return CandidateYearForm(formdata=None, data={"version": 0})
    value = lambda member: member.value if member is not None else ""  # noqa: E731
    return CandidateYearForm(formdata=None, data={
        **{name: getattr(row, name) for name in services.YEAR_FIELDS},
        "year": row.year, "opened_year": row.year, "version": row.version,
        "rating": value(row.rating), "initiative_level": value(row.initiative_level),
        "discipline": value(row.discipline),
        "research_accepted": {True: "yes", False: "no"}.get(row.research_accepted, ""),
    })


def _history_page(candidate, year_form=None, award_form=None, status=200):
    years = db.session.scalars(select(CandidateYear).where(CandidateYear.candidate_id == candidate.id)
                               .order_by(CandidateYear.year.desc())).all()
    records = db.session.scalars(select(AwardRecord).where(AwardRecord.candidate_id == candidate.id)
                                 .order_by(AwardRecord.year.desc(), AwardRecord.id)).all()
    nominations = db.session.scalars(select(Nomination).where(Nomination.candidate_id == candidate.id)
                                     .options(joinedload(Nomination.plan)).order_by(Nomination.id.desc())).all()
    award_form = award_form or AwardRecordForm()
    award_form.award_type_id.choices = choices(
        (a.id, f"{a.name} ({a.regime})") for a in db.session.scalars(select(AwardType).where(AwardType.active.is_(True))
                                                                    .order_by(AwardType.regime.desc(), AwardType.id)))
    return render_template("awards/candidate.html", candidate=candidate, years=years, records=records,
                           nominations=nominations, year_form=year_form or _year_form(years),
                           award_form=award_form, rating_labels=RATING_LABELS, level_labels=LEVEL_LABELS,
                           discipline_labels=DISCIPLINE_LABELS), status


@bp.route("/candidates/<int:candidate_id>")
def candidate(candidate_id: int):
    return _history_page(_candidate_or_404(candidate_id))


def _enum_or_none(enum_cls, value):
    return enum_cls(value) if value else None


@bp.route("/candidates/<int:candidate_id>/years", methods=["POST"])
def save_year(candidate_id: int):
    candidate = _candidate_or_404(candidate_id)
    require(can_edit_candidate_history(current_user, candidate))
    form = CandidateYearForm()
    status = 200
    if form.validate_on_submit():
        values = {
            "rating": _enum_or_none(Rating, form.rating.data),
            "initiative_level": _enum_or_none(InitiativeLevel, form.initiative_level.data),
            "initiative_title": form.initiative_title.data or "",
            "initiative_count": form.initiative_count.data,
            "research_accepted": {"yes": True, "no": False}.get(form.research_accepted.data),
            "discipline": _enum_or_none(Discipline, form.discipline.data if form.discipline.data != "none" else ""),
            "members_total": form.members_total.data, "members_completed": form.members_completed.data,
            "members_ldtt": form.members_ldtt.data, "members_cstdcs": form.members_cstdcs.data,
            "members_disciplined": form.members_disciplined.data, "note": form.note.data or "",
        }
        expected = version_number(form)
        if expected is not None and (form.opened_year.data or "") != str(form.year.data):
            expected = 0  # the version was read for another year: this one is recorded as a new year
        try:
            services.save_candidate_year(current_user, candidate, form.year.data, expected_version=expected, **values)
        except DomainError as error:
            db.session.rollback()
            status = show_error(form, error)
        else:
            db.session.commit()
            flash(_("Year %(year)s saved.", year=form.year.data), "success")
            return redirect(url_for("awards.candidate", candidate_id=candidate.id))
    return _history_page(candidate, year_form=form, status=status)


@bp.route("/candidates/<int:candidate_id>/awards", methods=["POST"])
def add_award(candidate_id: int):
    candidate = _candidate_or_404(candidate_id)
    require(can_edit_candidate_history(current_user, candidate))
    form = AwardRecordForm()
    form.award_type_id.choices = choices((a.id, a.name) for a in db.session.scalars(select(AwardType)))
    if form.validate_on_submit():
        try:
            services.add_award_record(current_user, candidate, db.session.get(AwardType, form.award_type_id.data),
                                      form.year.data, (form.decision_number.data or "").strip(),
                                      form.decision_date.data)
        except DomainError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Award recorded."), "success")
            return redirect(url_for("awards.candidate", candidate_id=candidate.id))
    return _history_page(candidate, award_form=form)


@bp.route("/history/template.xlsx")
def history_template():
    require(can_import_history(current_user))
    headers, rows = history_import.template_rows()
    return xlsx_response("mau-lich-su-khen-thuong.xlsx", headers, rows)


@bp.route("/history/import", methods=["GET", "POST"])
def history_import_page():
    require(can_import_history(current_user))
    form = HistoryImportForm()
    errors = []
    if form.validate_on_submit():
        enforce("IMPORT_LIMIT_PER_USER", "import", current_user)
        result = history_import.read_history(form.file.data.read(), current_user.unit)
        if result.errors:
            errors = result.errors
        else:
            count = history_import.import_history(current_user, result)
            db.session.commit()
            flash(_("%(n)s rows of history imported.", n=count), "success")
            return redirect(url_for("awards.history_import_page"))
    return render_template("awards/history_import.html", form=form, errors=errors)


# --- catalogue ---------------------------------------------------------------------------


@bp.route("/catalogue/")
def catalogue():
    require(can_manage_catalogue(current_user))
    awards = db.session.scalars(select(AwardType).order_by(AwardType.regime.desc(), AwardType.id)).all()
    return render_template("awards/catalogue.html", awards=awards, params=services.award_params)


@bp.route("/catalogue/<int:award_id>", methods=["GET", "POST"])
def catalogue_edit(award_id: int):
    require(can_manage_catalogue(current_user))
    award = db.session.get(AwardType, award_id)
    if award is None:
        abort(404)
    params = services.award_params(award)
    errors: dict[str, str] = {}
    values = dict(params)
    form = VersionForm() if request.method == "POST" else VersionForm(formdata=None, data={"version": award.version})
    status = 200
    if request.method == "POST":  # CSRFProtect has already checked the token
        for key, old in params.items():
            raw = (request.form.get(key) or "").strip()
            values[key] = raw
            if isinstance(old, (int, float)) and not isinstance(old, bool):
                try:
                    number = int(raw)
                except ValueError:
                    errors[key] = _("Enter a whole number.")
                    continue
                if not 0 <= number <= 100:
                    errors[key] = _("Enter a number from 0 to 100.")
                    continue
                values[key] = number
            elif key == "min_rating" and raw not in {r.value for r in Rating}:
                errors[key] = _("Not a valid choice.")
        if not errors:
            try:
                services.update_award_params(current_user, award, {k: values[k] for k in params},
                                             expected_version=version_number(form))
            except DomainError as error:
                db.session.rollback()
                status = show_error(form, error)
            else:
                db.session.commit()
                flash(_("Thresholds of %(name)s saved.", name=award.name), "success")
                return redirect(url_for("awards.catalogue"))
    return render_template("awards/catalogue_edit.html", award=award, values=values, errors=errors, form=form,
                           rating_labels=RATING_LABELS), status

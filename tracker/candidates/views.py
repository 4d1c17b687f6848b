"""A candidate's history page (yearly record and awards received) and the history import."""
from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from tracker import tasks
from tracker.attachments.services import MB, Upload
from tracker.candidates import history_import, services
from tracker.candidates.forms import (
    DISCIPLINE_LABELS,
    LEVEL_LABELS,
    RATING_LABELS,
    AwardRecordForm,
    CandidateYearForm,
    HistoryImportForm,
)
from tracker.candidates.models import Candidate
from tracker.catalogue.models import AwardType
from tracker.catalogue.regimes import REGIMES
from tracker.extensions import db
from tracker.forms_base import version_number
from tracker.nominations import queries as nomination_queries
from tracker.outcome import attempt, done
from tracker.revocations import services as revocations
from tracker.permissions import (
    can_edit_candidate_history,
    can_import_history,
    can_view_candidate,
    get_in_scope_or_404,
    require,
)
from tracker.spreadsheets.writer import xlsx_response
from tracker.throttle import enforce

bp = Blueprint("candidates", __name__, url_prefix="/awards")
HISTORY_MAX_BYTES = 5 * MB  # as the form says


@bp.before_request
@login_required
def _signed_in():
    pass


def _candidate_or_404(candidate_id: int) -> Candidate:
    candidate = get_in_scope_or_404(current_user, Candidate, candidate_id)
    require(can_view_candidate(current_user, candidate))
    return candidate


def _history_page(candidate, year_form=None, award_form=None, status=200):
    page = services.history_page(candidate)
    nominations = nomination_queries.of_candidate(candidate)
    award_form = award_form or AwardRecordForm(prefix="award")
    award_form.award_type_id.choices = award_choices(page.awards)
    if year_form is None:
        chosen = next((y for y in page.years if str(y.year) == request.args.get("year", "")), None)
        year_form = CandidateYearForm.of(chosen)
    return render_template("candidates/show.html", candidate=candidate, years=page.years, records=page.records,
                           revocations=revocations.decided_of(page.records),
                           nominations=nominations, year_form=year_form, award_form=award_form,
                           rating_labels=RATING_LABELS, level_labels=LEVEL_LABELS,
                           discipline_labels=DISCIPLINE_LABELS), status


def award_choices(awards) -> list[SelectChoice]:
    """The awards one may record, grouped by legal regime; each option carries its regime's dates,
    so that the page offers only the regime in force on the decision date (or at the year's end)."""
    spans = {code: (start, end, basis) for code, start, end, basis in REGIMES}
    first = REGIMES[0][0]
    options = []
    for award in awards:
        start, end, basis = spans.get(award.regime, (None, None, award.regime))
        options.append(SelectChoice(award.id, award.name, optgroup=basis, render_kw={
            "data-regime-from": "0001-01-01" if award.regime == first or start is None else start.isoformat(),
            "data-regime-to": end.isoformat() if end else "9999-12-31"}))
    return options


@bp.route("/candidates/<int:candidate_id>")
def show(candidate_id: int):
    return _history_page(_candidate_or_404(candidate_id))


@bp.route("/candidates/<int:candidate_id>/years", methods=["POST"])
def save_year(candidate_id: int):
    candidate = _candidate_or_404(candidate_id)
    require(can_edit_candidate_history(current_user, candidate))
    form = CandidateYearForm()
    status = 200
    if form.validate_on_submit():
        expected = version_number(form)
        if expected is not None and (form.opened_year.data or "") != str(form.year.data):
            expected = 0  # the version was read for another year: this one is recorded as a new year
        outcome = attempt(lambda: services.save_candidate_year(current_user, candidate, form.year.data,
                                                               expected_version=expected, **form.values()), form)
        if outcome.ok:
            return done(_("Year %(year)s saved.", year=form.year.data), url_for("candidates.show", candidate_id=candidate.id))
        status = outcome.status
    return _history_page(candidate, year_form=form, status=status)


@bp.route("/candidates/<int:candidate_id>/awards", methods=["POST"])
def add_award(candidate_id: int):
    candidate = _candidate_or_404(candidate_id)
    require(can_edit_candidate_history(current_user, candidate))
    form = AwardRecordForm(prefix="award")
    form.award_type_id.choices = award_choices(services.history_page(candidate).awards)
    status = 200
    if form.validate_on_submit():
        outcome = attempt(lambda: services.add_award_record(
            current_user, candidate, db.session.get(AwardType, form.award_type_id.data), form.year.data,
            (form.decision_number.data or "").strip(), form.decision_date.data), form)
        if outcome.ok:
            return done(_("Award recorded."), url_for("candidates.show", candidate_id=candidate.id))
        status = outcome.status
    return _history_page(candidate, award_form=form, status=status)


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
        upload = Upload(form.file.data.filename or "", form.file.data.stream)
        outcome = attempt(lambda: history_import.start_history_import(current_user, upload, HISTORY_MAX_BYTES), form)
        if outcome.ok:  # the rows are checked and written by a background job
            job_id = outcome.value.id
            tasks.submit(outcome.value)
            return redirect(url_for("jobs.show", job_id=job_id))
    return render_template("candidates/history_import.html", form=form, errors=errors)

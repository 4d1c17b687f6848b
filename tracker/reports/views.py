"""Ward progress reports: the ward's form and files, the committee's review, the lists."""
import json
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.obligations import status as obligations
from tracker import clock
from tracker.attachments.services import ACCEPT_ATTRIBUTE, CATEGORY_LABELS, MB, Upload, check_uploads, limits
from tracker.errors import ConflictError, InvalidData
from tracker.catalogue import services as award_catalogue
from tracker.extensions import db
from tracker.forms_base import choices, files_to_choose_again, version_number
from tracker.outcome import ERROR, attempt, done
from tracker.permissions import (
    can_edit_report,
    can_file_reports,
    can_list_reports,
    can_review_report,
    can_view_report,
    get_in_scope_or_404,
    get_plan_or_404,
    get_unit_or_404,
    require,
    visible_unit_ids,
)
from tracker.plans import services as plans
from tracker.plans.models import Milestone, MilestoneKind
from tracker.reports import queries, services
from tracker.reports.forms import (
    FIELD_LABELS,
    AcceptForm,
    ReopenForm,
    ReportFilterForm,
    ReportForm,
    ReturnForm,
)
from tracker.reports.labels import REPORT_STATUS_LABELS
from tracker.reports.models import ProgressReport, ReportStatus
from tracker.units.services import subtree

bp = Blueprint("reports", __name__, url_prefix="/reports")

BLANK_HONOUR_ROWS = 2


@bp.before_request
@login_required
def _signed_in():
    pass


def _report_or_404(report_id: int) -> ProgressReport:
    report = get_in_scope_or_404(current_user, ProgressReport, report_id)
    require(can_view_report(current_user, report))
    return report


# --- lists -------------------------------------------------------------------------------


def _filter_choices(form: ReportFilterForm) -> None:
    """Options of the list filters: visible plans, their milestones, statuses, subtree units."""
    plan_list = db.session.scalars(plans.visible_plans(current_user)).all()
    plan_ids = [p.id for p in plan_list]
    milestones = plans.milestones_of(plan_ids)
    numbers = {p.id: p.number for p in plan_list}
    form.plan.choices = choices([("", _("All plans"))] + [(p.id, f"{p.number} – {p.title}") for p in plan_list])
    form.milestone.choices = choices([("", _("All milestones"))] + [
        (m.id, f"{numbers[m.plan_id]} · {m.title}") for m in milestones])
    form.status.choices = choices([("", _("All statuses"))] + [
        (s.value, REPORT_STATUS_LABELS[s]) for s in ReportStatus])
    root_depth = current_user.unit.depth
    form.unit.choices = choices([("", _("All units"))] + [
        (u.id, f"{'— ' * (u.depth - root_depth)}{u.name}") for u in db.session.scalars(subtree(current_user.unit))])


@bp.route("/")
def index():
    require(can_list_reports(current_user))
    form = ReportFilterForm(request.args)
    _filter_choices(form)
    unit_id = form.chosen_id("unit")
    query = queries.search_reports(
        visible_unit_ids(current_user),
        plan_id=form.chosen_id("plan"),
        milestone_id=form.chosen_id("milestone"),
        status=form.chosen_enum("status", ReportStatus),
        unit=get_unit_or_404(current_user, unit_id) if unit_id else None,
    )
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"], error_out=False)
    handed_in = queries.submissions([r.id for r in page.items])
    return render_template("reports/index.html", page=page, form=form, handed_in=handed_in,
                           obligations=obligations.report_obligation_statuses(page.items, clock.today()))


@bp.route("/mine")
def mine():
    require(can_file_reports(current_user))
    today = clock.today()
    owed = [o for o in obligations.obligations_for_unit(current_user.unit, today) if o.milestone.requires_report]
    handed_in = queries.submissions([o.report.id for o in owed if o.report])
    return render_template("reports/mine.html", obligations=owed, handed_in=handed_in, today=today)


# --- the ward's form ---------------------------------------------------------------------


def _obligation_or_404(milestone_id: int) -> tuple[Milestone, ProgressReport | None]:
    """A milestone of a visible, active plan that asks a report of the officer's own unit (one
    it owes: plans.services.owes), with the unit's report if it was started."""
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None:
        abort(404)
    get_plan_or_404(current_user, milestone.plan_id)
    require(can_file_reports(current_user))
    owed, report = obligations.open_obligation(milestone, current_user.unit)
    if not owed:
        abort(404)
    return milestone, report


@bp.route("/obligations/<int:milestone_id>", methods=["GET", "POST"])
def obligation(milestone_id: int):
    milestone, report = _obligation_or_404(milestone_id)
    if report is not None and request.method == "GET":
        endpoint = "reports.edit" if services.is_editable(report) else "reports.show"
        return redirect(url_for(endpoint, report_id=report.id))
    return _report_form(milestone, report)


@bp.route("/<int:report_id>/edit", methods=["GET", "POST"])
def edit(report_id: int):
    report = _report_or_404(report_id)
    require(can_edit_report(current_user, report))
    if not services.is_editable(report):
        flash(_("This report cannot be changed in its current state."), "warning")
        return redirect(url_for("reports.show", report_id=report.id))
    return _report_form(report.milestone, report)


def _report_form(milestone: Milestone, report: ProgressReport | None):
    """GET: the form (empty for a report not started yet). POST: save, or save and submit."""
    form = ReportForm(data=_form_data(report))
    form.set_movements(milestone.plan.movements)
    if request.method == "GET":
        form.add_blank_rows(BLANK_HONOUR_ROWS)
    status, other_errors, service_ran = 200, {}, False
    if form.validate_on_submit():
        submit = bool(form.hand_in.data)
        today = clock.today()
        service_ran = True
        unit = current_user.unit if report is None else report.unit
        outcome = attempt(lambda: services.save_obligation_report(
            current_user, milestone, unit, expected_version=version_number(form), today=today,
            honours=[services.HonourRow(row.form_name.data or "", row.movement_id.data,
                                        row.individuals.data or 0, row.collectives.data or 0)
                     for row in form.honours],
            uploads=[Upload(f.filename or "", f.stream) for f in form.files.data or []],
            category=form.category.data, submit=submit, **form.values(),
        ), form, flash_unplaced=False)
        if outcome.ok:
            report = outcome.value
            if submit:
                return done(_("The report was submitted to the committee."),
                            url_for("reports.show", report_id=report.id))
            return done(_("Draft saved."), url_for("reports.edit", report_id=report.id))
        status, other_errors = outcome.status, outcome.unplaced
        if not isinstance(outcome.error, (InvalidData, ConflictError)) and report is not None:
            flash(outcome.error.message, ERROR)  # the report cannot be changed now: show it as it is
            return redirect(url_for("reports.show", report_id=report.id))
        report = services.find_report(milestone, current_user.unit) if report is None else report
    if request.method == "POST" and form.files.data and not form.files.errors:
        if not service_ran:  # the form stopped first: still say now what is wrong with the files
            _check_files_only(form, report)
        if not form.files.errors:
            form.files.errors = [files_to_choose_again(form.files.data)]
    if request.method == "POST" and len(form.honours) < 1:
        form.add_blank_rows(BLANK_HONOUR_ROWS)
    attachments = services.files.attachments_of(report_id=report.id) if report else []
    max_file, max_total = limits()
    return render_template(
        "reports/edit.html", form=form, milestone=milestone, report=report, attachments=attachments,
        unit=report.unit if report else current_user.unit, first_submission=None,
        other_errors=other_errors, accept=ACCEPT_ATTRIBUTE, max_file_bytes=max_file,
        max_file_mb=max_file // MB, max_total_mb=max_total // MB, categories=CATEGORY_LABELS,
        honour_forms=_honour_form_suggestions(milestone),
        dossier=services.dossier_figures(milestone, (report.unit if report else current_user.unit).id)
        if milestone.kind is MilestoneKind.DOSSIER else None,
    ), status


def _check_files_only(form, report: ProgressReport | None) -> None:
    """Run the file checks alone (nothing is stored) and put what they refuse on the field."""
    max_file, max_total = limits()
    used = services.files.used_bytes(report_id=report.id) if report else 0
    try:
        check_uploads([Upload(f.filename or "", f.stream) for f in form.files.data], max_file, max_total, used)
    except InvalidData as error:
        form.files.errors = list(error.errors.get("files", []))


def _form_data(report: ProgressReport | None) -> dict:
    """The stored report as form data (what the form falls back to for fields not posted)."""
    if report is None:
        return {"version": 0}
    data = {name: getattr(report, name) for name in ReportForm.VALUE_FIELDS}
    data["version"] = report.version
    data["honours"] = [{"form_name": h.form, "movement_id": h.movement_id, "individuals": h.individuals,
                        "collectives": h.collectives} for h in report.honours]
    return data


def _honour_form_suggestions(milestone: Milestone) -> list[str]:
    """Forms of honour offered while typing: the ward's own Giấy khen, then the catalogue's."""
    names = [a.name for a in award_catalogue.award_choices(milestone.due_date)]
    own = f"Giấy khen của Chủ tịch UBND {current_user.unit.name}"
    return [own] + [n for n in names if n != own]


# --- reading and review ------------------------------------------------------------------


@bp.route("/<int:report_id>")
def show(report_id: int):
    return _render_show(_report_or_404(report_id))


def _render_show(report: ProgressReport, return_form=None, reopen_form=None, status: int = 200):
    versions = queries.versions_of(report)
    movements = {m.id: m.name for m in report.milestone.plan.movements}
    first = _dated(json.loads(versions[0].data)) if versions else None
    last = _dated(json.loads(versions[-1].data)) if versions else None
    return render_template(
        "reports/show.html", report=report, versions=versions, movements=movements,
        milestone=report.milestone, unit=report.unit,
        attachments=services.files.attachments_of(report_id=report.id),
        first_submission=first, last_submission=last, editable=services.is_editable(report),
        accept_form=AcceptForm(formdata=None, data={"version": report.version}),
        return_form=return_form or ReturnForm(formdata=None, data={"version": report.version}),
        reopen_form=reopen_form or ReopenForm(formdata=None, data={"version": report.version}),
        categories=CATEGORY_LABELS, today=clock.today(),
    ), status


def _review(report_id: int, form_class, action, success: str, form_slot: str):
    report = _report_or_404(report_id)
    require(can_review_report(current_user, report))
    form = form_class()
    if form.validate_on_submit():
        outcome = attempt(lambda: action(report, form), form)
        if outcome.ok:
            return done(success, url_for("reports.show", report_id=report.id))
        if not isinstance(outcome.error, InvalidData):  # a refused transition: the page says what holds
            return redirect(url_for("reports.show", report_id=report.id))
    return _render_show(report, **{form_slot: form})


@bp.route("/<int:report_id>/accept", methods=["POST"])
def accept(report_id: int):
    return _review(
        report_id, AcceptForm,
        lambda report, form: services.accept_report(current_user, report, version_number(form)),
        _("The report was accepted."), "return_form",
    )


@bp.route("/<int:report_id>/return", methods=["POST"])
def return_(report_id: int):
    return _review(
        report_id, ReturnForm,
        lambda report, form: services.return_report(current_user, report, form.comment.data, version_number(form),
                                                    config=current_app.config),
        _("The report was returned to the unit with your comment."), "return_form",
    )


@bp.route("/<int:report_id>/reopen", methods=["POST"])
def reopen(report_id: int):
    return _review(
        report_id, ReopenForm,
        lambda report, form: services.reopen_report(current_user, report, form.reason.data, version_number(form),
                                                    config=current_app.config),
        _("The report was reopened; the unit can change it again."), "reopen_form",
    )


@bp.route("/<int:report_id>/versions/<int:number>")
def version(report_id: int, number: int):
    report = _report_or_404(report_id)
    current = queries.get_version(report, number)
    if current is None:
        abort(404)
    previous = queries.get_version(report, number - 1) if number > 1 else None
    data = _dated(json.loads(current.data))
    changes = queries.version_changes(_dated(json.loads(previous.data)) if previous else None, data)
    return render_template("reports/version.html", report=report, version=current, data=data,
                           milestone=report.milestone, unit=report.unit, first_submission=None,
                           previous=previous, changes=changes, labels_of_fields=FIELD_LABELS,
                           categories=CATEGORY_LABELS, count=len(queries.versions_of(report)))


def _dated(data: dict) -> dict:
    """A version's ISO dates as dates, so templates show them as dd/mm/yyyy."""
    for key in ("held_date", "submitted_on"):
        if data.get(key):
            data[key] = date.fromisoformat(data[key])
    return data



"""/api/v1: progress reports and nominations, read in the caller's subtree and written through
the same services as the pages (a ward's own reports and nominations; the committee's review)."""
from flask import current_app
from flask_login import current_user
from sqlalchemy.orm import selectinload

from tracker import clock
from tracker.api import schemas as s
from tracker.api.core import Problem, api_blueprint, etag_of, expected_version, found, keyset_page, param, perform, require
from tracker.api.units import milestone_json, scope_unit, unit_json
from tracker.candidates.models import CandidateKind, Gender
from tracker.nominations import queries as nomination_queries, services as nominations
from tracker.nominations.candidates import CandidateMatch
from tracker.nominations.fields import CANDIDATE_FIELDS, NOMINATION_FIELDS
from tracker.nominations.labels import NOMINATION_STATUS_LABELS
from tracker.nominations.models import Nomination
from tracker.nominations.validation import CandidateInput
from tracker.obligations import status as obligations
from tracker.permissions import (
    can_edit_nomination,
    can_edit_report,
    can_file_reports,
    can_list_nominations,
    can_list_reports,
    can_nominate,
    can_review_nomination,
    can_view_nomination,
    can_view_report,
    get_by_id,
    get_in_scope_or_404,
    get_plan_or_404,
    visible_unit_ids,
)
from tracker.plans.models import Milestone, Movement
from tracker.reports import queries as report_queries, services as reports
from tracker.reports.models import ProgressReport, ReportStatus
from tracker.stats import figures

bp = api_blueprint("work", "Progress reports and nominations")


# --- progress reports ------------------------------------------------------------------------


def report_json(report: ProgressReport) -> dict:
    return {
        "id": report.id, "milestone": milestone_json(report.milestone), "plan_id": report.milestone.plan_id,
        "unit": unit_json(report.unit), "status": report.status.value, "version": report.version,
        **{name: getattr(report, name) for name in reports.EDITABLE_FIELDS},
        "nominations_handed_in": report.nominations_handed_in,
        "honours": [{"form": h.form, "movement_id": h.movement_id, "individuals": h.individuals,
                     "collectives": h.collectives} for h in report.honours],
        "review_comment": report.review_comment, "submitted_at": report.submitted_at,
    }


def _report(report_id: int) -> ProgressReport:
    report = get_in_scope_or_404(current_user, ProgressReport, report_id)
    require(can_view_report(current_user, report))
    return report


@bp.route("/reports")
@bp.arguments(s.ReportQuery, location="query")
@bp.response(200, s.page_of(s.ReportSchema, "ReportPage"))
def list_reports(args):
    """Progress reports of the caller's subtree (a ward officer: their ward's), filtered as the
    reports page filters them; newest first."""
    require(can_list_reports(current_user) or can_file_reports(current_user))
    if args.get("plan_id"):
        get_plan_or_404(current_user, args["plan_id"])
    unit = scope_unit(args.get("unit_id")) if args.get("unit_id") else None
    query = report_queries.search_reports(
        visible_unit_ids(current_user), plan_id=args.get("plan_id"), milestone_id=args.get("milestone_id"),
        status=ReportStatus(args["status"]) if args.get("status") else None, unit=unit)
    return keyset_page(query.options(selectinload(ProgressReport.honours)), ProgressReport.id, args.get("cursor"),
                       args["limit"], report_json)


@bp.route("/reports/<int:report_id>")
@bp.response(200, s.ReportSchema)
def show_report(report_id: int):
    """One progress report (its ETag is what If-Match sends back on a write)."""
    report = _report(report_id)
    return report_json(report), 200, {"ETag": etag_of(report)}


def _owed_milestone(milestone_id: int) -> tuple[Milestone, ProgressReport | None]:
    """A milestone of an active plan that asks the caller's own unit for a report (404 otherwise)."""
    milestone = found(get_by_id(Milestone, milestone_id))
    get_plan_or_404(current_user, milestone.plan_id)
    require(can_file_reports(current_user))
    owed, report = obligations.open_obligation(milestone, current_user.unit)  # as the report form asks
    if not owed:
        found(None)
    return milestone, report


@bp.route("/milestones/<int:milestone_id>/report", methods=["PUT"])
@bp.arguments(s.ReportWrite)
@bp.response(200, s.ReportSchema)
def save_report(body, milestone_id: int):
    """Write the caller's unit's report on a milestone (started when it does not exist yet): the
    fields given change, the others stay; `honours` replaces the honours table. With
    `"submit": true` it is handed in after saving. The same checks as the report form."""
    milestone, report = _owed_milestone(milestone_id)
    if report is not None:
        require(can_edit_report(current_user, report))
    version, stale = expected_version(report) if report is not None else (None, 409)
    submit = body.pop("submit", False)
    honours = body.pop("honours", None)
    report = perform(lambda: reports.save_obligation_report(
        current_user, milestone, current_user.unit, expected_version=version, today=clock.today(),
        honours=honours, submit=submit, **body), stale_status=stale)
    return report_json(report), 200, {"ETag": etag_of(report)}


@bp.route("/reports/<int:report_id>/submit", methods=["POST"])
@bp.response(200, s.ReportSchema)
def submit_report(report_id: int):
    """Hand the ward's report in (draft → submitted, returned → resubmitted), with the form's checks."""
    report = _report(report_id)
    require(can_edit_report(current_user, report))
    version, stale = expected_version(report)
    report = perform(lambda: reports.save_report(current_user, report, expected_version=version,
                                                 today=clock.today(), submit=True), stale_status=stale)
    return report_json(report), 200, {"ETag": etag_of(report)}


# --- nominations -------------------------------------------------------------------------------


def candidate_json(candidate) -> dict:
    return {"id": candidate.id, "kind": candidate.kind.value, "full_name": candidate.full_name,
            "gender": candidate.gender.value if candidate.gender else None, "birth_year": candidate.birth_year,
            "position": candidate.position or "", "workplace": candidate.workplace or "",
            "member_count": candidate.member_count, "unit": unit_json(candidate.unit)}


def nomination_json(n: Nomination) -> dict:
    return {
        "id": n.id, "version": n.version, "status": n.status.value,
        "status_label": str(NOMINATION_STATUS_LABELS[n.status]), "plan_id": n.plan_id,
        "plan_number": n.plan.number, "movement_id": n.movement_id, "unit": unit_json(n.unit),
        "candidate": candidate_json(n.candidate),
        **{name: getattr(n, name) for name in NOMINATION_FIELDS},
        "proposed_honour": n.proposed_honour or "", "achievements": n.achievements or "",
        "achievement_title": n.achievement_title or "",
        "review_comment": n.review_comment or "", "submitted_at": n.submitted_at, "updated_at": n.updated_at,
    }


def _nomination(nomination_id: int) -> Nomination:
    nomination = get_in_scope_or_404(current_user, Nomination, nomination_id)
    require(can_view_nomination(current_user, nomination))
    return nomination


def _answer(nomination: Nomination, status: int = 200):
    return nomination_json(nomination), status, {"ETag": etag_of(nomination)}


@bp.route("/nominations")
@bp.arguments(s.NominationQuery, location="query")
@bp.response(200, s.page_of(s.NominationSchema, "NominationPage"))
def list_nominations(args):
    """Nominations of the caller's subtree with the queue's filters (plan, movement, unit and its
    subtree, status or "pending", individual/collective, words of the name or achievements,
    diacritics ignored); newest first."""
    require(can_list_nominations(current_user))
    if args.get("plan_id"):
        get_plan_or_404(current_user, args["plan_id"])
    movement = None
    if args.get("movement_id"):
        movement = param("movement_id", get_by_id(Movement, args["movement_id"]))
        get_plan_or_404(current_user, movement.plan_id)
    unit = scope_unit(args.get("unit_id")) if args.get("unit_id") else None
    filters = {"plan_id": args.get("plan_id"), "movement_id": args.get("movement_id"), "unit": unit,
               "status": args.get("status"), "kind": CandidateKind(args["kind"]) if args.get("kind") else None,
               "text": args["q"]}
    broad = not filters["text"].strip() and figures.count_nominations(current_user.unit, **filters) > \
        nomination_queries.BROAD
    query = nomination_queries.search_nominations(visible_unit_ids(current_user), **filters, broad=broad)
    return keyset_page(query, Nomination.id, args.get("cursor"), args["limit"], nomination_json)


@bp.route("/nominations/<int:nomination_id>")
@bp.response(200, s.NominationSchema)
def show_nomination(nomination_id: int):
    """One nomination with its candidate (its ETag is what If-Match sends back on a write)."""
    return _answer(_nomination(nomination_id))


def _person(data: dict | None, fallback=None) -> CandidateInput:
    if data is None:
        details = {name: getattr(fallback, name) for name in CANDIDATE_FIELDS}
        return CandidateInput(fallback.kind, fallback.full_name, details)
    details = {name: data.get(name) for name in CANDIDATE_FIELDS}
    details["gender"] = Gender(details["gender"]) if details.get("gender") else None
    return CandidateInput(CandidateKind(data["kind"]), data.get("full_name") or "", details)


def _save(body: dict, nomination: Nomination | None, plan, movement, version=None, stale: int = 409):
    submit = body.pop("submit", False)
    person = _person(body.pop("candidate", None), nomination.candidate if nomination else None)
    candidate_id = body.pop("candidate_id", None)
    body.pop("plan_id", None)
    body.pop("movement_id", None)
    return perform(lambda: nominations.save_nomination(
        current_user, current_user.unit, plan, movement, person, today=clock.today(), nomination=nomination,
        candidate_id=candidate_id, expected_version=version, submit=submit, **body),
        stale_status=stale, special=_registered_twin)


def _registered_twin(error):
    """The person is already registered for the unit: 409 naming the candidate to confirm."""
    if isinstance(error, CandidateMatch):
        return Problem(409, error.message, errors=error.errors or None, candidate_id=error.candidate.id)
    return None


@bp.route("/nominations", methods=["POST"])
@bp.arguments(s.NominationCreate)
@bp.response(201, s.NominationSchema)
def create_nomination(body):
    """A ward officer nominates an individual or collective of their own unit under an active
    plan (with `"submit": true` it is handed in at once). When the person is already registered
    for the unit, 409 names the registered candidate: send again with its `candidate_id`."""
    require(can_nominate(current_user))
    plan = param("plan_id", next((p for p in nomination_queries.plans_for_nominating(current_user.unit)
                                  if p.id == body["plan_id"]), None))
    movement = param("movement_id", get_by_id(Movement, body["movement_id"]))
    nomination = _save(body, None, plan, movement)
    return _answer(nomination, 201)


@bp.route("/nominations/<int:nomination_id>", methods=["PATCH"])
@bp.arguments(s.NominationWrite)
@bp.response(200, s.NominationSchema)
def update_nomination(body, nomination_id: int):
    """Change a draft or returned nomination of the caller's unit: the fields given change, the
    others stay (`candidate`, when given, is the whole person again)."""
    nomination = _nomination(nomination_id)
    require(can_edit_nomination(current_user, nomination))
    version, stale = expected_version(nomination)
    movement = nomination.movement
    if body.get("movement_id"):
        movement = param("movement_id", get_by_id(Movement, body["movement_id"]))
    return _answer(_save(body, nomination, nomination.plan, movement, version or nomination.version, stale))


def _transition(nomination_id: int, allowed, action):
    nomination = _nomination(nomination_id)
    require(allowed(current_user, nomination))
    version, stale = expected_version(nomination)
    perform(lambda: action(nomination, version), stale_status=stale)
    return _answer(nomination)


@bp.route("/nominations/<int:nomination_id>/submit", methods=["POST"])
@bp.response(200, s.NominationSchema)
def submit_nomination(nomination_id: int):
    """The ward hands the nomination in to the committee (draft → submitted, returned → resubmitted)."""
    return _transition(nomination_id, can_edit_nomination, lambda n, v: nominations.submit_nomination(
        current_user, n, today=clock.today(), expected_version=v))


@bp.route("/nominations/<int:nomination_id>/withdraw", methods=["POST"])
@bp.response(200, s.NominationSchema)
def withdraw_nomination(nomination_id: int):
    """The ward takes its nomination back (before it is accepted)."""
    return _transition(nomination_id, can_edit_nomination, lambda n, v: nominations.withdraw_nomination(
        current_user, n, expected_version=v))


@bp.route("/nominations/<int:nomination_id>/accept", methods=["POST"])
@bp.response(200, s.NominationSchema)
def accept_nomination(nomination_id: int):
    """The committee accepts a nomination awaiting review."""
    return _transition(nomination_id, can_review_nomination, lambda n, v: nominations.accept_nomination(
        current_user, n, expected_version=v))


@bp.route("/nominations/<int:nomination_id>/return", methods=["POST"])
@bp.arguments(s.CommentBody)
@bp.response(200, s.NominationSchema)
def return_nomination(body, nomination_id: int):
    """The committee returns a nomination to its ward with what to fix (the ward is told)."""
    return _transition(nomination_id, can_review_nomination, lambda n, v: nominations.return_nomination(
        current_user, n, body["comment"], expected_version=v, config=current_app.config))


@bp.route("/nominations/<int:nomination_id>/reject", methods=["POST"])
@bp.arguments(s.ReasonBody)
@bp.response(200, s.NominationSchema)
def reject_nomination(body, nomination_id: int):
    """The committee rejects a nomination with the reason (the ward is told)."""
    return _transition(nomination_id, can_review_nomination, lambda n, v: nominations.reject_nomination(
        current_user, n, body["reason"], expected_version=v, config=current_app.config))


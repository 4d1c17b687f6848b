"""Progress reports: drafting, evidence files, submitting a frozen version, the committee's review."""
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tracker import changes as noted, clock
from tracker.attachments import services as files
from tracker.attachments.models import Attachment
from tracker.audit.services import diff, record
from tracker.errors import ConflictError, DomainError, InvalidData
from tracker.extensions import db
from tracker.models_base import check_version, new_version
from tracker.notifications import services as notices
from tracker.nominations.models import Nomination, NominationStatus as NS
from tracker.plans.models import Milestone, MilestoneKind
from tracker.reports.models import ProgressReport, ReportHonour, ReportStatus as S, ReportVersion
from tracker.units.models import Unit
from tracker.workflow import check_transition

TRANSITIONS = {
    "edit": (S.DRAFT, S.RETURNED),
    "submit": (S.DRAFT, S.RETURNED),
    "accept": (S.SUBMITTED, S.RESUBMITTED),
    "return": (S.SUBMITTED, S.RESUBMITTED),
    "reopen": (S.ACCEPTED,),
}

EDITABLE_FIELDS = (
    "held_date", "outside_window_reason", "place", "chaired_by", "participants",
    "individuals_honoured", "collectives_honoured", "delegates", "funding_vnd", "narrative",
)
TEXT_FIELDS = ("outside_window_reason", "place", "chaired_by", "narrative")
COUNT_FIELDS = ("participants", "individuals_honoured", "collectives_honoured", "delegates", "funding_vnd")
# What a unit fills in, and what its report must say before it is handed in (a draft may lack any
# of it), by the milestone's kind. A dossier is handed in with the unit's nominations for the plan.
KIND_FIELDS = {
    MilestoneKind.CONFERENCE: EDITABLE_FIELDS,
    MilestoneKind.REPORT: ("narrative",),
    MilestoneKind.DOSSIER: ("narrative",),
}
REQUIRED_ON_SUBMIT = {
    MilestoneKind.CONFERENCE: ("held_date", "place", "chaired_by", "participants", "delegates", "funding_vnd",
                               "narrative"),
    MilestoneKind.REPORT: ("narrative",),
    MilestoneKind.DOSSIER: (),
}
# A nomination the unit has handed in (and not taken back): what a dossier counts.
HANDED_IN_NOMINATIONS = (NS.SUBMITTED, NS.RESUBMITTED, NS.ACCEPTED, NS.AWARDED)

MSG_REQUIRED = _l("Fill this in before submitting the report.")
MSG_NEGATIVE = _l("This cannot be negative.")
MSG_CONFLICT = _l(
    "Someone else saved this report after you opened it. Nothing of yours was saved: "
    "open the report again to see their changes, then make yours."
)


@dataclass(frozen=True)
class HonourRow:
    """One line of the honours table: a form of honour, under a movement, how many received it."""

    form: str
    movement_id: int | None = None
    individuals: int | None = 0
    collectives: int | None = 0

    def is_blank(self) -> bool:
        return not (self.form or "").strip() and not self.individuals and not self.collectives and not self.movement_id

    def plain(self) -> dict:
        return {"form": (self.form or "").strip(), "movement_id": self.movement_id,
                "individuals": self.individuals or 0, "collectives": self.collectives or 0}


def is_editable(report: ProgressReport | None) -> bool:
    """Whether the unit may still change the report (a new report always may)."""
    return report is None or report.status in TRANSITIONS["edit"]


def find_report(milestone: Milestone, unit: Unit) -> ProgressReport | None:
    """The unit's report for the milestone, if it was started (at most one: unique pair)."""
    return db.session.scalar(
        select(ProgressReport).where(
            ProgressReport.milestone_id == milestone.id, ProgressReport.unit_id == unit.id
        )
    )


def get_or_start_report(actor, milestone: Milestone, unit: Unit) -> ProgressReport:
    """The unit's report for the milestone, created as an empty draft the first time.

    Raises DomainError when the milestone does not ask this unit for a report, and
    ConflictError when another request created the same report at the same moment.
    """
    from tracker.plans.services import applies_to

    report = find_report(milestone, unit)
    if report is None:
        if not (milestone.requires_report and applies_to(milestone, unit)):
            raise DomainError(_l("This milestone asks no report of this unit."))
        report = ProgressReport(milestone=milestone, unit=unit, status=S.DRAFT, version=1)
        db.session.add(report)
        try:
            db.session.flush()
        except IntegrityError:  # the caller rolls back, as after any DomainError
            raise ConflictError(MSG_CONFLICT) from None
        record(actor, "report.created", report, milestone.title)
        noted.reports_changed(db.session, [report])
    return report


# --- rules -------------------------------------------------------------------------------


def _coherence_errors(milestone: Milestone, values: dict, rows: list[HonourRow] | None) -> dict[str, list]:
    """What is wrong with what is filled in, whatever is still missing (applies to drafts too)."""
    errors: dict[str, list] = {}
    for name in COUNT_FIELDS:
        if values.get(name) is not None and values[name] < 0:
            errors.setdefault(name, []).append(MSG_NEGATIVE)
    held = values.get("held_date")
    outside = held is not None and not (milestone.start_date <= held <= milestone.due_date)
    if outside and not (values.get("outside_window_reason") or "").strip():
        errors.setdefault("outside_window_reason", []).append(_l(
            "The date is outside the milestone's window (%(start)s – %(due)s): say why.",
            start=milestone.start_date.strftime("%d/%m/%Y"), due=milestone.due_date.strftime("%d/%m/%Y"),
        ))
    if rows is not None:
        movement_ids = {m.id for m in milestone.plan.movements}
        for row in rows:
            if (row.individuals or 0) < 0 or (row.collectives or 0) < 0:
                errors.setdefault("honours", []).append(MSG_NEGATIVE)
            if not row.form.strip():
                errors.setdefault("honours", []).append(_l("Name the form of honour on every line with numbers."))
            if row.movement_id is not None and row.movement_id not in movement_ids:
                errors.setdefault("honours", []).append(_l("Choose a movement of this plan."))
    participants, honoured = values.get("participants"), values.get("individuals_honoured")
    if participants is not None and honoured is not None and honoured > participants:
        errors.setdefault("honours" if rows is not None else "individuals_honoured", []).append(_l(
            "More individuals honoured (%(honoured)s) than participants (%(participants)s).",
            honoured=honoured, participants=participants,
        ))
    return errors


@dataclass(frozen=True)
class DossierFigures:
    handed_in: int  # nominations handed in: what the dossier holds
    drafts: int  # nominations not handed in yet (drafts, or returned to the unit)


def dossier_figures(milestone: Milestone, unit_id: int) -> DossierFigures:
    """The unit's nominations for the milestone's plan, handed in and still drafts (one query)."""
    counts = dict(db.session.execute(
        select(Nomination.status, func.count(Nomination.id))
        .where(Nomination.plan_id == milestone.plan_id, Nomination.unit_id == unit_id)
        .group_by(Nomination.status)).all())
    return DossierFigures(sum(counts.get(s, 0) for s in HANDED_IN_NOMINATIONS),
                          counts.get(NS.DRAFT, 0) + counts.get(NS.RETURNED, 0))


def _completeness_errors(milestone: Milestone, values: dict, today: date, unit_id: int) -> dict[str, list]:
    """What a handed-in report must have: the required fields of its kind, a conference date that
    has come, and for a dossier at least one nomination handed in."""
    errors = {name: [MSG_REQUIRED] for name in REQUIRED_ON_SUBMIT[milestone.kind]
              if values.get(name) is None or (isinstance(values[name], str) and not values[name].strip())}
    if milestone.kind is MilestoneKind.DOSSIER and not dossier_figures(milestone, unit_id).handed_in:
        errors["nominations"] = [_l("The unit has handed in no nomination for this plan yet: submit its "
                                    "nominations first, then hand in the dossier.")]
    held = values.get("held_date")
    if milestone.kind is MilestoneKind.CONFERENCE and held is not None and held > today:
        errors.setdefault("held_date", []).append(
            _l("The conference cannot be reported before it is held (today is %(today)s).",
               today=today.strftime("%d/%m/%Y")))
    return errors


def _merge(*error_dicts: dict[str, list]) -> dict[str, list]:
    merged: dict[str, list] = {}
    for errors in error_dicts:
        for name, messages in errors.items():
            merged.setdefault(name, []).extend(m for m in messages if m not in merged.get(name, []))
    return merged


def _values_of(report: ProgressReport) -> dict:
    return {name: getattr(report, name) for name in EDITABLE_FIELDS}


def _honour_rows(report: ProgressReport) -> list[dict]:
    return [HonourRow(h.form, h.movement_id, h.individuals, h.collectives).plain() for h in report.honours]


# --- drafting ----------------------------------------------------------------------------


def save_report(actor, report: ProgressReport, *, today: date | None = None, expected_version: int | None = None,
                honours=None, uploads=(), category: str = "other", submit: bool = False,
                **values) -> ProgressReport:
    """Save what is filled in, attach the uploads, and hand the report in when `submit` is set.

    Only draft and returned reports change (WorkflowError otherwise). `expected_version` is the
    version the user's form was built from: when the report has moved on since, ConflictError and
    nothing is written. `honours` (HonourRow items; blank lines dropped) replaces the honours
    table and sets the totals of individuals and collectives honoured; None leaves both alone.
    Filled-in values must be coherent (no negative counts, no more individuals honoured than
    participants, a reason for a date outside the window) and every upload must pass the file
    checks; with `submit`, the required fields must be there too. All broken rules are raised
    together as one InvalidData, before anything is written.
    """
    check_transition(TRANSITIONS, "edit", report.status)
    check_version(report, expected_version, MSG_CONFLICT)
    kind = report.milestone.kind
    values = {k: v for k, v in values.items() if k in KIND_FIELDS[kind]}
    if kind is not MilestoneKind.CONFERENCE:
        honours = None  # only a conference reports its honours
    for name in TEXT_FIELDS:
        if name in values:
            values[name] = (values[name] or "").strip()
    rows = None
    if honours is not None:
        rows = [row if isinstance(row, HonourRow) else HonourRow(**row) for row in honours]
        rows = [HonourRow(**row.plain()) for row in rows if not row.is_blank()]
        values["individuals_honoured"] = sum(r.individuals for r in rows) if rows else None
        values["collectives_honoured"] = sum(r.collectives for r in rows) if rows else None
    merged = {**_values_of(report), **values}

    errors = _coherence_errors(report.milestone, merged, rows)
    checked = []
    if uploads:
        max_file, max_total = files.limits()
        try:
            checked = files.check_uploads(uploads, max_file, max_total, files.used_bytes(report_id=report.id))
        except InvalidData as error:
            errors = _merge(errors, error.errors)
    if submit:
        if today is None:
            raise ValueError("submitting needs today's date")
        errors = _merge(errors, _completeness_errors(report.milestone, merged, today, report.unit_id))
    if errors:
        raise InvalidData(errors)

    changes = diff(report, values)
    for key, value in values.items():
        setattr(report, key, value)
    if rows is not None:
        old_rows, new_rows = _honour_rows(report), [r.plain() for r in rows]
        if old_rows != new_rows:
            changes["honours"] = [old_rows, new_rows]
            report.honours = [ReportHonour(**row) for row in new_rows]
    for item in checked:
        files.add_attachment(actor, item, category, unit_id=report.unit_id, report=report)
    if changes or checked:
        new_version(report, MSG_CONFLICT)
        if changes:
            record(actor, "report.updated", report, report.milestone.title, changes)
        noted.reports_changed(db.session, [report])
    if submit:
        submit_report(actor, report, today)
    return report


def save_obligation_report(actor, milestone: Milestone, unit: Unit, *, expected_version: int | None = None,
                           **kwargs) -> ProgressReport:
    """Save the unit's report for the milestone, starting it first when it does not exist yet.

    A form built before the report existed carries version 0: if someone started the report
    meanwhile, that is a ConflictError like any other stale save. See save_report for the rest.
    """
    report = find_report(milestone, unit)
    if report is None:
        report = get_or_start_report(actor, milestone, unit)
        expected_version = report.version
    return save_report(actor, report, expected_version=expected_version, **kwargs)


def remove_report_attachment(actor, report: ProgressReport, attachment: Attachment) -> None:
    """Remove an evidence file while the report may still change (WorkflowError otherwise)."""
    check_transition(TRANSITIONS, "edit", report.status)
    if attachment.report_id != report.id:
        raise DomainError(_l("This file does not belong to this report."))
    files.remove_attachment(actor, attachment, unit_id=report.unit_id)
    new_version(report, MSG_CONFLICT)


# --- handing in and review ---------------------------------------------------------------


def snapshot(report: ProgressReport, today: date) -> dict[str, Any]:
    """The report as plain data: its fields, honours (with movement names) and files."""
    movements = {m.id: m.name for m in report.milestone.plan.movements}
    data = {name: getattr(report, name) for name in EDITABLE_FIELDS}
    data["held_date"] = report.held_date.isoformat() if report.held_date else None
    data["honours"] = [
        {**row, "movement": movements.get(row["movement_id"], "")} for row in _honour_rows(report)
    ]
    data["attachments"] = [
        {"id": a.id, "name": a.original_name, "category": a.category, "size": a.size,
         "sha256": a.sha256, "content_type": a.content_type}
        for a in files.attachments_of(report_id=report.id)
    ]
    data["nominations_handed_in"] = report.nominations_handed_in
    data["submitted_on"] = today.isoformat()
    data["late"] = today > report.milestone.due_date
    return data


def submit_report(actor, report: ProgressReport, today: date) -> ProgressReport:
    """Hand the report in: draft -> submitted, returned -> resubmitted, keeping a frozen version.

    Raises WorkflowError from any other state and InvalidData when a required field is missing
    or what is filled in is not coherent. Handing in after the due date is allowed; the version
    records the day (`submitted_on`) and whether it was late.
    """
    check_transition(TRANSITIONS, "submit", report.status)
    values = _values_of(report)
    rows = [HonourRow(**row) for row in _honour_rows(report)] if report.honours else None
    errors = _merge(_coherence_errors(report.milestone, values, rows),
                    _completeness_errors(report.milestone, values, today, report.unit_id))
    if errors:
        raise InvalidData(errors)
    if report.milestone.kind is MilestoneKind.DOSSIER:  # the dossier as it is handed in
        report.nominations_handed_in = dossier_figures(report.milestone, report.unit_id).handed_in
    number = (db.session.scalar(
        select(func.max(ReportVersion.number)).where(ReportVersion.report_id == report.id)) or 0) + 1
    data = json.dumps(snapshot(report, today), ensure_ascii=False, default=str)
    now = clock.now()
    report.status = S.RESUBMITTED if report.status is S.RETURNED else S.SUBMITTED
    report.submitted_at = now
    report.submitted_by_id = actor.id if actor else None
    db.session.add(ReportVersion(report_id=report.id, number=number, submitted_at=now,
                                 submitted_by_id=actor.id if actor else None, data=data))
    new_version(report, MSG_CONFLICT)
    record(actor, f"report.{report.status.value}", report, f"{report.milestone.title} (v{number})",
           {"version": [number - 1, number]} if number > 1 else None)
    noted.reports_changed(db.session, [report])
    return report


def accept_report(actor, report: ProgressReport, expected_version: int | None = None) -> ProgressReport:
    """Accept a handed-in report; it is locked from then on. WorkflowError, ConflictError."""
    check_transition(TRANSITIONS, "accept", report.status)
    check_version(report, expected_version, MSG_CONFLICT)
    report.status = S.ACCEPTED
    report.reviewed_at = clock.now()
    report.reviewed_by_id = actor.id if actor else None
    new_version(report, MSG_CONFLICT)
    record(actor, "report.accepted", report, report.milestone.title)
    noted.reports_changed(db.session, [report])
    return report


def return_report(actor, report: ProgressReport, comment: str, expected_version: int | None = None,
                  config=None) -> ProgressReport:
    """Return a handed-in report with a comment saying what to fix (required: InvalidData). The
    unit's officers are told in the app and, with `config`, by e-mail, with the comment.

    WorkflowError unless submitted or resubmitted; ConflictError when the form is stale.
    """
    return _send_back(actor, report, "return", comment, expected_version, config,
                      field="comment", missing=_l("Say what must be fixed."))


def reopen_report(actor, report: ProgressReport, reason: str, expected_version: int | None = None,
                  config=None) -> ProgressReport:
    """Unlock an accepted report so the unit can change it: accepted -> returned, with the reason.

    The reason is required (InvalidData), shown to the unit and told to its officers like a
    return comment. WorkflowError unless accepted; ConflictError when the form is stale.
    """
    return _send_back(actor, report, "reopen", reason, expected_version, config,
                      field="reason", missing=_l("Give the reason for reopening the report."))


def _send_back(actor, report: ProgressReport, transition: str, text: str, expected_version: int | None,
               config, *, field: str, missing) -> ProgressReport:
    """The report goes back to its unit (returned) with the committee's words, which are required."""
    check_transition(TRANSITIONS, transition, report.status)
    check_version(report, expected_version, MSG_CONFLICT)
    text = (text or "").strip()
    if not text:
        raise InvalidData({field: [missing]})
    report.status = S.RETURNED
    report.review_comment = text
    report.reviewed_at = clock.now()
    report.reviewed_by_id = actor.id if actor else None
    new_version(report, MSG_CONFLICT)
    record(actor, "report.returned" if transition == "return" else "report.reopened", report, text)
    noted.reports_changed(db.session, [report])
    _tell_the_unit(report, config)
    return report


def _tell_the_unit(report: ProgressReport, config) -> None:
    """The unit's officers learn that their report came back, with the committee's words: one
    in-app notice each and, with `config`, an e-mail (notices.tell; a failed e-mail never undoes
    the return)."""
    milestone = report.milestone
    for officer in notices.officers_of(report.unit_id, report.submitted_by_id):
        with force_locale(notices.locale_of(officer, config)):
            title = _("Progress report returned: %(milestone)s", milestone=milestone.title)
            body = _("The committee returned the report for changes: %(comment)s", comment=report.review_comment)
            notices.tell(officer, [notices.Notice(title, body, f"/reports/{report.id}")], config, title,
                         closing=_("Please complete it in the tracker: %(url)s", url="{base_url}/reports/mine"))

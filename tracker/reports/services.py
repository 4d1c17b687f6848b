"""Progress reports: drafting, submitting and the committee's review."""
from datetime import datetime, timezone

from sqlalchemy import select

from tracker.audit.services import diff, record
from tracker.extensions import db
from tracker.plans.models import Milestone
from tracker.reports.models import ProgressReport, ReportStatus as S
from tracker.units.models import Unit
from tracker.workflow import check_transition

TRANSITIONS = {
    "edit": (S.DRAFT, S.RETURNED),
    "submit": (S.DRAFT, S.RETURNED),
    "accept": (S.SUBMITTED, S.RESUBMITTED),
    "return": (S.SUBMITTED, S.RESUBMITTED),
}

EDITABLE_FIELDS = (
    "held_date", "outside_window_reason", "place", "chaired_by", "participants",
    "individuals_honoured", "collectives_honoured", "delegates", "funding_vnd", "narrative",
)


def get_or_start_report(actor, milestone: Milestone, unit: Unit) -> ProgressReport:
    """The unit's report for the milestone, created as an empty draft the first time."""
    report = db.session.scalar(
        select(ProgressReport).where(
            ProgressReport.milestone_id == milestone.id, ProgressReport.unit_id == unit.id
        )
    )
    if report is None:
        report = ProgressReport(milestone=milestone, unit=unit, status=S.DRAFT)
        db.session.add(report)
        db.session.flush()
        record(actor, "report.created", report, milestone.title)
    return report


def save_report(actor, report: ProgressReport, **values) -> ProgressReport:
    """Save the draft's fields as given; raises WorkflowError once it is submitted or accepted."""
    check_transition(TRANSITIONS, "edit", report.status)
    values = {k: v for k, v in values.items() if k in EDITABLE_FIELDS}
    changes = diff(report, values)
    for key, value in values.items():
        setattr(report, key, value)
    report.version += 1
    db.session.flush()
    if changes:
        record(actor, "report.updated", report, report.milestone.title, changes)
    return report


def submit_report(actor, report: ProgressReport) -> ProgressReport:
    """Hand the report in: draft -> submitted, returned -> resubmitted."""
    check_transition(TRANSITIONS, "submit", report.status)
    report.status = S.RESUBMITTED if report.status is S.RETURNED else S.SUBMITTED
    report.submitted_at = datetime.now(timezone.utc)
    report.submitted_by_id = actor.id if actor else None
    report.version += 1
    db.session.flush()
    record(actor, f"report.{report.status.value}", report, report.milestone.title)
    return report


def accept_report(actor, report: ProgressReport) -> ProgressReport:
    check_transition(TRANSITIONS, "accept", report.status)
    report.status = S.ACCEPTED
    report.reviewed_at = datetime.now(timezone.utc)
    report.reviewed_by_id = actor.id if actor else None
    report.version += 1
    db.session.flush()
    record(actor, "report.accepted", report, report.milestone.title)
    return report


def return_report(actor, report: ProgressReport, comment: str) -> ProgressReport:
    check_transition(TRANSITIONS, "return", report.status)
    report.status = S.RETURNED
    report.review_comment = comment
    report.reviewed_at = datetime.now(timezone.utc)
    report.reviewed_by_id = actor.id if actor else None
    report.version += 1
    db.session.flush()
    record(actor, "report.returned", report, comment)
    return report

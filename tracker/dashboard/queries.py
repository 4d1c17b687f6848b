"""Read-only figures for the home pages, as plain dicts."""
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.nominations.models import Nomination, NominationStatus
from tracker.permissions import visible_unit_ids
from tracker.reports.models import ProgressReport, ReportStatus


def report_counts(user) -> dict[ReportStatus, int]:
    """Progress reports of the user's subtree by status (one grouped query)."""
    rows = db.session.execute(
        select(ProgressReport.status, func.count(ProgressReport.id))
        .where(ProgressReport.unit_id.in_(visible_unit_ids(user)))
        .group_by(ProgressReport.status)
    ).all()
    counts = {status: 0 for status in ReportStatus}
    counts.update(dict(rows))
    return counts


def nomination_counts(user) -> dict[NominationStatus, int]:
    """Nominations of the user's subtree by status (one grouped query)."""
    rows = db.session.execute(
        select(Nomination.status, func.count(Nomination.id))
        .where(Nomination.unit_id.in_(visible_unit_ids(user)))
        .group_by(Nomination.status)
    ).all()
    counts = {status: 0 for status in NominationStatus}
    counts.update(dict(rows))
    return counts

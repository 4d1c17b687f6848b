"""What users read for a progress report's status."""
from flask_babel import lazy_gettext as _l

from tracker.reports.models import ReportStatus

REPORT_STATUS_LABELS = {
    ReportStatus.DRAFT: _l("Draft"),
    ReportStatus.SUBMITTED: _l("Submitted"),
    ReportStatus.RETURNED: _l("Returned"),
    ReportStatus.RESUBMITTED: _l("Resubmitted"),
    ReportStatus.ACCEPTED: _l("Accepted"),
}

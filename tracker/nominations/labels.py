"""What users read for a nomination's status."""
from flask_babel import lazy_gettext as _l

from tracker.nominations.models import NominationStatus

NOMINATION_STATUS_LABELS = {
    NominationStatus.DRAFT: _l("Draft"),
    NominationStatus.SUBMITTED: _l("Submitted"),
    NominationStatus.RETURNED: _l("Returned"),
    NominationStatus.RESUBMITTED: _l("Resubmitted"),
    NominationStatus.ACCEPTED: _l("Accepted"),
    NominationStatus.REJECTED: _l("Rejected"),
    NominationStatus.WITHDRAWN: _l("Withdrawn"),
    NominationStatus.AWARDED: _l("Awarded"),
}

"""What users read for a proposal's status."""
from flask_babel import lazy_gettext as _l

from tracker.awards.models import ProposalStatus

PROPOSAL_STATUS_LABELS = {
    ProposalStatus.DRAFT: _l("Draft"),
    ProposalStatus.SUBMITTED: _l("Submitted"),
    ProposalStatus.APPROVED: _l("Approved"),
    ProposalStatus.REJECTED: _l("Rejected"),
    ProposalStatus.DECIDED: _l("Decided"),
}

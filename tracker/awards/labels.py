"""What users read for a proposal's and a revocation's status."""
from flask_babel import lazy_gettext as _l

from tracker.awards.models import ProposalStatus, RevocationStatus

PROPOSAL_STATUS_LABELS = {
    ProposalStatus.DRAFT: _l("Draft"),
    ProposalStatus.SUBMITTED: _l("Submitted"),
    ProposalStatus.APPROVED: _l("Approved"),
    ProposalStatus.REJECTED: _l("Rejected"),
    ProposalStatus.DECIDED: _l("Decided"),
}

REVOCATION_STATUS_LABELS = {
    RevocationStatus.PROPOSED: _l("Waiting for the leader"),
    RevocationStatus.DECIDED: _l("Revoked"),
    RevocationStatus.DISMISSED: _l("Dismissed"),
}

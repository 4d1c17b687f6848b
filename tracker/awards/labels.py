"""What users read for a proposal's status, an award's recipients and a candidate's yearly history."""
from flask_babel import lazy_gettext as _l

from tracker.awards.models import Discipline, InitiativeLevel, ProposalStatus, Rating, Recipient

PROPOSAL_STATUS_LABELS = {
    ProposalStatus.DRAFT: _l("Draft"),
    ProposalStatus.SUBMITTED: _l("Submitted"),
    ProposalStatus.APPROVED: _l("Approved"),
    ProposalStatus.REJECTED: _l("Rejected"),
    ProposalStatus.DECIDED: _l("Decided"),
}

RECIPIENT_LABELS = {
    Recipient.INDIVIDUAL: _l("Individual"),
    Recipient.COLLECTIVE: _l("Collective"),
    Recipient.BOTH: _l("Individual and collective"),
}

RATING_LABELS = {
    Rating.EXCELLENT: _l("Completed tasks excellently"),
    Rating.GOOD: _l("Completed tasks well"),
    Rating.COMPLETED: _l("Completed tasks"),
    Rating.FAILED: _l("Did not complete tasks"),
}

LEVEL_LABELS = {
    InitiativeLevel.GRASSROOTS: _l("Grassroots"),
    InitiativeLevel.PROVINCIAL: _l("Provincial"),
    InitiativeLevel.NATIONAL: _l("National"),
}

DISCIPLINE_LABELS = {
    Discipline.REPRIMAND: _l("Reprimand"),
    Discipline.WARNING: _l("Disciplinary warning"),
    Discipline.HIGHER: _l("Heavier than a warning"),
}

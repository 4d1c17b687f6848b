"""What users read for a plan's status, a milestone's scope and a unit's obligation."""
from flask_babel import lazy_gettext as _l

from tracker.plans.models import MilestoneKind, MilestoneScope, PlanStatus

PLAN_STATUS_LABELS = {
    PlanStatus.DRAFT: _l("Draft"),
    PlanStatus.ACTIVE: _l("Active"),
    PlanStatus.CLOSED: _l("Closed"),
}

MILESTONE_SCOPE_LABELS = {
    MilestoneScope.ISSUING_UNIT: _l("The issuing unit itself"),
    MilestoneScope.SUBUNITS: _l("Every unit below of the listed kinds"),
}

MILESTONE_KIND_LABELS = {
    MilestoneKind.CONFERENCE: _l("Conference report"),
    MilestoneKind.DOSSIER: _l("Dossier of nominations"),
    MilestoneKind.REPORT: _l("Plain report"),
}

# Obligation status, derived from the report and the clock (see plans.services).
OBLIGATION_LABELS = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "returned": _l("Returned for changes"),
    "submitted": _l("Submitted"),
    "accepted": _l("Accepted"),
    "late": _l("Late"),
}

"""Jinja filters (dates dd/mm/yyyy, numbers with the locale's separators) and enum labels."""
from datetime import date, datetime

from flask_babel import format_datetime, format_decimal, lazy_gettext as _l

from tracker.awards.models import ProposalStatus
from tracker.catalogue.models import Recipient
from tracker.candidates.models import CandidateKind, Gender
from tracker.nominations.models import NominationStatus
from tracker.plans.models import MilestoneScope, PlanStatus
from tracker.reports.models import ReportStatus
from tracker.units.models import UnitKind
from tracker.users.models import Role


def format_day(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def format_moment(value) -> str:
    if value is None:
        return ""
    return format_datetime(value, "dd/MM/yyyy HH:mm")


def format_number(value) -> str:
    if value is None or value == "":
        return ""
    if type(value) is int and value >= 0:  # the common case, without Babel's general machinery
        if value < 1000:
            return str(value)
        group = _int_grouping()
        if group is not None:
            return f"{value:,}".replace(",", group)
    return format_decimal(value)


def _int_grouping() -> str | None:
    """The locale's group symbol when it groups integers by threes (vi, en), per request."""
    from babel.numbers import get_group_symbol
    from flask import has_request_context, request
    from flask_babel import get_locale

    current = request._get_current_object() if has_request_context() else None
    if current is not None and hasattr(current, "_tracker_number_group"):
        return current._tracker_number_group
    locale = get_locale()
    group = get_group_symbol(locale) if locale.decimal_formats[None].grouping == (3, 3) else None
    if current is not None:
        current._tracker_number_group = group
    return group


ROLE_LABELS = {
    Role.WARD_OFFICER: _l("Ward officer"),
    Role.COMMITTEE: _l("Emulation committee"),
    Role.LEADER: _l("Leader"),
    Role.ADMIN: _l("Administrator"),
}

UNIT_KIND_LABELS = {
    UnitKind.PROVINCE: _l("Province"),
    UnitKind.CITY: _l("City"),
    UnitKind.DISTRICT: _l("District"),
    UnitKind.WARD: _l("Ward"),
    UnitKind.COMMUNE: _l("Commune"),
    UnitKind.SPECIAL_ZONE: _l("Special zone"),
    UnitKind.AGENCY: _l("Agency"),
    UnitKind.OTHER: _l("Other"),
}

LABELS = {
    "role": ROLE_LABELS,
    "unit_kind": UNIT_KIND_LABELS,
    "plan_status": {
        PlanStatus.DRAFT: _l("Draft"),
        PlanStatus.ACTIVE: _l("Active"),
        PlanStatus.CLOSED: _l("Closed"),
    },
    "milestone_scope": {
        MilestoneScope.ISSUING_UNIT: _l("The issuing unit itself"),
        MilestoneScope.SUBUNITS: _l("Every unit below of the listed kinds"),
    },
    "report_status": {
        ReportStatus.DRAFT: _l("Draft"),
        ReportStatus.SUBMITTED: _l("Submitted"),
        ReportStatus.RETURNED: _l("Returned"),
        ReportStatus.RESUBMITTED: _l("Resubmitted"),
        ReportStatus.ACCEPTED: _l("Accepted"),
    },
    "nomination_status": {
        NominationStatus.DRAFT: _l("Draft"),
        NominationStatus.SUBMITTED: _l("Submitted"),
        NominationStatus.RETURNED: _l("Returned"),
        NominationStatus.RESUBMITTED: _l("Resubmitted"),
        NominationStatus.ACCEPTED: _l("Accepted"),
        NominationStatus.REJECTED: _l("Rejected"),
        NominationStatus.WITHDRAWN: _l("Withdrawn"),
        NominationStatus.AWARDED: _l("Awarded"),
    },
    "proposal_status": {
        ProposalStatus.DRAFT: _l("Draft"),
        ProposalStatus.SUBMITTED: _l("Submitted"),
        ProposalStatus.APPROVED: _l("Approved"),
        ProposalStatus.REJECTED: _l("Rejected"),
        ProposalStatus.DECIDED: _l("Decided"),
    },
    "candidate_kind": {
        CandidateKind.INDIVIDUAL: _l("Individual"),
        CandidateKind.COLLECTIVE: _l("Collective"),
    },
    "gender": {Gender.MALE: _l("Male"), Gender.FEMALE: _l("Female")},
    "recipient": {
        Recipient.INDIVIDUAL: _l("Individual"),
        Recipient.COLLECTIVE: _l("Collective"),
        Recipient.BOTH: _l("Individual and collective"),
    },
    # Obligation status, derived from the report and the clock (see plans.services).
    "obligation": {
        "not_started": _l("Not started"),
        "in_progress": _l("In progress"),
        "returned": _l("Returned for changes"),
        "submitted": _l("Submitted"),
        "accepted": _l("Accepted"),
        "late": _l("Late"),
    },
}

def unit_kind_label(value) -> str:
    """The label of a UnitKind given as the enum or its stored value ("ward")."""
    kind = value if isinstance(value, UnitKind) else UnitKind(value)
    return str(UNIT_KIND_LABELS[kind])


FILTERS = {"day": format_day, "moment": format_moment, "number": format_number, "unit_kind_label": unit_kind_label}

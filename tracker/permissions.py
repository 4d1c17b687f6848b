"""Every authorization rule of the tracker, and the unit-scoping queries.

A user sees only their unit's subtree: a record outside it is answered with 404, never 403,
so its existence does not leak. Within the subtree, the role decides what may be done (403).
Predicates are pure and safe to call with the anonymous user.
"""
from flask import abort
from sqlalchemy import Select, select

from tracker.extensions import db
from tracker.inputs import MAX_ID
from tracker.units.models import Unit
from tracker.users.models import Role


def _authenticated(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def has_role(user, *roles: Role) -> bool:
    return _authenticated(user) and user.role in roles


# --- scope -------------------------------------------------------------------------------


def visible_unit_ids(user) -> Select:
    """A select of the ids of every unit in the user's subtree (one indexed prefix query)."""
    if not _authenticated(user):
        return select(Unit.id).where(Unit.id.is_(None))
    return select(Unit.id).where(Unit.path.startswith(user.unit.path, autoescape=True))


def in_scope(user, unit: Unit | None) -> bool:
    """True when `unit` lies in the user's subtree."""
    return _authenticated(user) and unit is not None and unit.is_within(user.unit)


def plan_in_scope(user, plan) -> bool:
    """A plan is visible to units under its issuer (they carry it out) and to units above it."""
    if not _authenticated(user):
        return False
    return in_scope(user, plan.issuing_unit) or user.unit.is_within(plan.issuing_unit)


def get_by_id(model, record_id):
    """The row with this id, or None for an id no database column can hold (from a query string)."""
    if not isinstance(record_id, int) or not 0 < record_id <= MAX_ID:
        return None
    return db.session.get(model, record_id)


def get_in_scope_or_404(user, model, record_id: int, unit_attr: str = "unit"):
    """Load a record by id, or 404 when it does not exist or lies outside the user's subtree."""
    record = get_by_id(model, record_id)
    if record is None or not in_scope(user, getattr(record, unit_attr)):
        abort(404)
    return record


def get_unit_or_404(user, unit_id: int) -> Unit:
    """Load a unit of the user's subtree, or 404."""
    unit = get_by_id(Unit, unit_id)
    if unit is None or not in_scope(user, unit):
        abort(404)
    return unit


def get_plan_or_404(user, plan_id: int):
    from tracker.plans.models import Plan

    plan = get_by_id(Plan, plan_id)
    if plan is None or not plan_in_scope(user, plan):
        abort(404)
    return plan


def require(flag: bool) -> None:
    """Abort with 403 unless `flag` holds."""
    if not flag:
        abort(403)


def require_found(flag: bool) -> None:
    """Abort with 404 unless `flag` holds: a record outside the user's scope is not there for them."""
    if not flag:
        abort(404)


# --- administration ----------------------------------------------------------------------


def can_manage_units(user) -> bool:
    """Admins maintain the unit tree below their own unit."""
    return has_role(user, Role.ADMIN)


def can_edit_unit(user, unit: Unit) -> bool:
    """An admin edits units strictly below their own unit (their root stays put)."""
    return can_manage_units(user) and in_scope(user, unit) and unit.id != user.unit_id


def can_manage_users(user) -> bool:
    return has_role(user, Role.ADMIN)


def can_edit_user(user, target) -> bool:
    """Admins edit users of their subtree; nobody deactivates or demotes themselves here."""
    return can_manage_users(user) and in_scope(user, target.unit) and target.id != user.id


def can_revoke_token(user, token) -> bool:
    """A token is revoked by its owner, or by an admin of the owner's subtree."""
    if not _authenticated(user):
        return False
    return token.user_id == user.id or (has_role(user, Role.ADMIN) and in_scope(user, token.user.unit))


def can_view_audit(user) -> bool:
    return has_role(user, Role.ADMIN)


# --- plans and deadlines -----------------------------------------------------------------


def can_view_plans(user) -> bool:
    return _authenticated(user)


def can_view_plan(user, plan) -> bool:
    return plan_in_scope(user, plan)


def can_create_plan(user) -> bool:
    """The emulation committee writes the plans of its own unit."""
    return has_role(user, Role.COMMITTEE)


def can_edit_plan(user, plan) -> bool:
    """Committee members edit plans issued in their subtree, until the plan is closed."""
    from tracker.plans.models import PlanStatus

    return (
        has_role(user, Role.COMMITTEE)
        and in_scope(user, plan.issuing_unit)
        and plan.status is not PlanStatus.CLOSED
    )


def can_change_plan_status(user, plan) -> bool:
    return has_role(user, Role.COMMITTEE) and in_scope(user, plan.issuing_unit)


def can_view_deadlines(user) -> bool:
    """The deadline view is for leaders and the committee (and admins)."""
    return has_role(user, Role.COMMITTEE, Role.LEADER, Role.ADMIN)


def can_view_obligation(user, unit) -> bool:
    """A unit's obligation is visible to anyone whose subtree holds the unit."""
    return in_scope(user, unit)


def can_view_dashboard(user) -> bool:
    """The campaign dashboard (figures rolled up the unit tree, the unit x milestone matrix and
    its export) is for the emulation committee, leaders and admins, over their own subtree."""
    return has_role(user, Role.COMMITTEE, Role.LEADER, Role.ADMIN)


def can_view_overview(user) -> bool:
    """Committee-wide figures: the emulation committee, leaders and admins."""
    return has_role(user, Role.COMMITTEE, Role.LEADER, Role.ADMIN)


# --- reports and nominations -------------------------------------------------------------


def can_view_report(user, report) -> bool:
    return in_scope(user, report.unit)


def can_edit_report(user, report) -> bool:
    """Ward officers write their own unit's reports."""
    return has_role(user, Role.WARD_OFFICER) and report.unit_id == user.unit_id


def can_review_report(user, report) -> bool:
    return has_role(user, Role.COMMITTEE) and in_scope(user, report.unit)


def can_list_reports(user) -> bool:
    """The committee and leaders browse every report of their subtree."""
    return has_role(user, Role.COMMITTEE, Role.LEADER)


def can_file_reports(user) -> bool:
    """Ward officers report their own unit's obligations (what a unit owes is checked apart)."""
    return has_role(user, Role.WARD_OFFICER)


def can_view_nomination(user, nomination) -> bool:
    return in_scope(user, nomination.unit)


def can_edit_nomination(user, nomination) -> bool:
    return has_role(user, Role.WARD_OFFICER) and nomination.unit_id == user.unit_id


def can_review_nomination(user, nomination) -> bool:
    return has_role(user, Role.COMMITTEE) and in_scope(user, nomination.unit)


def can_list_nominations(user) -> bool:
    """Everyone signed in lists the nominations of their own subtree (a ward officer: their ward's)."""
    return _authenticated(user)


def can_nominate(user) -> bool:
    """Ward officers put forward their own unit's exemplars (form and spreadsheet import)."""
    return has_role(user, Role.WARD_OFFICER)


def can_review_nominations(user) -> bool:
    """The emulation committee reviews nominations of its subtree, also several at once."""
    return has_role(user, Role.COMMITTEE)


# --- proposals ---------------------------------------------------------------------------


def can_view_council(user, unit) -> bool:
    """A unit's emulation and commendation council is read by its committee, leaders and admins."""
    return has_role(user, Role.COMMITTEE, Role.LEADER, Role.ADMIN) and in_scope(user, unit)


def can_manage_council(user, unit) -> bool:
    """The committee and the admins of the unit itself keep its council's memberships."""
    return has_role(user, Role.COMMITTEE, Role.ADMIN) and unit is not None and user.unit_id == unit.id


def can_open_meeting(user, meeting) -> bool:
    """A council meeting is its own unit's: read by that unit's committee, leaders and admins
    (a unit above sees the unit's proposals, not its council's deliberations)."""
    return user.unit_id == meeting.unit_id and can_view_council(user, meeting.unit)


def can_view_proposals(user) -> bool:
    """Proposals are the committee's work and the leaders' to approve."""
    return has_role(user, Role.COMMITTEE, Role.LEADER, Role.ADMIN)


def can_create_proposal(user) -> bool:
    return has_role(user, Role.COMMITTEE)


def can_view_proposal(user, proposal) -> bool:
    return can_view_proposals(user) and in_scope(user, proposal.proposing_unit)


def can_edit_proposal(user, proposal) -> bool:
    """The committee of the proposing unit's subtree builds, submits and records the decision."""
    return has_role(user, Role.COMMITTEE) and in_scope(user, proposal.proposing_unit)


def can_edit_dossier(user, proposal) -> bool:
    """The proposal's own files change while it is a draft, by those who build it."""
    return can_edit_proposal(user, proposal) and proposal.status.value == "draft"


def can_approve_proposal(user, proposal) -> bool:
    """Leaders approve or reject the proposals of their subtree."""
    return has_role(user, Role.LEADER) and in_scope(user, proposal.proposing_unit)


def can_propose_revocation(user, candidate) -> bool:
    """The committee of the subtree proposes the revocation of an award received there."""
    return has_role(user, Role.COMMITTEE) and in_scope(user, candidate.unit)


def can_view_revocations(user) -> bool:
    return has_role(user, Role.COMMITTEE, Role.LEADER, Role.ADMIN)


def can_view_revocation(user, revocation) -> bool:
    return can_view_revocations(user) and in_scope(user, revocation.unit)


def can_decide_revocation(user, revocation) -> bool:
    """A leader of the proposing unit's subtree decides or dismisses it."""
    return has_role(user, Role.LEADER) and in_scope(user, revocation.unit)


def can_view_candidate(user, candidate) -> bool:
    return in_scope(user, candidate.unit)


def can_edit_candidate_history(user, candidate) -> bool:
    """The committee of the subtree, or the ward officer of the candidate's own unit."""
    if has_role(user, Role.WARD_OFFICER):
        return candidate.unit_id == user.unit_id
    return has_role(user, Role.COMMITTEE) and in_scope(user, candidate.unit)


def can_import_history(user) -> bool:
    """The committee loads award history for the candidates of its subtree."""
    return has_role(user, Role.COMMITTEE)


def can_rebuild_figures(user) -> bool:
    """Recounting every dashboard figure of the country is for an admin of the root of the tree."""
    return has_role(user, Role.ADMIN) and user.unit.parent_id is None


def can_manage_calendar(user) -> bool:
    """The working-day calendar (days off in lieu, days worked) counts every time limit of the
    country: an admin of the root of the unit tree keeps it."""
    return has_role(user, Role.ADMIN) and user.unit.parent_id is None


def can_manage_catalogue(user) -> bool:
    """The award catalogue's thresholds apply to the whole country: only an admin of the root of
    the unit tree (a unit with no parent) corrects them without a release. An admin of a province
    below it, a city or a ward may not."""
    return has_role(user, Role.ADMIN) and user.unit.parent_id is None


# --- background jobs ---------------------------------------------------------------------


def can_view_job(user, job) -> bool:
    """A job (its progress and its file) is its owner's. Someone at a level above the owner's
    unit, in whose scope it lies, may open it too when their role may see what it holds: a list
    of nominations, a proposal's documents, an import's rows (the job row is loaded with
    get_in_scope_or_404 first)."""
    if not _authenticated(user):
        return False
    if job.owner_id == user.id:
        return True
    readers = _JOB_READERS.get(job.kind)
    return (readers is not None and readers(user) and in_scope(user, job.unit)
            and job.unit_id != user.unit_id)


# Who, above the owner, may read each kind of job: the rule of the page its content comes from.
_JOB_READERS = {
    "nominations_export": lambda user: can_list_nominations(user),
    "nominations_import": lambda user: can_review_nominations(user),
    "history_import": lambda user: can_import_history(user),
    "award_document": lambda user: can_view_proposals(user),
    "council_minutes": lambda user: False,  # a council's minutes are its own unit's (tracker.councils)
}


# Exposed to templates, so buttons hide by the same rules that guard the routes.
TEMPLATE_PREDICATES = {
    name: obj for name, obj in dict(globals()).items() if name.startswith("can_")
}


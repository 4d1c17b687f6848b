"""Writing nominations: the ward's draft, its evidence files and the lifecycle (submit, accept,
return, reject, withdraw, award), each transition checked against one table and audited."""
from datetime import date

from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlalchemy import select

from tracker import changes, clock
from tracker.attachments import services as files
from tracker.attachments.models import Attachment
from tracker.audit.services import diff, record
from tracker.candidates.models import Candidate
from tracker.catalogue.models import AwardType
from tracker.catalogue.regimes import regime_for
from tracker.errors import DomainError, InvalidData, WorkflowError
from tracker.extensions import db
from tracker.models_base import check_version, new_version
from tracker.nominations.candidates import CandidateMatch, pending_match, resolve_candidate, search_key_of
from tracker.nominations.fields import CANDIDATE_FIELDS, NOMINATION_FIELDS
from tracker.nominations.models import Nomination, NominationStatus as S
from tracker.nominations.validation import (
    MSG_CONFLICT,
    CandidateInput,
    add,
    award_errors,
    candidate_errors,
    completeness_errors,
    merge,
    nomination_errors,
)
from tracker.notifications import services as notices
from tracker.plans.models import Movement, Plan, PlanStatus
from tracker.units.models import Unit
from tracker.workflow import check_transition

TRANSITIONS = {
    "edit": (S.DRAFT, S.RETURNED),
    "submit": (S.DRAFT, S.RETURNED),
    "accept": (S.SUBMITTED, S.RESUBMITTED),
    "return": (S.SUBMITTED, S.RESUBMITTED),
    "reject": (S.SUBMITTED, S.RESUBMITTED),
    "withdraw": (S.DRAFT, S.SUBMITTED, S.RETURNED, S.RESUBMITTED),
    "award": (S.ACCEPTED,),
}
AWAITING_REVIEW = TRANSITIONS["accept"]
CATEGORIES = ("achievements", "minutes", "decision", "photo", "other")


def proposed_award_errors(plan: Plan, kind, award_type_id: int | None, awards: dict | None = None) -> dict:
    """The proposed catalogue award checked against the plan's regime (validation.award_errors);
    `awards` ({id: AwardType} of the plan's choices) saves a look-up per call."""
    if not award_type_id:
        return {}
    award = awards.get(award_type_id) if awards is not None else db.session.get(AwardType, award_type_id)
    return award_errors(regime_for(plan.issued_date), kind, award, award_type_id)


def _values_of(nomination: Nomination) -> dict:
    return {name: getattr(nomination, name) for name in NOMINATION_FIELDS}


def clean_values(values: dict) -> dict:
    values = {k: v for k, v in values.items() if k in NOMINATION_FIELDS}
    for name in ("achievements", "proposed_honour", "achievement_title"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "proposed_award_type_id" in values:
        values["proposed_award_type_id"] = values["proposed_award_type_id"] or None
    return values


def check_plan_open(plan: Plan) -> None:
    if plan.status is not PlanStatus.ACTIVE:
        raise WorkflowError(_l("Nominations can only be made under an active plan."))


def is_editable(nomination: Nomination) -> bool:
    """Whether the ward may still change the nomination."""
    return nomination.status in TRANSITIONS["edit"]


# --- writing -----------------------------------------------------------------------------


def new_nomination(actor, plan: Plan, movement: Movement | None, candidate: Candidate, unit: Unit,
                    **values) -> Nomination:
    values.setdefault("search_key", search_key_of(candidate.full_name, values.get("achievements", "")))
    return Nomination(plan=plan, movement=movement, candidate=candidate, unit=unit, unit_path=_path_of(unit),
                      created_by_id=actor.id if actor else None, status=S.DRAFT, version=1, **values)


def _path_of(unit: Unit):
    """The unit's path as it stands when the nomination is written, which the nomination keeps
    (Nomination.unit_path): read by the INSERT itself, under a share lock on PostgreSQL, so that
    a move of the unit (which rewrites its nominations' paths, nominations.units.update_unit)
    either waits for this transaction or is seen by it; on SQLite the INSERT runs in the write
    transaction, during which no move can commit."""
    return select(Unit.path).where(Unit.id == unit.id).with_for_update(read=True).scalar_subquery()


def create_nomination(actor, plan: Plan, movement: Movement | None, candidate: Candidate,
                      unit: Unit, **values) -> Nomination:
    """Add a draft nomination of `candidate` by `unit`; its search key is derived here."""
    nomination = new_nomination(actor, plan, movement, candidate, unit, **values)
    db.session.add(nomination)
    db.session.flush()
    record(actor, "nomination.created", nomination, candidate.full_name)
    changes.nominations_changed(db.session, [nomination])
    return nomination


def update_nomination(actor, nomination: Nomination, *, movement: Movement | None = None,
                      candidate: Candidate | None = None, **values) -> Nomination:
    """Change a draft or returned nomination's fields (WorkflowError otherwise); audited."""
    check_transition(TRANSITIONS, "edit", nomination.status)
    values = clean_values(values)
    changed = diff(nomination, values)
    if movement is not None and movement.id != nomination.movement_id:
        changed["movement_id"] = [nomination.movement_id, movement.id]
        nomination.movement = movement
    if candidate is not None and candidate.id != nomination.candidate_id:
        changed["candidate_id"] = [nomination.candidate_id, candidate.id]
        nomination.candidate = candidate
    for key, value in values.items():
        setattr(nomination, key, value)
    nomination.search_key = search_key_of(nomination.candidate.full_name, nomination.achievements)
    if changed:
        new_version(nomination, MSG_CONFLICT)
        record(actor, "nomination.updated", nomination, nomination.candidate.full_name, changed)
        changes.nominations_changed(db.session, [nomination])
    return nomination


def save_nomination(actor, unit: Unit, plan: Plan, movement: Movement | None, person: CandidateInput, *,
                    today: date, nomination: Nomination | None = None, candidate_id: int | None = None,
                    expected_version: int | None = None, expected_candidate_version: int | None = None,
                    uploads=(), category: str = "achievements", submit: bool = False, **values) -> Nomination:
    """Create (nomination None) or change a ward's nomination, attach its evidence files, and
    submit it when `submit` is set.

    Rules, all checked before anything is written: the plan is active (WorkflowError); the
    movement belongs to the plan; the candidate and nomination values are coherent (see
    candidate_errors, nomination_errors, award_errors); every upload passes the evidence-file
    checks of progress reports; with `submit`, the nomination is complete (completeness_errors).
    Broken rules are raised together as InvalidData. When the typed person is already registered
    for the unit (same kind, name ignoring case/diacritics, birth year) and was not confirmed
    through `candidate_id`, CandidateMatch offers that candidate instead of creating a twin.
    Editing needs a draft or returned nomination (WorkflowError) whose version, and its candidate's
    (shared by every nomination of the person), are those the form was built from (ConflictError).
    A new nomination's plan is `plan`; an edit keeps its own.
    """
    if nomination is not None:
        check_transition(TRANSITIONS, "edit", nomination.status)
        check_version(nomination, expected_version, MSG_CONFLICT)
        check_version(nomination.candidate, expected_candidate_version, MSG_CONFLICT)
        plan = nomination.plan
    check_plan_open(plan)
    values = clean_values(values)
    merged = {**(_values_of(nomination) if nomination is not None else {}), **values}

    errors = merge(candidate_errors(person, today), nomination_errors(merged, today),
                    proposed_award_errors(plan, person.kind, merged.get("proposed_award_type_id")))
    if movement is None:
        add(errors, "movement_id", _l("Choose one of the plan's movements."))
    elif movement.plan_id != plan.id:
        add(errors, "movement_id", _l("Choose one of the plan's movements."))
    checked = []
    if uploads:
        max_file, max_total = files.limits()
        used = files.used_bytes(nomination_id=nomination.id) if nomination is not None else 0
        try:
            checked = files.check_uploads(uploads, max_file, max_total, used)
        except InvalidData as error:
            errors = merge(errors, error.errors)
    if submit:
        errors = merge(errors, completeness_errors(person.kind, person.values(), merged, today))
    match = pending_match(person, unit if nomination is None else nomination.unit, nomination, candidate_id)
    if match is not None:
        raise CandidateMatch(match, errors)
    if errors:
        raise InvalidData(errors)

    candidate = resolve_candidate(actor, person, unit if nomination is None else nomination.unit,
                                   nomination, candidate_id)
    if nomination is None:
        nomination = create_nomination(actor, plan, movement, candidate, unit, **values)
    else:
        update_nomination(actor, nomination, movement=movement, candidate=candidate, **values)
    if checked:
        if category not in CATEGORIES:
            category = "other"
        for item in checked:
            files.add_attachment(actor, item, category, unit_id=nomination.unit_id, nomination=nomination)
        new_version(nomination, MSG_CONFLICT)
        changes.nominations_changed(db.session, [nomination])
    if submit:
        submit_nomination(actor, nomination, today=today)
    return nomination


def remove_nomination_attachment(actor, nomination: Nomination, attachment: Attachment) -> None:
    """Remove an evidence file while the ward may still change the nomination (WorkflowError)."""
    check_transition(TRANSITIONS, "edit", nomination.status)
    if attachment.nomination_id != nomination.id:
        raise DomainError(_l("This file does not belong to this nomination."))
    files.remove_attachment(actor, attachment, unit_id=nomination.unit_id)
    new_version(nomination, MSG_CONFLICT)
    changes.nominations_changed(db.session, [nomination])


# --- the lifecycle -----------------------------------------------------------------------


def _move(actor, nomination: Nomination, action: str, new_status: S, summary: str = "") -> Nomination:
    check_transition(TRANSITIONS, action, nomination.status)
    old = nomination.status
    nomination.status = new_status
    new_version(nomination, MSG_CONFLICT)
    record(actor, f"nomination.{new_status.value}", nomination, summary or nomination.candidate.full_name,
           {"status": [old.value, new_status.value]})
    changes.nominations_changed(db.session, [nomination])
    return nomination


def submit_nomination(actor, nomination: Nomination, *, today: date | None = None,
                      expected_version: int | None = None) -> Nomination:
    """draft -> submitted; returned -> resubmitted.

    Raises WorkflowError from any other state or under a plan that is not active, ConflictError
    for a stale form, InvalidData when the nomination is incomplete (see completeness_errors;
    the meeting date is checked against `today` when given).
    """
    check_transition(TRANSITIONS, "submit", nomination.status)
    check_version(nomination, expected_version, MSG_CONFLICT)
    check_plan_open(nomination.plan)
    candidate = nomination.candidate
    errors = completeness_errors(candidate.kind, {name: getattr(candidate, name) for name in CANDIDATE_FIELDS},
                                 _values_of(nomination), today)
    if errors:
        raise InvalidData(errors)
    new = S.RESUBMITTED if nomination.status is S.RETURNED else S.SUBMITTED
    nomination.submitted_at = clock.now()
    return _move(actor, nomination, "submit", new)


def accept_nomination(actor, nomination: Nomination, *, expected_version: int | None = None) -> Nomination:
    """submitted | resubmitted -> accepted (for the city conference). WorkflowError, ConflictError."""
    check_version(nomination, expected_version, MSG_CONFLICT)
    return _move(actor, nomination, "accept", S.ACCEPTED)


def _required_text(text: str, field_name: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidData({field_name: [message]})
    if len(text) > 4000:
        raise InvalidData({field_name: [_l("At most %(max)s characters.", max=4000)]})
    return text


def return_nomination(actor, nomination: Nomination, comment: str, *, expected_version: int | None = None,
                      config=None, notify_unit: bool = True) -> Nomination:
    """submitted | resubmitted -> returned, with a comment saying what to fix (required: InvalidData).

    The ward's officers are told in the app and, when `config` is given, by e-mail (a failed
    delivery is logged, never undoes the return). WorkflowError, ConflictError.
    """
    check_transition(TRANSITIONS, "return", nomination.status)
    check_version(nomination, expected_version, MSG_CONFLICT)
    comment = _required_text(comment, "comment", _l("Say what must be fixed."))
    nomination.review_comment = comment
    _move(actor, nomination, "return", S.RETURNED, comment)
    if notify_unit:
        notify_decision(actor, [nomination], config)
    return nomination


def reject_nomination(actor, nomination: Nomination, reason: str, *, expected_version: int | None = None,
                      config=None, notify_unit: bool = True) -> Nomination:
    """submitted | resubmitted -> rejected, with the reason (required: InvalidData); the ward is
    told as on a return. WorkflowError, ConflictError."""
    check_transition(TRANSITIONS, "reject", nomination.status)
    check_version(nomination, expected_version, MSG_CONFLICT)
    reason = _required_text(reason, "reason", _l("Give the reason for rejecting the nomination."))
    nomination.review_comment = reason
    _move(actor, nomination, "reject", S.REJECTED, reason)
    if notify_unit:
        notify_decision(actor, [nomination], config)
    return nomination


def withdraw_nomination(actor, nomination: Nomination, *, expected_version: int | None = None) -> Nomination:
    """The ward takes its nomination back before it is accepted: any state but accepted,
    rejected, withdrawn or awarded -> withdrawn. WorkflowError, ConflictError."""
    check_version(nomination, expected_version, MSG_CONFLICT)
    return _move(actor, nomination, "withdraw", S.WITHDRAWN)


def award_nomination(actor, nomination: Nomination, *, decision_number: str) -> Nomination:
    """accepted -> awarded, when a decision confers the award (called by the awards area's
    record_decision). WorkflowError from any other state."""
    return _move(actor, nomination, "award", S.AWARDED, f"{nomination.candidate.full_name}: {decision_number}")


def _check_all(nominations: list[Nomination], action: str) -> None:
    """Refuse a bulk action, changing nothing, when any nomination is not in a state allowing it."""
    stuck = [n for n in nominations if n.status not in TRANSITIONS[action]]
    if stuck:
        names = ", ".join(n.candidate.full_name for n in stuck[:5]) + (", …" if len(stuck) > 5 else "")
        raise WorkflowError(_l("Nothing was changed: %(count)s of the chosen nominations are not awaiting "
                               "review (%(names)s).", count=len(stuck), names=names))


def accept_nominations(actor, nominations: list[Nomination]) -> list[Nomination]:
    """Accept every nomination, or none (WorkflowError) when one of them is not awaiting review."""
    if not nominations:
        raise DomainError(_l("Choose at least one nomination."))
    _check_all(nominations, "accept")
    return [accept_nomination(actor, n) for n in nominations]


def return_nominations(actor, nominations: list[Nomination], comment: str, *, config=None) -> list[Nomination]:
    """Return every nomination with the same comment, or none (WorkflowError, InvalidData for an
    empty comment); each ward gets one e-mail listing its returned nominations."""
    if not nominations:
        raise DomainError(_l("Choose at least one nomination."))
    _check_all(nominations, "return")
    comment = _required_text(comment, "comment", _l("Say what must be fixed."))
    returned = [return_nomination(actor, n, comment, notify_unit=False) for n in nominations]
    notify_decision(actor, returned, config)
    return returned


# --- telling the ward --------------------------------------------------------------------


def notify_decision(actor, nominations: list[Nomination], config=None) -> None:
    """Tell the wards' officers that nominations were returned or rejected: one in-app notice per
    nomination, and (with `config`) one e-mail per officer listing them with the comment. Who is
    told and how is the notifications area's (notices.officers_of, notices.tell)."""
    by_officer: dict[int, tuple] = {}
    for nomination in nominations:
        for officer in notices.officers_of(nomination.unit_id, nomination.created_by_id):
            by_officer.setdefault(officer.id, (officer, []))[1].append(nomination)
    for officer, items in by_officer.values():
        with force_locale(notices.locale_of(officer, config)):
            told = []
            for nomination in items:
                if nomination.status is S.RETURNED:
                    title = _("Nomination returned: %(name)s", name=nomination.candidate.full_name)
                    body = _("The committee returned the nomination for changes: %(comment)s",
                             comment=nomination.review_comment)
                else:
                    title = _("Nomination rejected: %(name)s", name=nomination.candidate.full_name)
                    body = _("The committee rejected the nomination: %(comment)s", comment=nomination.review_comment)
                told.append(notices.Notice(title, body, f"/nominations/{nomination.id}"))
            subject = (_("Nomination returned or rejected: %(name)s", name=items[0].candidate.full_name)
                       if len(items) == 1 else _("%(n)s nominations returned or rejected", n=len(items)))
            notices.tell(officer, told, config, subject,
                         closing=_("Please review them in the tracker: %(url)s", url="{base_url}/nominations/"))

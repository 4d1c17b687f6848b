"""Candidates and nominations: finding the same person again, the nomination lifecycle, the queue."""
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload

from tracker import clock, mail
from tracker.attachments import services as files
from tracker.attachments.models import Attachment
from tracker.audit.models import AuditEvent
from tracker.audit.services import diff, record
from tracker.errors import DomainError, InvalidData, WorkflowError
from tracker.extensions import db
from tracker.models_base import check_version, new_version
from tracker.nominations.models import (
    Candidate,
    CandidateKind,
    Gender,
    Nomination,
    NominationStatus as S,
)
from tracker.plans.models import Movement, Plan, PlanStatus
from tracker.units.models import Unit
from tracker.workflow import check_transition

log = logging.getLogger(__name__)

TRANSITIONS = {
    "edit": (S.DRAFT, S.RETURNED),
    "submit": (S.DRAFT, S.RETURNED),
    "accept": (S.SUBMITTED, S.RESUBMITTED),
    "return": (S.SUBMITTED, S.RESUBMITTED),
    "reject": (S.SUBMITTED, S.RESUBMITTED),
    "withdraw": (S.DRAFT, S.SUBMITTED, S.RETURNED, S.RESUBMITTED),
}
AWAITING_REVIEW = TRANSITIONS["accept"]
# Nominations that do not count when looking for the same person nominated twice.
NOT_PUT_FORWARD = (S.DRAFT, S.WITHDRAWN)

CANDIDATE_FIELDS = ("gender", "birth_year", "position", "workplace", "member_count")
NOMINATION_FIELDS = ("achievements", "period_start_year", "period_end_year", "meeting_date",
                     "members_present", "votes_for", "proposed_award_type_id", "proposed_honour")
TEXT_LIMITS = {"full_name": 200, "position": 200, "workplace": 300, "achievements": 20000,
               "proposed_honour": 300}

MIN_AGE = 15  # a nominated individual is at least this old in the year of nomination
EARLIEST_BIRTH_YEAR = 1900
EARLIEST_PERIOD_YEAR = 1945
MAX_COUNT = 1_000_000
CATEGORIES = ("achievements", "minutes", "decision", "photo", "other")

MSG_REQUIRED = _l("Fill this in before submitting the nomination.")
MSG_NEGATIVE = _l("This cannot be negative.")
MSG_TOO_LARGE = _l("This number is too large.")
MSG_CONFLICT = _l(
    "Someone else changed this nomination after you opened it. Nothing of yours was saved: "
    "open it again to see their changes, then make yours."
)


class CandidateMatch(DomainError):
    """The typed individual or collective is already registered for the unit: offer it, do not
    create a twin. `errors` holds any other problems found in the same form."""

    def __init__(self, candidate: Candidate, errors: dict[str, list] | None = None):
        super().__init__(_l("This person or collective is already registered for your unit."), "full_name")
        self.candidate = candidate
        self.errors = errors or {}


@dataclass(frozen=True)
class CandidateInput:
    """An individual or collective as typed in a form or a spreadsheet row."""

    kind: CandidateKind
    full_name: str
    gender: Gender | None = None
    birth_year: int | None = None
    position: str = ""
    workplace: str = ""
    member_count: int | None = None

    def values(self) -> dict:
        """The candidate's fields, with those that do not apply to its kind emptied."""
        individual = self.kind is CandidateKind.INDIVIDUAL
        return {
            "gender": self.gender if individual else None,
            "birth_year": self.birth_year if individual else None,
            "position": (self.position or "").strip() if individual else "",
            "workplace": (self.workplace or "").strip(),
            "member_count": None if individual else self.member_count,
        }

    @property
    def key(self) -> tuple:
        return self.kind, name_key(self.full_name), self.values()["birth_year"]


# --- names -------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """Lower-case, diacritics removed (đ -> d), spaces folded: "Nguyễn  Văn Hòa" -> "nguyen van hoa"."""
    text = unicodedata.normalize("NFD", (name or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip().lower()


def search_key_of(full_name: str, achievements: str) -> str:
    """What the queue's text search looks in: the candidate's name and the achievements."""
    return name_key(f"{full_name} {achievements or ''}")


def find_candidate(kind: CandidateKind, full_name: str, birth_year: int | None, unit: Unit) -> Candidate | None:
    """The existing candidate with the same name (ignoring case and diacritics), birth year and unit."""
    return db.session.scalar(
        select(Candidate).where(
            Candidate.kind == kind,
            Candidate.name_key == name_key(full_name),
            Candidate.unit_id == unit.id,
            Candidate.birth_year.is_(None) if birth_year is None else Candidate.birth_year == birth_year,
        ).order_by(Candidate.id).limit(1)
    )


def create_candidate(actor, kind: CandidateKind, full_name: str, unit: Unit, **values) -> Candidate:
    """Register an individual or collective of `unit` (callers check find_candidate first)."""
    candidate = Candidate(kind=kind, full_name=full_name.strip(), name_key=name_key(full_name),
                          unit=unit, **values)
    db.session.add(candidate)
    db.session.flush()
    record(actor, "candidate.created", candidate, candidate.full_name)
    return candidate


def update_candidate(actor, candidate: Candidate, *, kind: CandidateKind | None = None,
                     full_name: str | None = None, **values) -> Candidate:
    """Change a candidate's details (and name); keeps the search keys of its nominations right.

    A change moves the candidate's version on (every nomination form of the person carries it);
    ConflictError when another request changed the candidate at the same moment.
    """
    values = {k: v for k, v in values.items() if k in CANDIDATE_FIELDS}
    if kind is not None:
        values["kind"] = kind
    if full_name is not None and full_name.strip():
        values["full_name"] = full_name.strip()
        values["name_key"] = name_key(full_name)
    changes = diff(candidate, values)
    if not changes:
        return candidate
    for key, value in values.items():
        setattr(candidate, key, value)
    new_version(candidate, MSG_CONFLICT)
    record(actor, "candidate.updated", candidate, candidate.full_name, changes)
    if "full_name" in changes:
        for nomination in db.session.scalars(select(Nomination).where(Nomination.candidate_id == candidate.id)):
            nomination.search_key = search_key_of(candidate.full_name, nomination.achievements)
        db.session.flush()
    return candidate


def _has_history(candidate: Candidate, except_nomination: Nomination | None) -> bool:
    """Whether anything but `except_nomination` refers to the candidate (then it is not renamed)."""
    from tracker.awards.models import AwardRecord

    others = select(Nomination.id).where(Nomination.candidate_id == candidate.id)
    if except_nomination is not None:
        others = others.where(Nomination.id != except_nomination.id)
    if db.session.scalar(others.limit(1)) is not None:
        return True
    return db.session.scalar(
        select(AwardRecord.id).where(AwardRecord.candidate_id == candidate.id).limit(1)) is not None


def _same_person(candidate: Candidate, person: CandidateInput, unit: Unit) -> bool:
    return candidate.unit_id == unit.id and (candidate.kind, candidate.name_key, candidate.birth_year) == person.key


def pending_match(person: CandidateInput, unit: Unit, nomination: Nomination | None = None,
                  candidate_id: int | None = None) -> Candidate | None:
    """The registered candidate the form must offer before saving, or None.

    None when the typed person is the nomination's own candidate, or is the candidate the user
    already confirmed (`candidate_id`); otherwise the unit's candidate with the same kind, name
    (ignoring case, diacritics and spacing) and birth year, if there is one.
    """
    if not name_key(person.full_name):
        return None
    if candidate_id:
        chosen = db.session.get(Candidate, candidate_id)
        if chosen is not None and _same_person(chosen, person, unit):
            return None
    current = nomination.candidate if nomination is not None else None
    if current is not None and _same_person(current, person, unit):
        return None
    match = find_candidate(person.kind, person.full_name, person.values()["birth_year"], unit)
    if match is not None and (current is None or match.id != current.id):
        return match
    return None


def _filled(details: dict) -> dict:
    """The details that were typed: a registered candidate keeps what the form left empty."""
    return {k: v for k, v in details.items() if v not in (None, "")}


def _resolve_candidate(actor, person: CandidateInput, unit: Unit, nomination: Nomination | None,
                       candidate_id: int | None) -> Candidate:
    """The candidate the nomination is about, after pending_match() found nothing to offer.

    The nomination's own candidate takes the typed details as they are; a confirmed or matching
    registered candidate takes the details that were filled in (its stored name is kept: only case
    or diacritics differ); the nomination's own candidate is renamed when nothing else refers to
    it; otherwise a new candidate is registered.
    """
    details = person.values()
    current = nomination.candidate if nomination is not None else None
    if current is not None and _same_person(current, person, unit):
        return update_candidate(actor, current, full_name=person.full_name, **details)
    if candidate_id:
        chosen = db.session.get(Candidate, candidate_id)
        if chosen is not None and _same_person(chosen, person, unit):
            return update_candidate(actor, chosen, **_filled(details))
    match = find_candidate(person.kind, person.full_name, details["birth_year"], unit)
    if match is not None:
        return update_candidate(actor, match, **_filled(details))
    if current is not None and not _has_history(current, nomination):
        return update_candidate(actor, current, kind=person.kind, full_name=person.full_name, **details)
    return create_candidate(actor, person.kind, person.full_name, unit, **details)


# --- rules -------------------------------------------------------------------------------


def _add(errors: dict[str, list], name: str, message) -> None:
    errors.setdefault(name, []).append(message)


def _merge(*error_dicts: dict[str, list]) -> dict[str, list]:
    merged: dict[str, list] = {}
    for errors in error_dicts:
        for name, messages in errors.items():
            for message in messages:
                if message not in merged.get(name, []):
                    merged.setdefault(name, []).append(message)
    return merged


def candidate_errors(person: CandidateInput, today: date) -> dict[str, list]:
    """What is wrong with a typed candidate: a name is needed; an individual's birth year is not
    in the future and at least MIN_AGE years back; a collective has at least one member."""
    errors: dict[str, list] = {}
    if not (person.full_name or "").strip():
        _add(errors, "full_name", _l("Enter the name."))
    for name in ("full_name", "position", "workplace"):
        limit = TEXT_LIMITS[name]
        if len((getattr(person, name) or "").strip()) > limit:
            _add(errors, name, _l("At most %(max)s characters.", max=limit))
    values = person.values()
    year = values["birth_year"]
    if year is not None:
        if year > today.year:
            _add(errors, "birth_year", _l("The birth year cannot be in the future."))
        elif year > today.year - MIN_AGE:
            _add(errors, "birth_year", _l("A nominated person must be at least %(age)s: born in %(year)s or earlier.",
                                          age=MIN_AGE, year=today.year - MIN_AGE))
        elif year < EARLIEST_BIRTH_YEAR:
            _add(errors, "birth_year", _l("Check the birth year."))
    members = values["member_count"]
    if members is not None:
        if members < 1:
            _add(errors, "member_count", _l("A collective has at least one member."))
        elif members > MAX_COUNT:
            _add(errors, "member_count", MSG_TOO_LARGE)
    return errors


def nomination_errors(values: dict, today: date) -> dict[str, list]:
    """What is wrong with what is filled in, whatever is still missing (drafts too): counts are
    not negative, votes in favour do not exceed the members present, the period runs forward
    and lies between 1945 and this year."""
    errors: dict[str, list] = {}
    for name in ("achievements", "proposed_honour"):
        if len((values.get(name) or "").strip()) > TEXT_LIMITS[name]:
            _add(errors, name, _l("At most %(max)s characters.", max=TEXT_LIMITS[name]))
    present, votes = values.get("members_present"), values.get("votes_for")
    for name, number in (("members_present", present), ("votes_for", votes)):
        if number is not None and number < 0:
            _add(errors, name, MSG_NEGATIVE)
        elif number is not None and number > MAX_COUNT:
            _add(errors, name, MSG_TOO_LARGE)
    if present == 0:
        _add(errors, "members_present", _l("At least one member must have been present."))
    if present is not None and votes is not None and 0 <= present < votes:
        _add(errors, "votes_for", _l("More votes in favour (%(votes)s) than members present (%(present)s).",
                                     votes=votes, present=present))
    start, end = values.get("period_start_year"), values.get("period_end_year")
    for name, year in (("period_start_year", start), ("period_end_year", end)):
        if year is not None and not EARLIEST_PERIOD_YEAR <= year <= today.year:
            _add(errors, name, _l("Enter a year between %(first)s and %(last)s.",
                                  first=EARLIEST_PERIOD_YEAR, last=today.year))
    if start is not None and end is not None and start > end:
        _add(errors, "period_end_year", _l("The period cannot end before it starts."))
    return errors


def completeness_errors(kind: CandidateKind, candidate_values: dict, values: dict,
                        today: date | None) -> dict[str, list]:
    """What a submitted nomination must have: the achievements, the period, the review meeting
    (date, members present, votes in favour) held by `today`; an individual's gender and birth
    year; a collective's number of members."""
    required = ["achievements", "period_start_year", "period_end_year", "meeting_date", "members_present",
                "votes_for"]
    required_candidate = ["gender", "birth_year"] if kind is CandidateKind.INDIVIDUAL else ["member_count"]
    errors: dict[str, list] = {}
    for name in required:
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            _add(errors, name, _l("Describe the achievements before submitting.")
                 if name == "achievements" else MSG_REQUIRED)
    for name in required_candidate:
        if candidate_values.get(name) is None:
            _add(errors, name, MSG_REQUIRED)
    meeting = values.get("meeting_date")
    if today is not None and meeting is not None and meeting > today:
        _add(errors, "meeting_date", _l("The review meeting cannot be after today (%(today)s).",
                                        today=today.strftime("%d/%m/%Y")))
    return errors


def award_errors(plan: Plan, kind: CandidateKind, award_type_id: int | None,
                 awards: dict | None = None) -> dict[str, list]:
    """A proposed catalogue award must be active, of the plan's legal regime and for this kind.
    `awards` ({id: AwardType} of award_choices(plan)) saves a look-up per call."""
    from tracker.awards.catalogue import regime_for
    from tracker.awards.models import AwardType

    if not award_type_id:
        return {}
    award = awards.get(award_type_id) if awards is not None else db.session.get(AwardType, award_type_id)
    if award is None or not award.active or award.regime != regime_for(plan.issued_date):
        return {"proposed_award_type_id": [_l("Choose an award of the plan's catalogue.")]}
    if award.recipient.value not in ("both", kind.value):
        return {"proposed_award_type_id": [
            _l("This award is for individuals only.") if award.recipient.value == "individual"
            else _l("This award is for collectives only.")]}
    return {}


def award_choices(plan: Plan) -> list:
    """The active catalogue awards a nomination under `plan` may propose (the plan's regime)."""
    from tracker.awards.catalogue import regime_for
    from tracker.awards.models import AwardType

    return list(db.session.scalars(
        select(AwardType).where(AwardType.regime == regime_for(plan.issued_date), AwardType.active.is_(True))
        .order_by(AwardType.id)))


def _values_of(nomination: Nomination) -> dict:
    return {name: getattr(nomination, name) for name in NOMINATION_FIELDS}


def _clean(values: dict) -> dict:
    values = {k: v for k, v in values.items() if k in NOMINATION_FIELDS}
    for name in ("achievements", "proposed_honour"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "proposed_award_type_id" in values:
        values["proposed_award_type_id"] = values["proposed_award_type_id"] or None
    return values


def _check_plan_open(plan: Plan) -> None:
    if plan.status is not PlanStatus.ACTIVE:
        raise WorkflowError(_l("Nominations can only be made under an active plan."))


def is_editable(nomination: Nomination) -> bool:
    """Whether the ward may still change the nomination."""
    return nomination.status in TRANSITIONS["edit"]


# --- writing -----------------------------------------------------------------------------


def _new_nomination(actor, plan: Plan, movement: Movement | None, candidate: Candidate, unit: Unit,
                    **values) -> Nomination:
    values.setdefault("search_key", search_key_of(candidate.full_name, values.get("achievements", "")))
    return Nomination(plan=plan, movement=movement, candidate=candidate, unit=unit,
                      created_by_id=actor.id if actor else None, status=S.DRAFT, version=1, **values)


def create_nomination(actor, plan: Plan, movement: Movement | None, candidate: Candidate,
                      unit: Unit, **values) -> Nomination:
    """Add a draft nomination of `candidate` by `unit`; its search key is derived here."""
    nomination = _new_nomination(actor, plan, movement, candidate, unit, **values)
    db.session.add(nomination)
    db.session.flush()
    record(actor, "nomination.created", nomination, candidate.full_name)
    return nomination


def update_nomination(actor, nomination: Nomination, *, movement: Movement | None = None,
                      candidate: Candidate | None = None, **values) -> Nomination:
    """Change a draft or returned nomination's fields (WorkflowError otherwise); audited."""
    check_transition(TRANSITIONS, "edit", nomination.status)
    values = _clean(values)
    changes = diff(nomination, values)
    if movement is not None and movement.id != nomination.movement_id:
        changes["movement_id"] = [nomination.movement_id, movement.id]
        nomination.movement = movement
    if candidate is not None and candidate.id != nomination.candidate_id:
        changes["candidate_id"] = [nomination.candidate_id, candidate.id]
        nomination.candidate = candidate
    for key, value in values.items():
        setattr(nomination, key, value)
    nomination.search_key = search_key_of(nomination.candidate.full_name, nomination.achievements)
    if changes:
        new_version(nomination, MSG_CONFLICT)
        record(actor, "nomination.updated", nomination, nomination.candidate.full_name, changes)
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
    _check_plan_open(plan)
    values = _clean(values)
    merged = {**(_values_of(nomination) if nomination is not None else {}), **values}

    errors = _merge(candidate_errors(person, today), nomination_errors(merged, today),
                    award_errors(plan, person.kind, merged.get("proposed_award_type_id")))
    if movement is None:
        _add(errors, "movement_id", _l("Choose one of the plan's movements."))
    elif movement.plan_id != plan.id:
        _add(errors, "movement_id", _l("Choose one of the plan's movements."))
    checked = []
    if uploads:
        max_file, max_total = files.limits()
        used = files.used_bytes(nomination_id=nomination.id) if nomination is not None else 0
        try:
            checked = files.check_uploads(uploads, max_file, max_total, used)
        except InvalidData as error:
            errors = _merge(errors, error.errors)
    if submit:
        errors = _merge(errors, completeness_errors(person.kind, person.values(), merged, today))
    match = pending_match(person, unit if nomination is None else nomination.unit, nomination, candidate_id)
    if match is not None:
        raise CandidateMatch(match, errors)
    if errors:
        raise InvalidData(errors)

    candidate = _resolve_candidate(actor, person, unit if nomination is None else nomination.unit,
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


# --- the lifecycle -----------------------------------------------------------------------


def _move(actor, nomination: Nomination, action: str, new_status: S, summary: str = "") -> Nomination:
    check_transition(TRANSITIONS, action, nomination.status)
    old = nomination.status
    nomination.status = new_status
    new_version(nomination, MSG_CONFLICT)
    record(actor, f"nomination.{new_status.value}", nomination, summary or nomination.candidate.full_name,
           {"status": [old.value, new_status.value]})
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
    _check_plan_open(nomination.plan)
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


def officers_to_tell(nomination: Nomination) -> list:
    """Who hears about a decision: the officer who made the nomination if they still serve the
    unit, otherwise every active ward officer of the unit."""
    from tracker.users.models import Role, User

    officers = list(db.session.scalars(
        select(User).where(User.unit_id == nomination.unit_id, User.role == Role.WARD_OFFICER,
                           User.active.is_(True)).order_by(User.id)))
    author = [u for u in officers if u.id == nomination.created_by_id]
    return author or officers


def notify_decision(actor, nominations: list[Nomination], config=None) -> None:
    """Tell the wards' officers that nominations were returned or rejected: one in-app notice per
    nomination, and (with `config`) one e-mail per officer listing them with the comment."""
    from tracker.notifications.services import notify

    by_officer: dict[int, tuple] = {}
    for nomination in nominations:
        for officer in officers_to_tell(nomination):
            by_officer.setdefault(officer.id, (officer, []))[1].append(nomination)
    default_locale = (config or {}).get("BABEL_DEFAULT_LOCALE", "vi")
    base_url = (config or {}).get("PUBLIC_BASE_URL", "")
    for officer, items in by_officer.values():
        with force_locale(officer.locale or default_locale):
            lines = []
            for nomination in items:
                link = f"/nominations/{nomination.id}"
                if nomination.status is S.RETURNED:
                    title = _("Nomination returned: %(name)s", name=nomination.candidate.full_name)
                    body = _("The committee returned the nomination for changes: %(comment)s",
                             comment=nomination.review_comment)
                else:
                    title = _("Nomination rejected: %(name)s", name=nomination.candidate.full_name)
                    body = _("The committee rejected the nomination: %(comment)s", comment=nomination.review_comment)
                notify(officer, title, body, link)
                lines.append(f"- {title}\n  {body}\n  {base_url}{link}")
            if config is None or not officer.email:
                continue
            subject = (_("Nomination returned or rejected: %(name)s", name=items[0].candidate.full_name)
                       if len(items) == 1 else _("%(n)s nominations returned or rejected", n=len(items)))
            text = "\n".join([_("Dear %(name)s,", name=officer.full_name), "", *lines, "",
                              _("Please review them in the tracker: %(url)s", url=f"{base_url}/nominations/")])
        try:
            mail.send(config, mail.build_message(config, [officer.email], subject, text))
        except (OSError, RuntimeError) as error:  # the in-app notice is there; the return stands
            log.warning("nomination notice to %s not delivered: %s", officer.email, error)


# --- reading -----------------------------------------------------------------------------

SORTS = ("newest", "oldest", "name", "unit", "updated")


def search_nominations(visible_units: Select, *, plan_id: int | None = None, movement_id: int | None = None,
                       unit: Unit | None = None, status: str | None = None, kind: CandidateKind | None = None,
                       text: str = "", sort: str = "newest", broad: bool = False) -> Select:
    """Nominations of the visible units, filtered and sorted; candidate, unit, plan, movement and
    proposed award are loaded in the same query.

    `broad` says the filters select many rows (thousands): the page is then read by walking
    the sort's index rather than every nomination of every visible unit, which SQLite's planner
    cannot tell on its own (PostgreSQL's can, from its statistics).

    `unit` keeps its whole subtree; `status` is a NominationStatus value or "pending" (submitted
    or resubmitted); every word of `text` must appear in the candidate's name or the
    achievements, ignoring case and diacritics.
    """
    from tracker.awards.models import AwardType

    query = (
        select(Nomination)
        .join(Nomination.candidate).join(Nomination.unit).join(Nomination.plan)
        .outerjoin(Nomination.movement)
        .outerjoin(AwardType, Nomination.proposed_award_type_id == AwardType.id)
        .where(_unit_column(broad).in_(visible_units))
        .options(contains_eager(Nomination.candidate), contains_eager(Nomination.unit),
                 contains_eager(Nomination.plan), contains_eager(Nomination.movement),
                 contains_eager(Nomination.proposed_award_type))
    )
    if plan_id:
        query = query.where(Nomination.plan_id == plan_id)
    if movement_id:
        query = query.where(Nomination.movement_id == movement_id)
    if unit is not None:
        query = query.where(Unit.path.startswith(unit.path, autoescape=True))
    if status == "pending":
        query = query.where(Nomination.status.in_(AWAITING_REVIEW))
    elif status:
        query = query.where(Nomination.status == S(status))
    if kind is not None:
        query = query.where(Candidate.kind == kind)
    for word in name_key(text).split()[:10]:
        query = query.where(Nomination.search_key.contains(word, autoescape=True))
    handed_in_only = status == "pending" or (status is not None and S(status) not in NOT_PUT_FORWARD)
    if handed_in_only:  # true of them all; it lets the index walk skip the drafts' NULLs
        query = query.where(Nomination.submitted_at.is_not(None))
    return query.order_by(*_order(sort, handed_in_only))


def _unit_column(broad: bool):
    if broad and db.session.get_bind().dialect.name == "sqlite":
        return Nomination.unit_id + 0  # "+ 0" keeps SQLite off the unit index
    return Nomination.unit_id


def _order(sort: str, handed_in_only: bool) -> tuple:
    """The ORDER BY of a sort, written so that the indexes on (submitted_at, id) and
    (updated_at, id) serve the date sorts on either database. Nominations never handed in (no
    submitted_at) come last by submission date: SQLite puts NULLs last when descending,
    PostgreSQL's index is built that way; ascending needs that said in so many words, unless
    the status filter leaves no such nomination (`handed_in_only`)."""
    submitted, newest = Nomination.submitted_at, Nomination.submitted_at.desc()
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if postgresql:
        newest = newest.nulls_last()
    if handed_in_only:  # the index read backwards; the same order, there being no NULLs
        oldest = (submitted.asc().nulls_first() if postgresql else submitted.asc(), Nomination.id.asc())
    else:
        oldest = (case((submitted.is_(None), 1), else_=0), submitted.asc(), Nomination.id.asc())
    orders = {
        "newest": (newest, Nomination.id.desc()),
        "oldest": oldest,
        "name": (Candidate.name_key, Nomination.id),
        "unit": (Unit.name, Candidate.name_key, Nomination.id),
        "updated": (Nomination.updated_at.desc(), Nomination.id.desc()),
    }
    return orders.get(sort, orders["newest"])


SEARCH_COUNT_CAP = 1000  # a text search counts its matches up to here ("more than 1,000")
EXPORT_CAP = 20_000  # rows at most in one exported list (a whole country's would tie up a worker)
BROAD = 1000  # more matching nominations than this: search_nominations(broad=True)


def count_nominations(scope: Unit, *, plan_id: int | None = None, movement_id: int | None = None,
                      unit: Unit | None = None, status: str | None = None, kind: CandidateKind | None = None,
                      **_ignored) -> int:
    """How many nominations of `scope`'s subtree the queue's filters (text aside) select, read
    from the running figures (stats.counters): one indexed read, whatever the data size."""
    from tracker.stats.counters import ALL
    from tracker.stats.figures import totals

    prefix = f"n:{movement_id or ALL}:"
    statuses = ({s.value for s in AWAITING_REVIEW} if status == "pending" else {status} if status else None)
    total = 0
    for metric, value in totals((unit or scope).id, prefix, plan_id).items():
        kind_value, status_value = metric[len(prefix):].split(":")
        if (kind is None or kind_value == kind.value) and (statuses is None or status_value in statuses):
            total += value
    return total


def count_matches(query: Select, cap: int | None = None) -> int:
    """The rows of a filtered search, counted up to cap + 1 (SEARCH_COUNT_CAP unless told; a
    text search cannot use the figures)."""
    cap = SEARCH_COUNT_CAP if cap is None else cap
    ids = query.with_only_columns(Nomination.id).order_by(None).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(ids))


@dataclass
class Twin:
    """Another nomination of the same person in the same plan."""

    nomination_id: int
    unit_name: str
    status: S
    same_unit: bool


def _same_candidates(candidates) -> list:
    """Conditions matching the candidates that count as the same as one of `candidates`
    (same name key and birth year, or for a collective the same name key and unit): a common
    name alone matches thousands of people across a province."""
    conditions = set()
    for c in candidates:
        if c.kind is CandidateKind.INDIVIDUAL:
            conditions.add((c.name_key, "year", c.birth_year))
        else:
            conditions.add((c.name_key, "unit", c.unit_id))
    result = []
    for name_key_, what, value in sorted(conditions, key=str):
        if what == "year":
            same = Candidate.birth_year.is_(None) if value is None else Candidate.birth_year == value
            result.append(and_(Candidate.name_key == name_key_, Candidate.kind == CandidateKind.INDIVIDUAL, same))
        else:
            result.append(and_(Candidate.name_key == name_key_, Candidate.kind != CandidateKind.INDIVIDUAL,
                               Candidate.unit_id == value))
    return result


def twins_of(nominations: list[Nomination], visible_units: Select) -> dict[int, list[Twin]]:
    """For each nomination, the other nominations of the same plan for the same person (one query).

    Individuals are the same person by kind, name (ignoring case and diacritics) and birth year,
    whichever unit nominated them; collectives by name within the same unit. Drafts and
    withdrawn nominations do not count; only the visible units are looked at.
    """
    if not nominations:
        return {}
    rows = db.session.execute(
        select(Nomination.id, Nomination.plan_id, Nomination.unit_id, Nomination.status, Unit.name,
               Candidate.kind, Candidate.name_key, Candidate.birth_year, Candidate.unit_id)
        .join(Nomination.candidate).join(Nomination.unit)
        .where(Nomination.candidate_id.in_(
                   select(Candidate.id).where(or_(*_same_candidates({n.candidate for n in nominations})))),
               Nomination.plan_id.in_({n.plan_id for n in nominations}),
               Nomination.status.not_in(NOT_PUT_FORWARD),
               (Nomination.unit_id + 0).in_(visible_units))  # "+ 0": SQLite starts from the candidates
    ).all()

    def key(plan_id, kind, key_, birth_year, candidate_unit_id):
        if kind is CandidateKind.INDIVIDUAL:
            return plan_id, kind, key_, birth_year
        return plan_id, kind, key_, candidate_unit_id

    groups: dict[tuple, list] = {}
    for row in rows:
        groups.setdefault(key(row[1], row[5], row[6], row[7], row[8]), []).append(row)
    result: dict[int, list[Twin]] = {}
    for n in nominations:
        c = n.candidate
        others = [r for r in groups.get(key(n.plan_id, c.kind, c.name_key, c.birth_year, c.unit_id), [])
                  if r[0] != n.id]
        if others:
            result[n.id] = [Twin(r[0], r[4], r[3], r[2] == n.unit_id) for r in others]
    return result


def events_of(nomination: Nomination) -> list[AuditEvent]:
    """The nomination's history, oldest first."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == "Nomination", AuditEvent.entity_id == nomination.id)
        .order_by(AuditEvent.id)))


@dataclass
class CandidateRecord:
    nominations: list[Nomination] = field(default_factory=list)
    awards: list = field(default_factory=list)


def candidate_record(candidate: Candidate, visible_units: Select, exclude_id: int | None = None) -> CandidateRecord:
    """The candidate's other nominations (in the visible units) and the awards it received."""
    from tracker.awards.models import AwardRecord

    query = (select(Nomination).where(Nomination.candidate_id == candidate.id,
                                      Nomination.unit_id.in_(visible_units))
             .options(joinedload(Nomination.plan), joinedload(Nomination.unit), joinedload(Nomination.movement))
             .order_by(Nomination.id.desc()))
    if exclude_id is not None:
        query = query.where(Nomination.id != exclude_id)
    awards = db.session.scalars(
        select(AwardRecord).where(AwardRecord.candidate_id == candidate.id)
        .options(joinedload(AwardRecord.award_type)).order_by(AwardRecord.year.desc(), AwardRecord.id.desc()))
    return CandidateRecord(list(db.session.scalars(query)), list(awards))


def load_for_review(ids: list[int], visible_units: Select) -> list[Nomination]:
    """The visible nominations among `ids`, with their candidates (one query)."""
    if not ids:
        return []
    return list(db.session.scalars(
        select(Nomination).where(Nomination.id.in_(ids), Nomination.unit_id.in_(visible_units))
        .options(joinedload(Nomination.candidate), joinedload(Nomination.unit), joinedload(Nomination.plan))
        .order_by(Nomination.id)).unique())


def plans_for_nominating(unit: Unit) -> list[Plan]:
    """Active plans a unit may nominate under: issued by the unit or a unit above it."""
    return list(db.session.scalars(
        select(Plan).where(Plan.status == PlanStatus.ACTIVE, Plan.issuing_unit_id.in_(unit.ancestor_ids))
        .options(joinedload(Plan.movements)).order_by(Plan.issued_date.desc(), Plan.id.desc())).unique())



# --- importing a spreadsheet -------------------------------------------------------------


@dataclass
class ImportResult:
    nominations: list[Nomination]
    known_candidates: int  # rows whose candidate was registered for the unit before the import


REQUIRED_ON_IMPORT = ("kind", "full_name", "movement", "achievements")


def import_nominations(actor, plan: Plan, unit: Unit, upload: files.Upload, *, today: date, max_rows: int,
                       max_bytes: int) -> ImportResult:
    """Create draft nominations of `unit` under `plan` from a filled-in template, all or none.

    The file must be an .xlsx of at most `max_bytes` with the template's header row and at most
    `max_rows` filled rows. Every row is checked (kind, name, movement and achievements are
    required; the same rules as the form otherwise) and ImportRefused lists every problem by row
    and column; nothing is written unless every row is valid. A row whose person is already
    registered for the unit nominates that candidate (no twin is created, within the file either).
    WorkflowError when the plan is not active.
    """
    from tracker.nominations.exports import COLUMN_BY_KEY, FIELD_COLUMNS
    from tracker.nominations.imports import ImportRefused, Problem, read_rows

    _check_plan_open(plan)
    data = upload.stream.read(max_bytes + 1)
    if not data:
        raise ImportRefused([Problem(None, "", _l("The file is empty."))])
    if len(data) > max_bytes:
        raise ImportRefused([Problem(None, "", _l("The file is larger than %(limit)s MB.",
                                                  limit=max_bytes // files.MB or 1))])
    if files.sniff(data) != files.XLSX:
        raise ImportRefused([Problem(None, "", _l(
            "This is not an Excel .xlsx file. Download the template, fill it in and save it as .xlsx."))])
    awards = {a.id: a for a in award_choices(plan)}
    rows, problems = read_rows(data, list(plan.movements), list(awards.values()), max_rows)

    def header(name: str) -> str:
        column = COLUMN_BY_KEY.get(FIELD_COLUMNS.get(name, name))
        return column.header if column else ""

    bad_cells = {(p.row, p.column) for p in problems}
    people = []
    for row in rows:
        v = row.values
        for name in REQUIRED_ON_IMPORT:
            if v.get(name) in (None, "") and (row.number, header(name)) not in bad_cells:
                problems.append(Problem(row.number, header(name), _l("This column must be filled in.")))
        person = CandidateInput(
            kind=v.get("kind") or CandidateKind.INDIVIDUAL, full_name=v.get("full_name") or "",
            gender=v.get("gender"), birth_year=v.get("birth_year"), position=v.get("position") or "",
            workplace=v.get("workplace") or "", member_count=v.get("member_count"))
        errors = _merge(candidate_errors(person, today), nomination_errors(v, today))
        if v.get("kind") is not None:
            errors = _merge(errors, award_errors(plan, person.kind, v.get("proposed_award_type_id"), awards))
        for name, messages in errors.items():
            if name == "full_name" and not v.get("full_name"):
                continue  # already reported as a required column
            for message in messages:
                problems.append(Problem(row.number, header(name), message))
        people.append(person)
    if problems:
        raise ImportRefused(problems)

    registered = {
        (c.kind, c.name_key, c.birth_year): c
        for c in db.session.scalars(
            select(Candidate).where(Candidate.unit_id == unit.id,
                                    Candidate.name_key.in_({name_key(p.full_name) for p in people}))
            .order_by(Candidate.id.desc()))
    }  # one query; the oldest of any twins wins, as in find_candidate
    before = {c.id for c in registered.values()}
    # Written in bulk (a flush per kind of row, not per row), audited row by row all the same.
    chosen, new_candidates = [], []
    for person in people:
        candidate = registered.get(person.key)
        if candidate is None:
            candidate = registered[person.key] = Candidate(
                kind=person.kind, full_name=person.full_name.strip(), name_key=name_key(person.full_name),
                unit=unit, **person.values())
            db.session.add(candidate)
            new_candidates.append(candidate)
        elif candidate.id in before:
            update_candidate(actor, candidate, **_filled(person.values()))
        chosen.append(candidate)
    db.session.flush()
    for candidate in new_candidates:
        record(actor, "candidate.created", candidate, candidate.full_name, flush=False)
    created = []
    for row, candidate in zip(rows, chosen):
        values = _clean({name: row.values.get(name) for name in NOMINATION_FIELDS})
        created.append(_new_nomination(actor, plan, row.values["movement"], candidate, unit, **values))
    db.session.add_all(created)
    db.session.flush()
    for nomination in created:
        record(actor, "nomination.created", nomination, nomination.candidate.full_name, flush=False)
    known = sum(1 for c in chosen if c.id in before)
    record(actor, "nomination.imported", None, f"{plan.number}: {len(created)}", unit_id=unit.id)
    return ImportResult(created, known)

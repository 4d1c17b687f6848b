"""Who a nomination is about: finding the typed person among the unit's registered candidates
(no twin is created), keeping the nominations' search keys right, and the same person nominated
twice in a plan."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, or_, select

from tracker.candidates import services as register
from tracker.candidates.models import AwardRecord, Candidate, CandidateKind
from tracker.candidates.services import name_key
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.nominations.models import Nomination, NominationStatus as S
from tracker.nominations.validation import MSG_CONFLICT, CandidateInput
from tracker.units.models import Unit

# Nominations that do not count when looking for the same person nominated twice.
NOT_PUT_FORWARD = (S.DRAFT, S.WITHDRAWN)


class CandidateMatch(DomainError):
    """The typed individual or collective is already registered for the unit: offer it, do not
    create a twin. `errors` holds any other problems found in the same form."""

    def __init__(self, candidate: Candidate, errors: dict[str, list] | None = None):
        super().__init__(_l("This person or collective is already registered for your unit."), "full_name")
        self.candidate = candidate
        self.errors = errors or {}


def search_key_of(full_name: str, achievements: str) -> str:
    """What the queue's text search looks in: the candidate's name and the achievements."""
    return name_key(f"{full_name} {achievements or ''}")


def update_candidate(actor, candidate: Candidate, **changes) -> Candidate:
    """Change a candidate (see candidates.services.update_candidate); a new name also renews the
    search keys of the candidate's nominations."""
    changed = register.update_candidate(actor, candidate, conflict_message=MSG_CONFLICT, **changes)
    if "full_name" in changed:
        for nomination in db.session.scalars(select(Nomination).where(Nomination.candidate_id == candidate.id)):
            nomination.search_key = search_key_of(candidate.full_name, nomination.achievements)
        db.session.flush()
    return candidate


def has_history(candidate: Candidate, except_nomination: Nomination | None) -> bool:
    """Whether anything but `except_nomination` refers to the candidate (then it is not renamed)."""
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
    match = register.find_candidate(person.kind, person.full_name, person.values()["birth_year"], unit)
    if match is not None and (current is None or match.id != current.id):
        return match
    return None


def filled(details: dict) -> dict:
    """The details that were typed: a registered candidate keeps what the form left empty."""
    return {k: v for k, v in details.items() if v not in (None, "")}


def resolve_candidate(actor, person: CandidateInput, unit: Unit, nomination: Nomination | None,
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
            return update_candidate(actor, chosen, **filled(details))
    match = register.find_candidate(person.kind, person.full_name, details["birth_year"], unit)
    if match is not None:
        return update_candidate(actor, match, **filled(details))
    if current is not None and not has_history(current, nomination):
        return update_candidate(actor, current, kind=person.kind, full_name=person.full_name, **details)
    return register.create_candidate(actor, person.kind, person.full_name, unit, **details)


# --- the same person nominated twice ---------------------------------------------------------


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

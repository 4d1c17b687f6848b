"""Candidates and nominations: finding the same person again, and the nomination lifecycle."""
import re
import unicodedata
from datetime import datetime, timezone

from sqlalchemy import select

from tracker.audit.services import record
from tracker.extensions import db
from tracker.nominations.models import Candidate, CandidateKind, Nomination, NominationStatus as S
from tracker.plans.models import Movement, Plan
from tracker.units.models import Unit
from tracker.workflow import check_transition

TRANSITIONS = {
    "submit": (S.DRAFT, S.RETURNED),
    "accept": (S.SUBMITTED, S.RESUBMITTED),
    "return": (S.SUBMITTED, S.RESUBMITTED),
    "reject": (S.SUBMITTED, S.RESUBMITTED),
    "withdraw": (S.DRAFT, S.SUBMITTED, S.RETURNED, S.RESUBMITTED),
}


def name_key(name: str) -> str:
    """Lower-case, diacritics removed (đ -> d), spaces folded: "Nguyễn  Văn Hòa" -> "nguyen van hoa"."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip().lower()


def find_candidate(kind: CandidateKind, full_name: str, birth_year: int | None, unit: Unit) -> Candidate | None:
    """The existing candidate with the same name (ignoring case and diacritics), birth year and unit."""
    return db.session.scalar(
        select(Candidate).where(
            Candidate.kind == kind,
            Candidate.name_key == name_key(full_name),
            Candidate.unit_id == unit.id,
            Candidate.birth_year.is_(None) if birth_year is None else Candidate.birth_year == birth_year,
        ).limit(1)
    )


def create_candidate(actor, kind: CandidateKind, full_name: str, unit: Unit, **values) -> Candidate:
    candidate = Candidate(kind=kind, full_name=full_name.strip(), name_key=name_key(full_name),
                          unit=unit, **values)
    db.session.add(candidate)
    db.session.flush()
    record(actor, "candidate.created", candidate, candidate.full_name)
    return candidate


def create_nomination(actor, plan: Plan, movement: Movement | None, candidate: Candidate,
                      unit: Unit, **values) -> Nomination:
    nomination = Nomination(plan=plan, movement=movement, candidate=candidate, unit=unit,
                            created_by_id=actor.id if actor else None, status=S.DRAFT, **values)
    db.session.add(nomination)
    db.session.flush()
    record(actor, "nomination.created", nomination, candidate.full_name)
    return nomination


def _move(actor, nomination: Nomination, action: str, new_status: S, summary: str = "") -> Nomination:
    check_transition(TRANSITIONS, action, nomination.status)
    old = nomination.status
    nomination.status = new_status
    nomination.version += 1
    db.session.flush()
    record(actor, f"nomination.{new_status.value}", nomination, summary or nomination.candidate.full_name,
           {"status": [old.value, new_status.value]})
    return nomination


def submit_nomination(actor, nomination: Nomination) -> Nomination:
    """draft -> submitted; returned -> resubmitted."""
    check_transition(TRANSITIONS, "submit", nomination.status)
    new = S.RESUBMITTED if nomination.status is S.RETURNED else S.SUBMITTED
    nomination.submitted_at = datetime.now(timezone.utc)
    return _move(actor, nomination, "submit", new)


def accept_nomination(actor, nomination: Nomination) -> Nomination:
    return _move(actor, nomination, "accept", S.ACCEPTED)


def return_nomination(actor, nomination: Nomination, comment: str) -> Nomination:
    check_transition(TRANSITIONS, "return", nomination.status)
    nomination.review_comment = comment
    return _move(actor, nomination, "return", S.RETURNED, comment)


def reject_nomination(actor, nomination: Nomination, reason: str) -> Nomination:
    check_transition(TRANSITIONS, "reject", nomination.status)
    nomination.review_comment = reason
    return _move(actor, nomination, "reject", S.REJECTED, reason)


def withdraw_nomination(actor, nomination: Nomination) -> Nomination:
    return _move(actor, nomination, "withdraw", S.WITHDRAWN)

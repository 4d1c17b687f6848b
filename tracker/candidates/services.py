"""The register of candidates (individuals and collectives of a unit) and their history year by
year: ratings, initiatives, discipline, member figures and the awards they received."""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager
from sqlalchemy.exc import IntegrityError

from tracker.audit.services import diff, record
from tracker.candidates.models import AwardRecord, Candidate, CandidateKind, CandidateYear
from tracker.catalogue.models import AwardType
from tracker.errors import ConflictError, DomainError
from tracker import changes as noted
from tracker.extensions import db
from tracker.models_base import check_version, new_version
from tracker.rules.eligibility import CAMPAIGN_FORMS
from tracker.rules.facts import History, YearFacts
from tracker.units.models import Unit

MSG_CONFLICT = _l(
    "Someone else changed these details after you opened them. Nothing of yours was saved: "
    "open them again to see their changes, then make yours."
)

# --- the register --------------------------------------------------------------------------


def name_key(name: str) -> str:
    """Lower-case, diacritics removed (đ -> d), spaces folded: "Nguyễn  Văn Hòa" -> "nguyen van hoa"."""
    text = unicodedata.normalize("NFD", (name or "").replace("đ", "d").replace("Đ", "D"))
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
        ).order_by(Candidate.id).limit(1)
    )


def create_candidate(actor, kind: CandidateKind, full_name: str, unit: Unit, **values) -> Candidate:
    """Register an individual or collective of `unit` (callers check find_candidate first)."""
    candidate = Candidate(kind=kind, full_name=full_name.strip(), name_key=name_key(full_name),
                          unit=unit, **values)
    db.session.add(candidate)
    db.session.flush()
    record(actor, "candidate.created", candidate, candidate.full_name)
    noted.candidates_changed(db.session, [candidate.id])
    return candidate


# The columns a candidate's details are kept in (its identity, unit and bookkeeping aside).
_NOT_DETAILS = {"id", "kind", "full_name", "name_key", "sort_key", "unit_id", "version", "created_at", "updated_at"}


def details_of(candidate: Candidate) -> dict:
    return {c.key: getattr(candidate, c.key) for c in Candidate.__table__.columns if c.key not in _NOT_DETAILS}


def update_candidate(actor, candidate: Candidate, *, kind: CandidateKind | None = None,
                     full_name: str | None = None, conflict_message=MSG_CONFLICT, **details) -> dict:
    """Change a candidate's kind, name or details; returns the audited changes ({field: [old, new]}),
    empty when nothing differs.

    A change moves the candidate's version on (every nomination form of the person carries it);
    ConflictError when another request changed the candidate at the same moment.
    """
    values = {k: v for k, v in details.items() if k not in _NOT_DETAILS and hasattr(Candidate, k)}
    if kind is not None:
        values["kind"] = kind
    if full_name is not None and full_name.strip():
        values["full_name"] = full_name.strip()
        values["name_key"] = name_key(full_name)
    changes = diff(candidate, values)
    if not changes:
        return {}
    for key, value in values.items():
        setattr(candidate, key, value)
    new_version(candidate, conflict_message)
    record(actor, "candidate.updated", candidate, candidate.full_name, changes)
    noted.candidates_changed(db.session, [candidate.id])
    if "kind" in changes:
        noted.candidates_rekinded(db.session, [candidate.id])  # its nominations count as the new kind
    return changes


# --- history -------------------------------------------------------------------------------

YEAR_FIELDS = ("rating", "initiative_level", "initiative_title", "initiative_count", "research_accepted",
               "discipline", "members_total", "members_completed", "members_ldtt", "members_cstdcs",
               "members_disciplined", "months_in_service", "leave_working_days", "note")


def save_candidate_year(actor, candidate: Candidate, year: int, *, expected_version: int | None = None,
                        **values) -> CandidateYear:
    """Create or update the candidate's row for `year` (one row per candidate per year).

    `expected_version` is the version of the row the form was built from, 0 for a form that
    records a new year: when the row has been recorded or changed since, ConflictError and
    nothing is written (None, as for imports: no check). Raises DomainError when member figures
    contradict each other.
    """
    values = {k: v for k, v in values.items() if k in YEAR_FIELDS}
    total = values.get("members_total")
    for name in ("members_completed", "members_ldtt", "members_cstdcs", "members_disciplined"):
        if total is not None and values.get(name) is not None and values[name] > total:
            raise DomainError(_l("This cannot be more than the number of members."), field=name)
    row = db.session.scalar(select(CandidateYear).where(
        CandidateYear.candidate_id == candidate.id, CandidateYear.year == year))
    conflict = _l("Year %(year)s is already recorded in this history, or was changed after you opened it "
                  "(perhaps by someone else). Nothing of yours was saved: open the page again to see what is "
                  "recorded, then change it with its Edit link.", year=year)
    if row is None:
        row = CandidateYear(candidate_id=candidate.id, year=year, **values)
        db.session.add(row)
        try:
            db.session.flush()
        except IntegrityError:  # the same year recorded by another request at the same moment
            raise ConflictError(conflict) from None
        record(actor, "candidate_year.created", row, f"{candidate.full_name} {year}", unit_id=candidate.unit_id)
        noted.candidates_changed(db.session, [candidate.id])
        return row
    check_version(row, expected_version, conflict)
    changes = diff(row, values)
    for key, value in values.items():
        setattr(row, key, value)
    if changes:
        new_version(row, conflict)
        record(actor, "candidate_year.updated", row, f"{candidate.full_name} {year}", changes,
               unit_id=candidate.unit_id)
        noted.candidates_changed(db.session, [candidate.id])
    return row


def add_award_record(actor, candidate: Candidate, award: AwardType, year: int, decision_number: str = "",
                     decision_date: date | None = None, **links) -> AwardRecord:
    """Record an award the candidate received (history entered by hand, or from a decision).

    Raises DomainError when the same award is already recorded for the same year.
    """
    duplicate = db.session.scalar(select(AwardRecord.id).join(AwardType).where(
        AwardRecord.candidate_id == candidate.id, AwardRecord.year == year, AwardType.code == award.code,
        AwardRecord.revoked.is_(False)))
    if duplicate:
        raise DomainError(_l("This award is already recorded for that year."), field="award_type_id")
    row = AwardRecord(candidate_id=candidate.id, award_type_id=award.id, award_name=award.name, year=year,
                      decision_number=decision_number, decision_date=decision_date, **links)
    db.session.add(row)
    db.session.flush()
    record(actor, "award_record.created", row, f"{candidate.full_name}: {award.name} {year}",
           unit_id=candidate.unit_id)
    noted.candidates_changed(db.session, [candidate.id])
    return row


def history_of(candidate_ids: list[int], kinds: dict[int, str]) -> dict[int, History]:
    """The History of each candidate, from its yearly rows and its award records (two queries)."""
    histories = {cid: History(kinds[cid]) for cid in candidate_ids}
    if not candidate_ids:
        return histories
    awards: dict[tuple[int, int], set[str]] = {}
    campaign: dict[tuple[int, int], set[tuple[str, int]]] = {}
    for cid, year, code, plan_id, revoked in db.session.execute(
        select(AwardRecord.candidate_id, AwardRecord.year, AwardType.code, AwardRecord.plan_id, AwardRecord.revoked)
        .join(AwardType, AwardRecord.award_type_id == AwardType.id)
        .where(AwardRecord.candidate_id.in_(candidate_ids))
    ):
        held = awards.setdefault((cid, year), set())
        if revoked:  # a revoked award never counts: the year is known, without it
            continue
        held.add(code)
        if plan_id is not None and code in CAMPAIGN_FORMS:  # a form conferred by a campaign's decision
            campaign.setdefault((cid, year), set()).add((code, plan_id))
    rows = {(r.candidate_id, r.year): r for r in db.session.scalars(
        select(CandidateYear).where(CandidateYear.candidate_id.in_(candidate_ids)))}
    for cid, year in set(rows) | set(awards):
        row = rows.get((cid, year))
        value = lambda name: getattr(row, name) if row is not None else None  # noqa: E731
        enum_value = lambda name: value(name).value if value(name) is not None else None  # noqa: E731
        histories[cid].years[year] = YearFacts(
            year=year,
            rating=enum_value("rating"),
            awards=frozenset(awards.get((cid, year), set())),
            campaign_awards=frozenset(campaign.get((cid, year), set())),
            initiative_level=enum_value("initiative_level"),
            initiative_count=value("initiative_count"),
            research_accepted=value("research_accepted"),
            discipline=enum_value("discipline") if row is not None and row.discipline else ("" if row else None),
            members_total=value("members_total"),
            members_completed=value("members_completed"),
            members_ldtt=value("members_ldtt"),
            members_cstdcs=value("members_cstdcs"),
            members_disciplined=value("members_disciplined"),
            months_in_service=value("months_in_service"),
            leave_working_days=value("leave_working_days"),
        )
    return histories




def search_candidates(visible_units: Select, *, unit: Unit | None = None, kind: CandidateKind | None = None,
                      text: str = "") -> Select:
    """Candidates of the visible units (of `unit`'s subtree when given), of `kind`, whose name
    holds every word of `text` (case and diacritics ignored); unordered, with their unit."""
    query = (select(Candidate).join(Candidate.unit).where(Candidate.unit_id.in_(visible_units))
             .options(contains_eager(Candidate.unit)))
    if unit is not None:
        query = query.where(Unit.path.startswith(unit.path, autoescape=True))
    if kind is not None:
        query = query.where(Candidate.kind == kind)
    for word in name_key(text).split()[:10]:
        escaped = word.replace("/", "//").replace("%", "/%").replace("_", "/_")
        query = query.where(Candidate.name_key.like(f"%{escaped}%", escape="/"))
    return query


def search_award_records(visible_units: Select, *, candidate_id: int | None = None, plan_id: int | None = None,
                         year: int | None = None) -> Select:
    """Award records of the candidates of the visible units, filtered; unordered."""
    query = select(AwardRecord).join(AwardRecord.candidate).where(Candidate.unit_id.in_(visible_units))
    if candidate_id:
        query = query.where(AwardRecord.candidate_id == candidate_id)
    if plan_id:
        query = query.where(AwardRecord.plan_id == plan_id)
    if year:
        query = query.where(AwardRecord.year == year)
    return query


@dataclass
class HistoryPage:
    years: list[CandidateYear]
    records: list[AwardRecord]
    awards: list[AwardType]  # the active catalogue awards one may record for this kind of candidate


def history_page(candidate: Candidate) -> HistoryPage:
    """What the candidate's history page shows: its years (newest first), the awards it received,
    and the awards that may be recorded (three queries)."""
    years = db.session.scalars(select(CandidateYear).where(CandidateYear.candidate_id == candidate.id)
                               .order_by(CandidateYear.year.desc())).all()
    records = db.session.scalars(select(AwardRecord).where(AwardRecord.candidate_id == candidate.id)
                                 .order_by(AwardRecord.year.desc(), AwardRecord.id)).all()
    awards = db.session.scalars(select(AwardType).where(AwardType.active.is_(True),
                                                        AwardType.recipient.in_((candidate.kind.value, "both")))
                                .order_by(AwardType.regime.desc(), AwardType.id)).all()
    return HistoryPage(list(years), list(records), list(awards))

"""Award catalogue, candidate history, proposals (tờ trình) and decisions (quyết định)."""
import json
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from tracker import clock
from tracker.audit.services import diff, record
from tracker.awards.catalogue import catalogue, regime_for
from tracker.awards.models import (
    AwardRecord,
    AwardType,
    CandidateYear,
    Decision,
    Proposal,
    ProposalItem,
    ProposalStatus as S,
    Recipient,
)
from tracker.errors import ConflictError, DomainError
from tracker.extensions import db
from tracker.models_base import check_version, new_version
from tracker.nominations.models import Candidate, Nomination, NominationStatus
from tracker.rules.eligibility import DEFAULT_PARAMS, check_eligibility, check_not_rewarded_twice, check_quota
from tracker.rules.facts import Check, History, Result, YearFacts
from tracker.units.models import Unit
from tracker.workflow import check_transition

# --- catalogue ---------------------------------------------------------------------------

MSG_AWARD_CONFLICT = _l(
    "Someone else changed this award's thresholds after you opened them. Nothing of yours was saved: "
    "open them again to see their changes, then make yours."
)


def load_catalogue(actor) -> int:
    """Add the catalogue's award types that are not stored yet, with their default thresholds;
    returns how many were added. Thresholds an admin changed are left alone."""
    existing = set(db.session.execute(select(AwardType.regime, AwardType.code)).all())
    added = 0
    for row in catalogue():
        if (row["regime"], row["code"]) in existing:
            continue
        params = DEFAULT_PARAMS.get(row["code"], {})
        award = AwardType(**{**row, "recipient": Recipient(row["recipient"])},
                          rules_json=json.dumps(params, ensure_ascii=False))
        db.session.add(award)
        db.session.flush()
        record(actor, "award_type.created", award, f"{award.regime} {award.name}")
        added += 1
    return added


def award_params(award: AwardType) -> dict:
    """The award's thresholds: the rule's defaults overridden by what is stored."""
    try:
        stored = json.loads(award.rules_json or "{}")
    except ValueError:
        stored = {}
    return {**DEFAULT_PARAMS.get(award.code, {}), **(stored if isinstance(stored, dict) else {})}


def update_award_params(actor, award: AwardType, params: dict, *, expected_version: int | None = None) -> AwardType:
    """Change an award type's thresholds (only the keys it already has: DomainError otherwise);
    audited. ConflictError when they changed since the form was built (`expected_version`)."""
    check_version(award, expected_version, MSG_AWARD_CONFLICT)
    current = award_params(award)
    unknown = set(params) - set(current)
    if unknown:
        raise DomainError(_l("Unknown threshold: %(names)s.", names=", ".join(sorted(unknown))))
    new = {**current, **params}
    if new != current:
        award.rules_json = json.dumps(new, ensure_ascii=False)
        new_version(award, MSG_AWARD_CONFLICT)
        record(actor, "award_type.updated", award, f"{award.regime} {award.name}",
               {k: [current.get(k), v] for k, v in params.items() if current.get(k) != v})
    return award


def awards_of_regime(regime: str) -> Select:
    return select(AwardType).where(AwardType.regime == regime, AwardType.active.is_(True)).order_by(AwardType.id)


# --- candidate history -------------------------------------------------------------------

YEAR_FIELDS = ("rating", "initiative_level", "initiative_title", "initiative_count", "research_accepted",
               "discipline", "members_total", "members_completed", "members_ldtt", "members_cstdcs",
               "members_disciplined", "note")


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
        return row
    check_version(row, expected_version, conflict)
    changes = diff(row, values)
    for key, value in values.items():
        setattr(row, key, value)
    if changes:
        new_version(row, conflict)
        record(actor, "candidate_year.updated", row, f"{candidate.full_name} {year}", changes,
               unit_id=candidate.unit_id)
    return row


def add_award_record(actor, candidate: Candidate, award: AwardType, year: int, decision_number: str = "",
                     decision_date: date | None = None, **links) -> AwardRecord:
    """Record an award the candidate received (history entered by hand, or from a decision).

    Raises DomainError when the same award is already recorded for the same year.
    """
    duplicate = db.session.scalar(select(AwardRecord.id).join(AwardType).where(
        AwardRecord.candidate_id == candidate.id, AwardRecord.year == year, AwardType.code == award.code))
    if duplicate:
        raise DomainError(_l("This award is already recorded for that year."), field="award_type_id")
    row = AwardRecord(candidate_id=candidate.id, award_type_id=award.id, award_name=award.name, year=year,
                      decision_number=decision_number, decision_date=decision_date, **links)
    db.session.add(row)
    db.session.flush()
    record(actor, "award_record.created", row, f"{candidate.full_name}: {award.name} {year}",
           unit_id=candidate.unit_id)
    return row


def history_of(candidate_ids: list[int], kinds: dict[int, str]) -> dict[int, History]:
    """The History of each candidate, from its yearly rows and its award records (two queries)."""
    histories = {cid: History(kinds[cid]) for cid in candidate_ids}
    if not candidate_ids:
        return histories
    awards: dict[tuple[int, int], set[str]] = {}
    for cid, year, code in db.session.execute(
        select(AwardRecord.candidate_id, AwardRecord.year, AwardType.code)
        .join(AwardType, AwardRecord.award_type_id == AwardType.id)
        .where(AwardRecord.candidate_id.in_(candidate_ids))
    ):
        awards.setdefault((cid, year), set()).add(code)
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
            initiative_level=enum_value("initiative_level"),
            initiative_count=value("initiative_count"),
            research_accepted=value("research_accepted"),
            discipline=enum_value("discipline") if row is not None and row.discipline else ("" if row else None),
            members_total=value("members_total"),
            members_completed=value("members_completed"),
            members_ldtt=value("members_ldtt"),
            members_cstdcs=value("members_cstdcs"),
            members_disciplined=value("members_disciplined"),
        )
    return histories


# --- proposals ---------------------------------------------------------------------------

TRANSITIONS = {
    "edit": (S.DRAFT,),
    "submit": (S.DRAFT,),
    "approve": (S.SUBMITTED,),
    "reject": (S.SUBMITTED,),
    "decide": (S.APPROVED,),
}
OPEN = (S.DRAFT, S.SUBMITTED, S.APPROVED)


def _check_items(proposal: Proposal, nominations: list[Nomination], scope: Unit) -> None:
    for nomination in nominations:
        name = nomination.candidate.full_name
        if not nomination.unit.is_within(scope):
            raise DomainError(_l("%(name)s is outside your unit.", name=name), field="nomination_ids")
        if nomination.status is not NominationStatus.ACCEPTED:
            raise DomainError(_l("%(name)s: only accepted nominations can be proposed.", name=name),
                              field="nomination_ids")
        kind = nomination.candidate.kind.value
        if proposal.award_type.recipient.value not in ("both", kind):
            raise DomainError(_l("%(name)s cannot receive this award (individuals and collectives differ).",
                                 name=name), field="nomination_ids")
    busy = db.session.scalars(
        select(ProposalItem).join(Proposal)
        .where(ProposalItem.nomination_id.in_([n.id for n in nominations]), Proposal.status.in_(OPEN),
               Proposal.id != (proposal.id or 0))
        .options(joinedload(ProposalItem.proposal))
    ).first()
    if busy is not None:
        raise DomainError(_l("A nomination is already in proposal %(number)s.", number=busy.proposal.number),
                          field="nomination_ids")


def create_proposal(actor, unit: Unit, number: str, proposal_date: date, award: AwardType,
                    addressed_authority: str, nominations: list[Nomination], plan=None) -> Proposal:
    """A draft proposal of `unit` for one award to one authority, from accepted nominations.

    Raises DomainError for a number the unit already used, an award of another legal regime,
    no nomination, or a nomination that is not accepted, outside the unit, or already proposed.
    """
    number = number.strip()
    if db.session.scalar(select(Proposal.id).where(Proposal.proposing_unit_id == unit.id, Proposal.number == number)):
        raise DomainError(_l("This unit already has a proposal with this number."), field="number")
    if award.regime != regime_for(proposal_date):
        raise DomainError(_l("This award belongs to another legal regime than the proposal's date."),
                          field="award_type_id")
    if not nominations:
        raise DomainError(_l("Choose at least one accepted nomination."), field="nomination_ids")
    proposal = Proposal(number=number, proposal_date=proposal_date, proposing_unit=unit, award_type=award,
                        addressed_authority=addressed_authority.strip(), plan=plan,
                        created_by_id=actor.id if actor else None, status=S.DRAFT)
    _check_items(proposal, nominations, unit)
    db.session.add(proposal)
    db.session.flush()
    for nomination in nominations:
        db.session.add(ProposalItem(proposal_id=proposal.id, nomination_id=nomination.id))
    db.session.flush()
    record(actor, "proposal.created", proposal, f"{number}: {len(nominations)}", unit_id=unit.id)
    return proposal


def add_items(actor, proposal: Proposal, nominations: list[Nomination]) -> Proposal:
    check_transition(TRANSITIONS, "edit", proposal.status)
    present = {item.nomination_id for item in proposal.items}
    new = [n for n in nominations if n.id not in present]
    _check_items(proposal, new, proposal.proposing_unit)
    for nomination in new:
        db.session.add(ProposalItem(proposal_id=proposal.id, nomination_id=nomination.id))
    db.session.flush()
    db.session.refresh(proposal, ["items"])
    record(actor, "proposal.items_added", proposal, ", ".join(n.candidate.full_name for n in new),
           unit_id=proposal.proposing_unit_id)
    return proposal


def remove_item(actor, proposal: Proposal, item: ProposalItem) -> Proposal:
    check_transition(TRANSITIONS, "edit", proposal.status)
    name = item.nomination.candidate.full_name
    db.session.delete(item)
    db.session.flush()
    db.session.refresh(proposal, ["items"])
    record(actor, "proposal.item_removed", proposal, name, unit_id=proposal.proposing_unit_id)
    return proposal


def _move(actor, proposal: Proposal, action: str, status: S, summary: str = "") -> Proposal:
    check_transition(TRANSITIONS, action, proposal.status)
    old = proposal.status
    proposal.status = status
    db.session.flush()
    record(actor, f"proposal.{status.value}", proposal, summary or proposal.number,
           {"status": [old.value, status.value]}, unit_id=proposal.proposing_unit_id)
    return proposal


def submit_proposal(actor, proposal: Proposal) -> Proposal:
    """draft -> submitted, for the leader's approval.

    Raises DomainError when it has no item, when an item fails a verified rule, or when it
    exceeds a binding quota. Missing data and unverified rules only warn.
    """
    check_transition(TRANSITIONS, "submit", proposal.status)
    if not proposal.items:
        raise DomainError(_l("A proposal needs at least one nomination before it is submitted."))
    review = review_proposal(proposal)
    failing = [v.item.nomination.candidate.full_name for v in review.items if v.result is Result.FAIL]
    if failing:
        raise DomainError(_l("Not eligible under a verified rule: %(names)s. Remove them or correct their history.",
                             names=", ".join(failing)))
    if any(check.result is Result.FAIL and check.blocking for _unit, check in review.quotas):
        raise DomainError(_l("The proposal exceeds the quota of a unit."))
    proposal.submitted_at = clock.now()
    return _move(actor, proposal, "submit", S.SUBMITTED)


def approve_proposal(actor, proposal: Proposal) -> Proposal:
    """submitted -> approved, by a leader."""
    check_transition(TRANSITIONS, "approve", proposal.status)
    proposal.approved_by_id = actor.id if actor else None
    proposal.approved_at = clock.now()
    return _move(actor, proposal, "approve", S.APPROVED)


def reject_proposal(actor, proposal: Proposal, reason: str) -> Proposal:
    """submitted -> rejected, by a leader, with a reason. Raises DomainError without one."""
    check_transition(TRANSITIONS, "reject", proposal.status)
    if not reason.strip():
        raise DomainError(_l("Give the reason for the rejection."), field="reason")
    proposal.reason = reason.strip()
    return _move(actor, proposal, "reject", S.REJECTED, reason.strip())


def record_decision(actor, proposal: Proposal, number: str, decision_date: date, signer: str,
                    awarded_item_ids: set[int]) -> Decision:
    """approved -> decided: the decision's number, date and signer, and which items were awarded.

    Creates an award record for every awarded item and marks its nomination awarded.
    Raises DomainError for a decision number already used or a date before the proposal's.
    """
    check_transition(TRANSITIONS, "decide", proposal.status)
    number = number.strip()
    if db.session.scalar(select(Decision.id).where(Decision.number == number)):
        raise DomainError(_l("This decision number is already used."), field="number")
    if proposal.proposal_date and decision_date < proposal.proposal_date:
        raise DomainError(_l("The decision cannot be dated before the proposal (%(day)s).",
                             day=proposal.proposal_date.strftime("%d/%m/%Y")), field="decision_date")
    decision = Decision(proposal_id=proposal.id, number=number, decision_date=decision_date, signer=signer.strip(),
                        recorded_by_id=actor.id if actor else None)
    db.session.add(decision)
    db.session.flush()
    for item in proposal.items:
        item.awarded = item.id in awarded_item_ids
        if not item.awarded:
            continue
        nomination = item.nomination
        add_award_record(actor, nomination.candidate, proposal.award_type, award_year(proposal, nomination),
                         decision_number=number, decision_date=decision_date, decision_id=decision.id,
                         nomination_id=nomination.id, plan_id=nomination.plan_id)
        old = nomination.status
        nomination.status = NominationStatus.AWARDED
        record(actor, "nomination.awarded", nomination, f"{nomination.candidate.full_name}: {number}",
               {"status": [old.value, NominationStatus.AWARDED.value]})
    _move(actor, proposal, "decide", S.DECIDED, number)
    return decision


# --- eligibility of a proposal -----------------------------------------------------------


def award_year(proposal: Proposal, nomination: Nomination) -> int:
    """The year whose achievements are judged: the last completed year before the proposal, or
    the end of the nomination's period when that is earlier."""
    last_completed = (proposal.proposal_date or clock.today()).year - 1
    return min(nomination.period_end_year or last_completed, last_completed)


@dataclass
class ItemVerdict:
    item: ProposalItem
    checks: list[Check]

    @property
    def result(self) -> Result:
        if any(c.result is Result.FAIL and c.blocking for c in self.checks):
            return Result.FAIL
        if any(c.result is not Result.PASS and c.blocking for c in self.checks):
            return Result.UNKNOWN
        return Result.PASS

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.is_warning]


@dataclass
class ProposalReview:
    regime: str
    items: list[ItemVerdict]
    quotas: list[tuple[Unit, Check]] = field(default_factory=list)


def load_proposal(proposal_id: int) -> Proposal | None:
    return db.session.scalar(
        select(Proposal).where(Proposal.id == proposal_id)
        .options(
            joinedload(Proposal.award_type), joinedload(Proposal.proposing_unit),
            selectinload(Proposal.items).joinedload(ProposalItem.nomination).joinedload(Nomination.candidate),
            selectinload(Proposal.items).joinedload(ProposalItem.nomination).joinedload(Nomination.unit),
        )
    )


def review_proposal(proposal: Proposal) -> ProposalReview:
    """Every item's eligibility, and the quota of each nominating unit (a fixed number of queries)."""
    regime = regime_for(proposal.proposal_date or clock.today())
    award = proposal.award_type
    params = award_params(award)
    nominations = [item.nomination for item in proposal.items]
    histories = history_of([n.candidate_id for n in nominations],
                           {n.candidate_id: n.candidate.kind.value for n in nominations})
    verdicts = []
    for item in proposal.items:
        nomination = item.nomination
        year = award_year(proposal, nomination)
        history = histories[nomination.candidate_id]
        checks = check_eligibility(award.code, award.recipient.value, award.confidence, history, year, regime, params)
        already = nomination.status is NominationStatus.AWARDED and proposal.status is not S.DECIDED
        checks.append(check_not_rewarded_twice(award.code, history, year, regime, already)
                      if proposal.status is not S.DECIDED else
                      check_not_rewarded_twice(award.code, History(history.kind), year, regime))
        verdicts.append(ItemVerdict(item, checks))
    review = ProposalReview(regime, verdicts)
    if award.code == "CSTDCS" and nominations:
        review.quotas = _quotas(proposal, nominations, regime, params, award)
    return review


def _quotas(proposal, nominations, regime, params, award) -> list[tuple[Unit, Check]]:
    by_unit: dict[int, list[Nomination]] = {}
    for n in nominations:
        by_unit.setdefault(n.unit_id, []).append(n)
    year = award_year(proposal, nominations[0])
    counts = dict(
        ((unit_id, code), count) for unit_id, code, count in db.session.execute(
            select(Candidate.unit_id, AwardType.code, func.count(AwardRecord.id))
            .join(Candidate, AwardRecord.candidate_id == Candidate.id)
            .join(AwardType, AwardRecord.award_type_id == AwardType.id)
            .where(Candidate.unit_id.in_(list(by_unit)), AwardRecord.year == year,
                   AwardType.code.in_(["LDTT", "CSTDCS"]))
            .group_by(Candidate.unit_id, AwardType.code)
        )
    )
    result = []
    for unit_id, items in by_unit.items():
        ldtt = counts.get((unit_id, "LDTT"))
        check = check_quota("CSTDCS", regime, params, ldtt, counts.get((unit_id, "CSTDCS"), 0), len(items),
                            award.confidence)
        result.append((items[0].unit, check))
    return result


def proposable_nominations(scope: Unit, plan_id: int | None = None) -> Select:
    """Accepted nominations of the subtree not already in an open proposal."""
    busy = select(ProposalItem.nomination_id).join(Proposal).where(Proposal.status.in_(OPEN))
    query = (
        select(Nomination).join(Nomination.unit)
        .where(Nomination.status == NominationStatus.ACCEPTED, Unit.path.startswith(scope.path, autoescape=True),
               Nomination.id.not_in(busy))
        .options(joinedload(Nomination.candidate), joinedload(Nomination.unit), joinedload(Nomination.movement))
        .order_by(Unit.name, Nomination.id)
    )
    if plan_id:
        query = query.where(Nomination.plan_id == plan_id)
    return query

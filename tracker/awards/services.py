"""Award proposals (tờ trình): their items judged against the rules, the leader's approval, and the
decision (quyết định) that confers the awards."""
import json
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from tracker import changes as noted, clock
from tracker.audit.services import record
from tracker.awards import dossier, posting
from tracker.awards.models import Decision, Proposal, ProposalItem, ProposalStatus as S
from tracker.candidates import services as candidates
from tracker.candidates.models import AwardRecord, Candidate
from tracker.catalogue import services as catalogue
from tracker.catalogue.models import AwardType
from tracker.catalogue.regimes import regime_for
from tracker.councils import services as councils
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.nominations import services as nominations
from tracker.nominations.models import Nomination, NominationStatus
from tracker.notifications.services import leaders_of, notify_each
from tracker.rules.eligibility import (
    achievement_key,
    as_in_force,
    check_eligibility,
    check_not_rewarded_twice,
    check_quota,
)
from tracker.rules.facts import Check, History, Result
from tracker.rules.money import Reward, reward
from tracker.rules.workdays import processing_days
from tracker.units.models import Unit
from tracker.workflow import check_transition

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
    _check_votes(proposal, nominations, scope)
    busy = db.session.scalars(
        select(ProposalItem).join(Proposal)
        .where(ProposalItem.nomination_id.in_([n.id for n in nominations]), Proposal.status.in_(OPEN),
               Proposal.id != (proposal.id or 0))
        .options(joinedload(ProposalItem.proposal))
    ).first()
    if busy is not None:
        raise DomainError(_l("A nomination is already in proposal %(number)s.", number=busy.proposal.number),
                          field="nomination_ids")


def _check_votes(proposal: Proposal, nominations: list[Nomination], scope: Unit) -> None:
    """The council's secret ballot (tracker.councils): a nomination its council voted down for
    this award cannot be proposed, and an award whose dossier needs the ballot (the council_vote
    rule in force on the proposal's date) cannot be proposed without one that passed."""
    award = proposal.award_type
    votes = councils.latest_votes(scope, [n.id for n in nominations], award.id)
    _threshold, required = councils.vote_threshold(award, proposal.proposal_date or clock.today())
    for nomination in nominations:
        name, vote = nomination.candidate.full_name, votes.get(nomination.id)
        if vote is not None and not vote.passed:
            verdict = councils.verdict_of(vote)
            raise DomainError(_l("%(name)s did not pass the council's vote of %(day)s (%(agree)s agreeing of "
                                 "%(base)s members counted, at least %(needed)s needed).", name=name,
                                 day=vote.meeting.meeting_date.strftime("%d/%m/%Y"), agree=verdict.agree,
                                 base=verdict.base, needed=verdict.needed), field="nomination_ids")
        if vote is None and required:
            raise DomainError(_l("%(name)s: %(award)s needs the council's secret ballot. Put the nomination on "
                                 "the agenda of a council meeting and record the vote first.", name=name,
                                 award=award.name), field="nomination_ids")


def council_votes(proposal: Proposal) -> dict:
    """The council's latest vote on each of the proposal's nominations for its award, by
    nomination id (tracker.councils.models.MeetingItem; one read)."""
    return councils.latest_votes(proposal.proposing_unit, [item.nomination_id for item in proposal.items],
                                 proposal.award_type_id)


def council_meetings(proposal: Proposal) -> list:
    """The meetings whose votes the proposal rests on, the earliest first (their minutes are cited
    by the tờ trình and the decision, and belong to the dossier)."""
    meetings = {vote.meeting.id: vote.meeting for vote in council_votes(proposal).values() if vote.passed}
    return sorted(meetings.values(), key=lambda m: (m.meeting_date, m.id))


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
    noted.plan_work_changed(db.session, proposal.plan_id, proposal.proposing_unit_id)
    return proposal


def add_items(actor, proposal: Proposal, nominations: list[Nomination]) -> Proposal:
    check_transition(TRANSITIONS, "edit", proposal.status)
    present = {item.nomination_id for item in proposal.items}
    new = [n for n in nominations if n.id not in present]
    _check_items(proposal, new, proposal.proposing_unit)
    for nomination in new:
        db.session.add(ProposalItem(proposal_id=proposal.id, nomination_id=nomination.id))
    if new:
        posting.list_changed(actor, proposal)  # a longer list is posted again
    db.session.flush()
    db.session.refresh(proposal, ["items"])
    record(actor, "proposal.items_added", proposal, ", ".join(n.candidate.full_name for n in new),
           unit_id=proposal.proposing_unit_id)
    noted.plan_work_changed(db.session, proposal.plan_id, proposal.proposing_unit_id)
    return proposal


def remove_item(actor, proposal: Proposal, item: ProposalItem) -> Proposal:
    check_transition(TRANSITIONS, "edit", proposal.status)
    name = item.nomination.candidate.full_name
    db.session.delete(item)
    db.session.flush()
    db.session.refresh(proposal, ["items"])
    record(actor, "proposal.item_removed", proposal, name, unit_id=proposal.proposing_unit_id)
    noted.plan_work_changed(db.session, proposal.plan_id, proposal.proposing_unit_id)
    return proposal


def _move(actor, proposal: Proposal, action: str, status: S, summary: str = "") -> Proposal:
    check_transition(TRANSITIONS, action, proposal.status)
    old = proposal.status
    proposal.status = status
    db.session.flush()
    record(actor, f"proposal.{status.value}", proposal, summary or proposal.number,
           {"status": [old.value, status.value]}, unit_id=proposal.proposing_unit_id)
    noted.plan_work_changed(db.session, proposal.plan_id, proposal.proposing_unit_id)
    return proposal


def submit_proposal(actor, proposal: Proposal) -> Proposal:
    """draft -> submitted, for the leader's approval.

    Raises DomainError when it has no item, when its list was not posted publicly for the
    posting's working days or an objection is open (tracker.awards.posting), when a part of its
    dossier is missing (tracker.awards.dossier), when an item fails
    a verified rule, or when it exceeds a binding quota. Missing data and unverified rules only warn.
    """
    check_transition(TRANSITIONS, "submit", proposal.status)
    if not proposal.items:
        raise DomainError(_l("A proposal needs at least one nomination before it is submitted."))
    _check_votes(proposal, [item.nomination for item in proposal.items], proposal.proposing_unit)  # voted since?
    posting.check_submittable(proposal)  # posted publicly, the posting over, no objection open
    dossier.check_complete(proposal)  # every part the award's dossier needs
    review = review_proposal(proposal)
    failing = [v.item.nomination.candidate.full_name for v in review.items if v.result is Result.FAIL]
    if failing:
        raise DomainError(_l("Not eligible under a verified rule: %(names)s. Remove them or correct their history.",
                             names=", ".join(failing)))
    if any(check.result is Result.FAIL and check.blocking for _unit, check in review.quotas):
        raise DomainError(_l("The proposal exceeds the quota of a unit."))
    proposal.submitted_at = clock.now()
    _move(actor, proposal, "submit", S.SUBMITTED)
    number = proposal.number
    notify_each(leaders_of(proposal.proposing_unit_id),
                lambda: _l("Proposal %(number)s awaits your approval", number=number),
                lambda: _l("%(n)s nominations; open it to approve or reject it with your comment.",
                           n=len(proposal.items)),
                f"/awards/proposals/{proposal.id}")
    return proposal


MAX_COMMENT = 2000


def approve_proposal(actor, proposal: Proposal, comment: str = "") -> Proposal:
    """submitted -> approved, by a leader, with their comment if any; the committee member who
    drew it up is told."""
    check_transition(TRANSITIONS, "approve", proposal.status)
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise DomainError(_l("At most %(max)s characters.", max=MAX_COMMENT), field="reason")
    proposal.approved_by_id = actor.id if actor else None
    proposal.approved_at = clock.now()
    proposal.approval_comment = comment
    _move(actor, proposal, "approve", S.APPROVED, f"{proposal.number}: {comment}" if comment else "")
    _tell_the_author(proposal, lambda: _l("Proposal %(number)s was approved", number=proposal.number), comment)
    return proposal


def reject_proposal(actor, proposal: Proposal, reason: str) -> Proposal:
    """submitted -> rejected, by a leader, with a reason. Raises DomainError without one."""
    check_transition(TRANSITIONS, "reject", proposal.status)
    if not reason.strip():
        raise DomainError(_l("Give the reason for the rejection."), field="reason")
    if len(reason.strip()) > MAX_COMMENT:
        raise DomainError(_l("At most %(max)s characters.", max=MAX_COMMENT), field="reason")
    proposal.reason = reason.strip()
    _move(actor, proposal, "reject", S.REJECTED, reason.strip())
    _tell_the_author(proposal, lambda: _l("Proposal %(number)s was not approved", number=proposal.number),
                     proposal.reason)
    return proposal


def _tell_the_author(proposal: Proposal, title, comment: str) -> None:
    from tracker.users.models import User

    author = db.session.get(User, proposal.created_by_id) if proposal.created_by_id else None
    if author is not None and author.active:
        notify_each([author], title, comment, f"/awards/proposals/{proposal.id}")


def awaiting_approval(user, limit: int = 10) -> tuple[int, list[Proposal]]:
    """Proposals of the user's subtree submitted for a leader's approval: how many, and the
    oldest few (handed in longest ago first)."""
    query = (select(Proposal).join(Unit, Unit.id == Proposal.proposing_unit_id)
             .where(Proposal.status == S.SUBMITTED, Unit.path.startswith(user.unit.path, autoescape=True)))
    count = db.session.scalar(select(func.count()).select_from(query.subquery()))
    shown = list(db.session.scalars(query.options(joinedload(Proposal.proposing_unit))
                                    .order_by(Proposal.submitted_at, Proposal.id).limit(limit)))
    return count, shown


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
    # The judgement the decision is made with, kept with it: a later version of the rules never
    # changes what was decided.
    judgement = judgement_json(review_proposal(proposal))
    decision = Decision(proposal_id=proposal.id, number=number, decision_date=decision_date, signer=signer.strip(),
                        recorded_by_id=actor.id if actor else None, judgement_json=judgement)
    db.session.add(decision)
    db.session.flush()
    for item in proposal.items:
        item.awarded = item.id in awarded_item_ids
        if not item.awarded:
            continue
        nomination = item.nomination
        candidates.add_award_record(actor, nomination.candidate, proposal.award_type, award_year(proposal, nomination),
                         decision_number=number, decision_date=decision_date, decision_id=decision.id,
                         nomination_id=nomination.id, plan_id=nomination.plan_id)
        nominations.award_nomination(actor, nomination, decision_number=number)
    noted.honours_changed(db.session, {item.nomination.plan_id for item in proposal.items if item.awarded})
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
    """Every item's eligibility, and the quota of each nominating unit (a fixed number of queries),
    by the rule versions in force on the proposal's date. A decided proposal shows the judgement
    kept with its decision."""
    if proposal.status is S.DECIDED:
        decision = decision_of(proposal)
        if decision is not None and decision.judgement_json:
            return judgement_of(proposal, decision.judgement_json)
    day = proposal.proposal_date or clock.today()
    regime = regime_for(day)
    award = proposal.award_type
    rules = catalogue.rules_in_force(award, day)
    params, labels = catalogue.params_of(rules, award), catalogue.labels_of(rules)
    nominations = [item.nomination for item in proposal.items]
    histories = with_rewarded(candidates.history_of([n.candidate_id for n in nominations],
                                                    {n.candidate_id: n.candidate.kind.value for n in nominations}))
    verdicts = []
    for item in proposal.items:
        nomination = item.nomination
        year = award_year(proposal, nomination)
        history = histories[nomination.candidate_id]
        checks = check_eligibility(award.code, award.recipient.value, award.confidence, history, year, regime, params)
        already = nomination.status is NominationStatus.AWARDED and proposal.status is not S.DECIDED
        # A form rewards the nomination's named achievement (Law art. 5), a title the year's work.
        checks.append(check_not_rewarded_twice(award.code, history, year, regime, already, plan_id=proposal.plan_id,
                                               achievement=achievement_of(nomination), nomination_id=nomination.id)
                      if proposal.status is not S.DECIDED else
                      check_not_rewarded_twice(award.code, History(history.kind), year, regime))
        verdicts.append(ItemVerdict(item, as_in_force(checks, labels)))
    review = ProposalReview(regime, verdicts)
    if award.code == "CSTDCS" and nominations:
        review.quotas = [(unit, as_in_force([check], labels)[0])
                         for unit, check in _quotas(proposal, nominations, regime, params, award)]
    return review


def achievement_of(nomination: Nomination) -> str:
    return achievement_key(nomination.achievement_title, nomination.plan_id, nomination.movement_id,
                           nomination.period_start_year, nomination.period_end_year)


def with_rewarded(histories: dict[int, History]) -> dict[int, History]:
    """The histories with the achievements their candidates were rewarded for (one read): the
    award records of nominations, keyed by each nomination's achievement."""
    if not histories:
        return histories
    rewarded: dict[int, set] = {cid: set() for cid in histories}
    for cid, code, nomination_id, title, plan_id, movement_id, start, end in db.session.execute(
        select(AwardRecord.candidate_id, AwardType.code, Nomination.id, Nomination.achievement_title,
               Nomination.plan_id, Nomination.movement_id, Nomination.period_start_year, Nomination.period_end_year)
        .join(AwardType, AwardRecord.award_type_id == AwardType.id)
        .join(Nomination, AwardRecord.nomination_id == Nomination.id)
        .where(AwardRecord.candidate_id.in_(list(histories)), AwardRecord.revoked.is_(False))
    ):
        rewarded[cid].add((achievement_key(title, plan_id, movement_id, start, end), code, nomination_id))
    for cid, history in histories.items():
        history.rewarded = frozenset(rewarded[cid])
    return histories


def judgement_json(review: ProposalReview) -> str:
    """A review as kept with a decision: each item's checks and each unit's quota."""
    def check(c: Check) -> dict:
        return {"requirement": c.requirement, "result": c.result.value, "message": c.message,
                "legal_basis": c.legal_basis, "confidence": c.confidence, "blocking": c.blocking}

    return json.dumps({"regime": review.regime,
                       "items": {str(v.item.id): [check(c) for c in v.checks] for v in review.items},
                       "quotas": [[unit.id, check(c)] for unit, c in review.quotas]}, ensure_ascii=False)


def judgement_of(proposal: Proposal, text: str) -> ProposalReview:
    """The review kept with the proposal's decision (judgement_json), on today's items."""
    data = json.loads(text)

    def check(d: dict) -> Check:
        return Check(d["requirement"], Result(d["result"]), d["message"], d["legal_basis"], d["confidence"],
                     d["blocking"])

    units = {item.nomination.unit_id: item.nomination.unit for item in proposal.items}
    return ProposalReview(data["regime"],
                          [ItemVerdict(item, [check(c) for c in data["items"].get(str(item.id), [])])
                           for item in proposal.items],
                          [(units[unit_id], check(c)) for unit_id, c in data["quotas"] if unit_id in units])


@dataclass
class OverdueProposal:
    proposal: Proposal
    received: date  # the day it was handed in to the authority
    due: date  # the last working day of the time limit
    working_days_late: int
    limit_days: int
    confidence: str  # of the time limit's figure


def overdue_proposals(scope: Unit, today: date, calendar, overrides: dict | None = None, limit: int = 20,
                      plan_id: int | None = None) -> tuple[int, list[OverdueProposal]]:
    """Proposals of the scope's subtree handed in and not decided past their time limit (working
    days by the proposing unit's kind, on the working-day calendar), the latest first: how many,
    and the first `limit` (one read of the open proposals, which are few)."""
    waiting = db.session.scalars(
        select(Proposal).join(Unit, Unit.id == Proposal.proposing_unit_id)
        .where(Proposal.status.in_((S.SUBMITTED, S.APPROVED)), Proposal.submitted_at.is_not(None),
               Unit.path.startswith(scope.path, autoescape=True))
        .where(Proposal.plan_id == plan_id if plan_id else True)
        .options(joinedload(Proposal.proposing_unit), joinedload(Proposal.award_type))).all()
    late = []
    for proposal in waiting:
        received = clock.local_day(proposal.submitted_at)
        days, confidence = processing_days(proposal.proposing_unit.kind.value, overrides)
        due = calendar.add_working_days(received, days)
        if today > due:
            late.append(OverdueProposal(proposal, received, due, calendar.working_days_between(due, today), days,
                                        confidence))
    late.sort(key=lambda o: (-o.working_days_late, o.proposal.id))
    return len(late), late[:limit]


@dataclass
class Money:
    """The reward money of a proposal: each item's (by item id) and the total."""

    day: date  # the base salary of this day applies: the decision's, else the proposal's
    lines: dict[int, Reward]
    total: int

    @property
    def confidence(self) -> str:
        return "U" if any(r.confidence == "U" for r in self.lines.values()) else (
            "S" if any(r.confidence == "S" for r in self.lines.values()) else "V")


def proposal_money(proposal: Proposal, decision: Decision | None = None) -> Money:
    """What each nominee of the proposal receives (tracker.rules.money): the award's multiple under
    the proposal's regime, times the base salary of the decision's day (the proposal's until
    there is a decision); an item the decision did not award receives nothing."""
    day = decision.decision_date if decision is not None else (proposal.proposal_date or clock.today())
    regime = regime_for(proposal.proposal_date or day)
    lines = {}
    for item in proposal.items:
        if item.awarded is False:
            lines[item.id] = Reward(None, None, 0, "V", "")
            continue
        lines[item.id] = reward(proposal.award_type.code, regime, item.nomination.candidate.kind.value, day)
    return Money(day, lines, sum(r.amount for r in lines.values()))


@dataclass
class BudgetRow:
    """The reward money of one proposing unit's proposals under a plan."""

    unit_id: int
    unit_name: str
    proposed: int = 0  # in proposals not decided yet (draft, submitted, approved)
    decided: int = 0  # conferred by a decision

    @property
    def total(self) -> int:
        return self.proposed + self.decided


def reward_budget(plan_id: int, scope: Unit) -> list[BudgetRow]:
    """The plan's reward money by proposing unit of `scope`'s subtree (rejected proposals and
    items a decision did not award count nothing): one grouped statement over the items, each
    group priced by tracker.rules.money as the proposal page prices its lines."""
    rows: dict[int, BudgetRow] = {}
    groups = db.session.execute(
        select(Unit.id, Unit.name, Unit.sort_key, Proposal.status, Proposal.proposal_date, Decision.decision_date,
               AwardType.code, Candidate.kind, func.count(ProposalItem.id))
        .select_from(ProposalItem).join(Proposal, ProposalItem.proposal_id == Proposal.id)
        .join(Unit, Unit.id == Proposal.proposing_unit_id).join(AwardType, AwardType.id == Proposal.award_type_id)
        .join(Nomination, Nomination.id == ProposalItem.nomination_id)
        .join(Candidate, Candidate.id == Nomination.candidate_id)
        .outerjoin(Decision, Decision.proposal_id == Proposal.id)
        .where(Proposal.plan_id == plan_id, Unit.path.startswith(scope.path, autoescape=True),
               Proposal.status != S.REJECTED, ProposalItem.awarded.is_not(False))
        .group_by(Unit.id, Unit.name, Unit.sort_key, Proposal.status, Proposal.proposal_date,
                  Decision.decision_date, AwardType.code, Candidate.kind)
        .order_by(Unit.sort_key, Unit.id)
    ).all()
    for unit_id, name, _key, status, proposal_date, decision_date, code, kind, count in groups:
        day = decision_date or proposal_date or clock.today()
        amount = reward(code, regime_for(proposal_date or day), kind.value, day).amount * count
        row = rows.setdefault(unit_id, BudgetRow(unit_id, name))
        if status is S.DECIDED:
            row.decided += amount
        else:
            row.proposed += amount
    return list(rows.values())


@dataclass
class Eligibility:
    regime: str
    year: int
    checks: list[Check]

    @property
    def result(self) -> Result:
        return ItemVerdict(None, self.checks).result


def eligibility(candidate: Candidate, award: AwardType, on: date) -> Eligibility:
    """The rules engine's verdict on `candidate` for `award` in a proposal dated `on`: the year
    judged is the last completed one, the regime and the rule versions those in force on that day
    (as review_proposal judges each item of a proposal; four queries)."""
    regime = regime_for(on)
    year = on.year - 1
    rules = catalogue.rules_in_force(award, on)
    history = candidates.history_of([candidate.id], {candidate.id: candidate.kind.value})[candidate.id]
    checks = check_eligibility(award.code, award.recipient.value, award.confidence, history, year, regime,
                               catalogue.params_of(rules, award))
    checks.append(check_not_rewarded_twice(award.code, history, year, regime))
    return Eligibility(regime, year, as_in_force(checks, catalogue.labels_of(rules)))


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
            .where(Candidate.unit_id.in_(list(by_unit)), AwardRecord.year == year, AwardRecord.revoked.is_(False),
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
        select(Nomination).join(Nomination.unit).join(Nomination.candidate)
        .where(Nomination.status == NominationStatus.ACCEPTED, Unit.path.startswith(scope.path, autoescape=True),
               Nomination.id.not_in(busy))
        .options(joinedload(Nomination.candidate), joinedload(Nomination.unit), joinedload(Nomination.movement))
        .order_by(Unit.sort_key, Candidate.sort_key, Nomination.id)
    )
    if plan_id:
        query = query.where(Nomination.plan_id == plan_id)
    return query


def search_proposals(visible_units: Select, status: S | None = None) -> Select:
    """The proposals of the visible units, newest first, with their award and unit."""
    query = (select(Proposal).where(Proposal.proposing_unit_id.in_(visible_units))
             .options(joinedload(Proposal.award_type), joinedload(Proposal.proposing_unit))
             .order_by(Proposal.id.desc()))
    if status is not None:
        query = query.where(Proposal.status == status)
    return query


def decision_of(proposal: Proposal) -> Decision | None:
    return db.session.scalar(select(Decision).where(Decision.proposal_id == proposal.id))

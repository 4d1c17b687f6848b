"""The revocation of an award received (Điều 93 Luật Thi đua, khen thưởng 2022): the committee
proposes it with the reason and the legal basis, a leader decides it (decision number, date,
signer) or dismisses it. A decided revocation marks the award record revoked: it stays in the
candidate's history, struck through with the decision, and no longer counts in any streak,
quota or honour roll. The open proposals of the candidate are judged again and their committee
told. Every step is audited."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from tracker import changes as noted, clock
from tracker.audit.services import record
from tracker.awards.models import Decision, Proposal, ProposalItem, Revocation, RevocationStatus as R
from tracker.candidates.models import AwardRecord
from tracker.catalogue.regimes import regime_for
from tracker.errors import InvalidData, WorkflowError
from tracker.extensions import db
from tracker.nominations.models import Nomination
from tracker.notifications.services import committee_of, leaders_of, notify_each
from tracker.units.models import Unit
from tracker.workflow import check_transition

RESULT_WORDS = {"pass": _l("eligible"), "fail": _l("not eligible"), "unknown": _l("not enough data")}
TRANSITIONS = {"decide": (R.PROPOSED,), "dismiss": (R.PROPOSED,)}
# What the committee cites unless it writes another ground, by the regime in force: the article of
# the 2022 Law; for the earlier regime, whose article the tracker has not confirmed, the instruments.
DEFAULT_BASIS = "Khoản 2 Điều 93 Luật Thi đua, khen thưởng số 06/2022/QH15"
EARLIER_BASIS = "Luật Thi đua, Khen thưởng 2003 (sửa đổi, bổ sung 2005, 2013); Nghị định 91/2017/NĐ-CP"


def default_basis(day: date) -> str:
    return EARLIER_BASIS if regime_for(day) == "2017" else DEFAULT_BASIS


def _text(errors: dict, name: str, value: str | None, limit: int, missing) -> str:
    value = (value or "").strip()
    if not value:
        errors.setdefault(name, []).append(missing)
    elif len(value) > limit:
        errors.setdefault(name, []).append(_l("At most %(max)s characters.", max=limit))
    return value


def open_revocation(award: AwardRecord) -> Revocation | None:
    return db.session.scalar(select(Revocation).where(Revocation.award_record_id == award.id,
                                                      Revocation.status == R.PROPOSED))


def _deciding_unit(award: AwardRecord) -> Unit | None:
    """The unit whose proposal led to the award, when the tracker recorded its decision."""
    if award.decision_id is None:
        return None
    decision = db.session.get(Decision, award.decision_id)
    return decision.proposal.proposing_unit if decision is not None else None


def propose_revocation(actor, award: AwardRecord, unit: Unit, reason: str, legal_basis: str) -> Revocation:
    """The committee of `unit` asks for the revocation of an award of its subtree; the unit's
    leaders are told."""
    if award.revoked:
        raise WorkflowError(_l("This award has already been revoked."))
    if open_revocation(award) is not None:
        raise WorkflowError(_l("A revocation of this award is already waiting for the leader's decision."))
    decided_by = _deciding_unit(award)
    if decided_by is not None and not decided_by.is_within(unit):
        raise WorkflowError(_l("This award was decided on the proposal of %(unit)s: its committee proposes the "
                               "revocation.", unit=decided_by.name))
    errors: dict[str, list] = {}
    reason = _text(errors, "reason", reason, 2000, _l("Give the reason for the revocation."))
    legal_basis = _text(errors, "legal_basis", legal_basis, 1000, _l("Give the legal basis, down to the article."))
    if errors:
        raise InvalidData(errors)
    revocation = Revocation(award_record_id=award.id, unit_id=unit.id, status=R.PROPOSED, reason=reason,
                            legal_basis=legal_basis, proposed_by_id=actor.id if actor else None)
    db.session.add(revocation)
    db.session.flush()
    name = award.candidate.full_name
    record(actor, "revocation.proposed", revocation, f"{name}: {award.award_name} {award.year}", unit_id=unit.id)
    notify_each(leaders_of(unit.id), lambda: _l("Revocation to decide: %(award)s of %(name)s",
                                                award=award.award_name, name=name),
                reason, f"/awards/revocations/{revocation.id}")
    return revocation


def decide_revocation(actor, revocation: Revocation, number: str, decision_date: date | None,
                      signer: str) -> list[Proposal]:
    """The leader's decision: the award is revoked from now on. Returns the open proposals of
    the candidate, judged again (their committee is told)."""
    check_transition(TRANSITIONS, "decide", revocation.status)
    errors: dict[str, list] = {}
    number = _text(errors, "decision_number", number, 64, _l("Enter the number and symbol."))
    signer = _text(errors, "signer", signer, 200, _l("Enter who signed the decision."))
    if decision_date is None:
        errors.setdefault("decision_date", []).append(_l("Enter a valid date."))
    if errors:
        raise InvalidData(errors)
    award = revocation.award_record
    revocation.status, revocation.decision_number, revocation.decision_date = R.DECIDED, number, decision_date
    revocation.signer, revocation.decided_by_id, revocation.decided_at = signer, actor.id if actor else None, clock.now()
    award.revoked = True
    db.session.flush()
    name = award.candidate.full_name
    record(actor, "revocation.decided", revocation, f"{name}: {award.award_name} {award.year} – {number}",
           unit_id=revocation.unit_id)
    record(actor, "award_record.revoked", award, f"{award.award_name} {award.year} – {number}",
           unit_id=award.candidate.unit_id)
    noted.candidates_changed(db.session, [award.candidate_id])
    if award.plan_id is not None:
        noted.honours_changed(db.session, {award.plan_id})
    return _judge_again(award)


def _judge_again(award: AwardRecord) -> list[Proposal]:
    """The open proposals holding a nomination of the candidate: judged again by the rules (the
    revoked award no longer in the history), each proposing unit's committee told the verdicts."""
    from tracker.awards import services  # the proposals' judgement (same area)

    proposals = list(db.session.scalars(
        select(Proposal).join(ProposalItem).join(Nomination, ProposalItem.nomination_id == Nomination.id)
        .where(Nomination.candidate_id == award.candidate_id, Proposal.status.in_(services.OPEN))
        .options(joinedload(Proposal.award_type)).distinct()))
    for proposal in proposals:
        review = services.review_proposal(proposal)
        verdicts = [v for v in review.items if v.item.nomination.candidate_id == award.candidate_id]
        result = [RESULT_WORDS[v.result.value] for v in verdicts]
        notify_each(committee_of(proposal.proposing_unit_id),
                    lambda p=proposal: _l("Proposal %(number)s judged again: an award was revoked",
                                          number=p.number),
                    lambda p=proposal, r=result: _l(
                        "%(award)s (%(year)s) of %(name)s was revoked; its eligibility in proposal %(number)s is "
                        "now: %(result)s.", award=award.award_name, year=award.year,
                        name=award.candidate.full_name, number=p.number, result=", ".join(str(w) for w in r)),
                    f"/awards/proposals/{proposal.id}")
    return proposals


def dismiss_revocation(actor, revocation: Revocation, why: str) -> Revocation:
    check_transition(TRANSITIONS, "dismiss", revocation.status)
    errors: dict[str, list] = {}
    why = _text(errors, "dismissal", why, 2000, _l("Give the reason for keeping the award."))
    if errors:
        raise InvalidData(errors)
    revocation.status, revocation.dismissal = R.DISMISSED, why
    revocation.decided_by_id, revocation.decided_at = actor.id if actor else None, clock.now()
    record(actor, "revocation.dismissed", revocation, why, unit_id=revocation.unit_id)
    return revocation


def search_revocations(visible_units: Select) -> Select:
    """The revocations proposed by the visible units, the latest first."""
    return (select(Revocation).where(Revocation.unit_id.in_(visible_units))
            .options(joinedload(Revocation.award_record).joinedload(AwardRecord.candidate))
            .order_by(Revocation.created_at.desc(), Revocation.id.desc()))


def decided_of(records: list[AwardRecord]) -> dict[int, Revocation]:
    """The decided revocation of each revoked record, by record id (one read)."""
    ids = [r.id for r in records if r.revoked]
    if not ids:
        return {}
    return {r.award_record_id: r for r in db.session.scalars(
        select(Revocation).where(Revocation.award_record_id.in_(ids), Revocation.status == R.DECIDED))}

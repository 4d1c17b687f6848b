"""/api/v1: candidates with their yearly history, the eligibility verdict, the award catalogue,
award records, proposals with their decisions, and the public honour roll."""
from dataclasses import asdict

from flask_login import current_user
from sqlalchemy import select

from tracker import clock
from tracker.api import schemas as s
from tracker.api.core import api_blueprint, decode_cursor, encode_cursor, found, keyset_page, param, public, require
from tracker.api.units import scope_unit, unit_json
from tracker.api.work import candidate_json
from tracker.awards import services as awards
from tracker.awards.models import Proposal, ProposalStatus
from tracker.candidates import services as candidates
from tracker.candidates.models import AwardRecord, Candidate, CandidateKind
from tracker.catalogue.models import AwardType
from tracker.extensions import db
from tracker.honours import queries as honours
from tracker.permissions import (
    can_view_candidate,
    can_view_proposal,
    can_view_proposals,
    get_by_id,
    get_in_scope_or_404,
    in_scope,
    visible_unit_ids,
)
from tracker.plans.models import Plan, PlanStatus
from tracker.units.models import Unit

bp = api_blueprint("records", "Candidates, eligibility, awards, proposals and the honour roll")


def _value(enum_value):
    return enum_value.value if enum_value is not None else None


def award_type_json(award: AwardType) -> dict:
    return {"id": award.id, "regime": award.regime, "code": award.code, "name": award.name,
            "recipient": award.recipient.value, "conferred_by": award.conferred_by or "",
            "legal_basis": award.legal_basis or "", "confidence": award.confidence}


def record_json(r: AwardRecord) -> dict:
    return {"id": r.id, "candidate_id": r.candidate_id, "award_type_id": r.award_type_id, "award_name": r.award_name,
            "year": r.year, "decision_number": r.decision_number or "", "decision_date": r.decision_date,
            "plan_id": r.plan_id, "nomination_id": r.nomination_id, "revoked": r.revoked}


def _candidate(candidate_id: int) -> Candidate:
    candidate = get_in_scope_or_404(current_user, Candidate, candidate_id)
    require(can_view_candidate(current_user, candidate))
    return candidate


@bp.route("/candidates")
@bp.arguments(s.CandidateQuery, location="query")
@bp.response(200, s.page_of(s.CandidateSchema, "CandidatePage"))
def list_candidates(args):
    """Individuals and collectives registered in the caller's subtree; newest first."""
    unit = scope_unit(args.get("unit_id")) if args.get("unit_id") else None
    query = candidates.search_candidates(visible_unit_ids(current_user), unit=unit, text=args["q"],
                                         kind=CandidateKind(args["kind"]) if args.get("kind") else None)
    return keyset_page(query, Candidate.id, args.get("cursor"), args["limit"], candidate_json)


@bp.route("/candidates/<int:candidate_id>")
@bp.response(200, s.CandidateDetailSchema)
def show_candidate(candidate_id: int):
    """A candidate with its yearly history (ratings, initiatives, discipline, a collective's
    members) and the awards it received, newest year first."""
    candidate = _candidate(candidate_id)
    page = candidates.history_page(candidate)
    years = [{"year": y.year, "rating": _value(y.rating), "initiative_level": _value(y.initiative_level),
              "initiative_title": y.initiative_title or "", "initiative_count": y.initiative_count,
              "research_accepted": y.research_accepted, "discipline": _value(y.discipline),
              "members_total": y.members_total, "members_completed": y.members_completed,
              "members_ldtt": y.members_ldtt, "members_cstdcs": y.members_cstdcs,
              "members_disciplined": y.members_disciplined, "months_in_service": y.months_in_service,
              "leave_working_days": y.leave_working_days} for y in page.years]
    return {**candidate_json(candidate), "years": years, "awards": [record_json(r) for r in page.records]}


@bp.route("/candidates/<int:candidate_id>/eligibility")
@bp.arguments(s.EligibilityQuery, location="query")
@bp.response(200, s.EligibilitySchema)
def candidate_eligibility(args, candidate_id: int):
    """The rules engine's verdict on the candidate for an award in a proposal dated `on`: each
    requirement's result with its legal basis and confidence (an unverified rule only warns)."""
    candidate = _candidate(candidate_id)
    award = param("award_type_id", get_by_id(AwardType, args["award_type_id"]))
    verdict = awards.eligibility(candidate, award, args.get("on") or clock.today())
    return {"candidate_id": candidate.id, "award_type": award_type_json(award), "regime": verdict.regime,
            "year": verdict.year, "result": verdict.result.value,
            "checks": [{"requirement": c.requirement, "result": c.result.value, "message": c.message,
                        "legal_basis": c.legal_basis, "confidence": c.confidence, "blocking": c.blocking}
                       for c in verdict.checks]}


@bp.route("/award-types")
@bp.arguments(s.AwardTypeQuery, location="query")
@bp.response(200, s.AwardTypeSchema(many=True))
def list_award_types(args):
    """The award catalogue (active awards), by legal regime."""
    query = select(AwardType).where(AwardType.active.is_(True)).order_by(AwardType.regime, AwardType.id)
    if args.get("regime"):
        query = query.where(AwardType.regime == args["regime"])
    return [award_type_json(a) for a in db.session.scalars(query)]


@bp.route("/award-records")
@bp.arguments(s.AwardRecordQuery, location="query")
@bp.response(200, s.page_of(s.AwardRecordSchema, "AwardRecordPage"))
def list_award_records(args):
    """Awards received by the candidates of the caller's subtree; newest first."""
    query = candidates.search_award_records(visible_unit_ids(current_user), candidate_id=args.get("candidate_id"),
                                            plan_id=args.get("plan_id"), year=args.get("year"))
    return keyset_page(query, AwardRecord.id, args.get("cursor"), args["limit"], record_json)


def proposal_json(p: Proposal) -> dict:
    return {"id": p.id, "number": p.number, "proposal_date": p.proposal_date, "plan_id": p.plan_id,
            "proposing_unit": unit_json(p.proposing_unit), "award_type": award_type_json(p.award_type),
            "addressed_authority": p.addressed_authority or "", "status": p.status.value,
            "submitted_at": p.submitted_at}


@bp.route("/proposals")
@bp.arguments(s.ProposalQuery, location="query")
@bp.response(200, s.page_of(s.ProposalSchema, "ProposalPage"))
def list_proposals(args):
    """Award proposals (tờ trình) of the caller's subtree; newest first."""
    require(can_view_proposals(current_user))
    query = awards.search_proposals(visible_unit_ids(current_user),
                                    ProposalStatus(args["status"]) if args.get("status") else None)
    return keyset_page(query, Proposal.id, args.get("cursor"), args["limit"], proposal_json)


@bp.route("/proposals/<int:proposal_id>")
@bp.response(200, s.ProposalDetailSchema)
def show_proposal(proposal_id: int):
    """A proposal with its items and, once recorded, its decision (quyết định)."""
    proposal = awards.load_proposal(proposal_id)  # the route takes only ids a column can hold
    if proposal is None or not in_scope(current_user, proposal.proposing_unit):
        found(None)
    require(can_view_proposal(current_user, proposal))
    decision = awards.decision_of(proposal)
    money = awards.proposal_money(proposal, decision)
    known = [line for line in money.lines.values() if line.known]
    return {**proposal_json(proposal),
            "items": [{"nomination_id": i.nomination_id, "candidate_name": i.nomination.candidate.full_name,
                       "unit": unit_json(i.nomination.unit), "awarded": i.awarded,
                       "reward_vnd": money.lines[i.id].amount if money.lines[i.id].known else None}
                      for i in proposal.items],
            "reward_total_vnd": money.total, "base_salary_vnd": known[0].base.amount if known else None,
            "decision": {"id": decision.id, "number": decision.number, "decision_date": decision.decision_date,
                         "signer": decision.signer} if decision else None}


# --- the public honour roll (no token) ---------------------------------------------------------


@bp.route("/honours")
@bp.response(200, s.HonourPlanSchema(many=True))
@bp.doc(security=[])
@public
def list_honour_plans():
    """The plans with awarded exemplars, newest first (public: no token needed)."""
    return [{"plan_id": plan.id, "number": plan.number, "title": plan.title, "awarded": count}
            for plan, count in honours.plans_with_awards(honours.revoked_shown()) if plan.status is not PlanStatus.DRAFT]


@bp.route("/honours/<int:plan_id>")
@bp.arguments(s.HonourQuery, location="query")
@bp.response(200, s.page_of(s.HonouredSchema, "HonourPage"))
@bp.doc(security=[])
@public
def honour_roll(args, plan_id: int):
    """The public honour roll of a plan: who was awarded, with public fields only (no birth year,
    votes, history or files); searched by name or achievements, by unit subtree and movement.
    Ordered by award record (stable under new decisions)."""
    plan = found(get_by_id(Plan, plan_id))
    if plan.status is PlanStatus.DRAFT:
        found(None)
    unit = param("unit_id", get_by_id(Unit, args["unit_id"])) if args.get("unit_id") else None
    after = decode_cursor(args.get("cursor"))
    query = honours.roll_query(plan, args["q"], unit, args.get("movement_id"),
                               honours.revoked_shown()).add_columns(AwardRecord.id)
    query = query.order_by(None).order_by(AwardRecord.id)
    if after is not None:
        query = query.where(AwardRecord.id > after)
    rows = db.session.execute(query.limit(args["limit"] + 1)).all()
    more, rows = len(rows) > args["limit"], rows[:args["limit"]]
    items = [asdict(honours.to_honoured(tuple(row)[:-1])) for row in rows]
    return {"items": items, "next_cursor": encode_cursor(rows[-1][-1]) if more and rows else None}

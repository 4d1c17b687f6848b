"""Demo award data: some candidates' history, and one proposal already decided, so the
eligibility checks and the public honour roll have something to show."""
from datetime import date

from sqlalchemy import select

from tracker import clock
from tracker.candidates import services as candidates
from tracker.awards import posting, services
from tracker.awards.models import Proposal
from tracker.candidates.models import CandidateYear, Rating
from tracker.catalogue.models import AwardType
from tracker.extensions import db
from tracker.candidates.models import CandidateKind
from tracker.nominations.models import Nomination, NominationStatus

DECIDED_PROPOSAL = "01/TTr-UBND"
WAITING_PROPOSAL = "02/TTr-UBND"  # handed to the leader, who has not decided yet


def _award(code: str, regime: str = "2017") -> AwardType:
    return db.session.scalar(select(AwardType).where(AwardType.code == code, AwardType.regime == regime))


def _record_history(committee, candidate) -> None:
    for year in (2018, 2019):
        if not db.session.scalar(select(CandidateYear.id).where(
                CandidateYear.candidate_id == candidate.id, CandidateYear.year == year)):
            candidates.save_candidate_year(committee, candidate, year, rating=Rating.EXCELLENT, initiative_count=1)
            candidates.add_award_record(committee, candidate, _award("LDTT"), year, f"{year - 2000 + 100}/QĐ-UBND",
                                        date(year, 12, 20))


def seed_awards_demo(committee, leader, plan, city) -> None:
    """History for the accepted individuals, a decided Giấy khen proposal for two of them (its
    list posted publicly, one objection answered), and one for the third that waits for the
    leader's approval.

    Idempotent: does nothing once the decided proposal exists.
    """
    if db.session.scalar(select(Proposal.id).where(Proposal.proposing_unit_id == city.id,
                                                    Proposal.number == DECIDED_PROPOSAL)):
        return
    accepted = db.session.scalars(
        select(Nomination).where(Nomination.plan_id == plan.id, Nomination.status == NominationStatus.ACCEPTED)
        .order_by(Nomination.id)
    ).all()
    individuals = [n for n in accepted if n.candidate.kind is CandidateKind.INDIVIDUAL]
    for nomination in individuals:  # the committee records their history on 01/04/2020
        with clock.pinned(date(2020, 4, 1)):
            _record_history(committee, nomination.candidate)
    if len(accepted) < 2:
        return
    chosen = accepted[:2]
    day = date(2020, 3, 31)  # after the council's meeting that morning: drawn up and posted publicly
    with clock.pinned(day):
        proposal = services.create_proposal(committee, city, DECIDED_PROPOSAL, day, _award("GIAY_KHEN"),
                                            "Chủ tịch UBND thành phố", chosen, plan=plan)
        posting.post_publicly(committee, proposal)
    with clock.pinned(date(2020, 4, 1)):  # a resident asks about one nominee; the committee answers
        objection = posting.object_to(proposal, chosen[0].id, "Trần Văn Bình", "0234 3822 111",
                                      "Đề nghị làm rõ thời gian công tác tại địa phương của người được đề nghị.")
    with clock.pinned(date(2020, 4, 3)):
        posting.resolve_objection(committee, objection, False,
                                  "Đã xác minh: công tác liên tục tại địa phương từ năm 2012, đủ điều kiện.")
    with clock.pinned(date(2020, 4, 8)):  # the posting ran 31/3–7/4 (2/4 is a holiday)
        services.submit_proposal(committee, proposal)
    with clock.pinned(date(2020, 4, 8)):
        services.approve_proposal(leader, proposal)
    with clock.pinned(date(2020, 4, 9)):
        services.record_decision(committee, proposal, "05/QĐ-UBND", date(2020, 4, 9), "Chủ tịch UBND thành phố",
                                 {item.id for item in proposal.items})
    if len(accepted) > 2:  # the next one waits for the leader ("Chờ phê duyệt" on their home page)
        with clock.pinned(day):
            waiting = services.create_proposal(committee, city, WAITING_PROPOSAL, day, _award("GIAY_KHEN"),
                                               "Chủ tịch UBND thành phố", accepted[2:3], plan=plan)
            posting.post_publicly(committee, waiting)
        with clock.pinned(date(2020, 4, 9)):
            services.submit_proposal(committee, waiting)

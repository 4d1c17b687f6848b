"""Proposals and decisions: every transition, every refusal, and what a decision leaves behind."""
from datetime import date

from tracker.candidates import services as candidates
import pytest
from sqlalchemy import select

from tests.factories import hold_council_vote, make_accepted_nomination, make_plan, submit_posted
from tracker.audit.models import AuditEvent
from tracker.awards import services
from tracker.awards.models import ProposalStatus
from tracker.candidates.models import AwardRecord, Rating
from tracker.catalogue import services as catalogue_services
from tracker.catalogue.models import AwardType
from tracker.errors import DomainError, WorkflowError
from tracker.extensions import db
from tracker.nominations.models import NominationStatus
from tracker.rules.facts import Result


@pytest.fixture
def catalogue():
    catalogue_services.load_catalogue(None)
    db.session.flush()

    def award(code, regime="2017"):
        return db.session.scalar(select(AwardType).where(AwardType.code == code, AwardType.regime == regime))

    return award


@pytest.fixture
def plan(tree):
    return make_plan(tree["city_a"], number="156/KH-UBND")


@pytest.fixture
def two(plan, tree):
    return [make_accepted_nomination(plan, tree["ward_a1"], "Nguyễn Văn Hòa"),
            make_accepted_nomination(plan, tree["ward_a2"], "Trần Thị Mai")]


def _proposal(users, tree, catalogue, nominations, code="GIAY_KHEN", number="12/TTr-UBND", day=date(2020, 4, 12)):
    hold_council_vote(tree["city_a"], nominations, catalogue(code), day=day)
    return services.create_proposal(users["committee"], tree["city_a"], number, day, catalogue(code),
                                    "Chủ tịch UBND thành phố", nominations)


def _in_force(award, day):
    return catalogue_services.params_of(catalogue_services.rules_in_force(award, day), award)


def _change(award, requirement, day=date(2020, 1, 1), **params):
    row = catalogue_services.rules_in_force(award, day)[requirement]
    return {requirement: {"params": params, "legal_basis": row.legal_basis, "confidence": row.confidence}}


def test_catalogue_has_three_regimes_with_thresholds(catalogue):
    assert catalogue("CSTD_TINH", "2025") is not None
    assert _in_force(catalogue("CSTD_TINH"), date(2020, 1, 1))["consecutive_years"] == 3
    assert catalogue_services.load_catalogue(None) == 0  # nothing twice
    assert catalogue_services.ensure_rules(None) == 0


def test_a_rule_changes_by_a_new_version_from_a_day_and_the_old_one_stays(catalogue, users):
    award = catalogue("CSTD_TINH")
    added = catalogue_services.add_rule_version(users["admin_root"], award, date(2021, 1, 1),
                                                _change(award, "cstdcs_streak", consecutive_years=2), "Văn bản mới")
    assert [row.requirement for row in added] == ["cstdcs_streak"]
    assert _in_force(award, date(2020, 12, 31))["consecutive_years"] == 3  # before it: the old version
    assert _in_force(award, date(2021, 1, 1))["consecutive_years"] == 2
    history = dict((r.key, rows) for r, rows in catalogue_services.rule_history(award))["cstdcs_streak"]
    assert [(row.valid_from, row.note) for row in history] == [(date(2021, 1, 1), "Văn bản mới"),
                                                               (date(2017, 7, 31), "")]
    # The same values again change nothing.
    assert catalogue_services.add_rule_version(users["admin_root"], award, date(2021, 6, 1),
                                               _change(award, "cstdcs_streak", consecutive_years=2)) == []


@pytest.mark.parametrize("changes,day,field", [
    ({"consecutive_years": 0}, date(2021, 1, 1), "cstdcs_streak-consecutive_years"),  # no zero-year streak
    ({"consecutive_years": 3}, date(2030, 1, 1), "valid_from"),  # outside the regime 2017
    ({"consecutive_years": 3}, None, "valid_from"),
])
def test_a_new_version_is_checked(catalogue, users, changes, day, field):
    from tracker.errors import InvalidData

    award = catalogue("CSTD_TINH")
    with pytest.raises(InvalidData) as refused:
        catalogue_services.add_rule_version(users["admin_root"], award, day, _change(award, "cstdcs_streak", **changes))
    assert field in refused.value.errors


def test_a_share_over_100_percent_and_a_missing_basis_are_refused(catalogue, users):
    from tracker.errors import InvalidData

    award = catalogue("TTLDTT")
    change = _change(award, "ldtt_share", min_ldtt_percent=120)
    change["ldtt_share"]["legal_basis"] = " "
    with pytest.raises(InvalidData) as refused:
        catalogue_services.add_rule_version(users["admin_root"], award, date(2021, 1, 1), change)
    assert set(refused.value.errors) == {"ldtt_share-min_ldtt_percent", "ldtt_share-legal_basis"}


def test_full_lifecycle(users, tree, catalogue, two):
    proposal = _proposal(users, tree, catalogue, two)
    assert proposal.status is ProposalStatus.DRAFT and len(proposal.items) == 2
    submit_posted(users["committee"], proposal)
    services.approve_proposal(users["leader"], proposal)
    awarded = {proposal.items[0].id}
    decision = services.record_decision(users["committee"], proposal, "25/QĐ-UBND", date(2020, 4, 20),
                                        "Nguyễn Văn A", awarded)
    assert proposal.status is ProposalStatus.DECIDED and decision.number == "25/QĐ-UBND"
    first, second = two
    assert first.status is NominationStatus.AWARDED and second.status is NominationStatus.ACCEPTED
    record = db.session.scalar(select(AwardRecord))
    assert (record.candidate_id, record.year, record.decision_number) == (first.candidate_id, 2019, "25/QĐ-UBND")
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "Proposal")
                                                   .order_by(AuditEvent.id))]
    assert actions == ["proposal.created", "proposal.posted", "proposal.submitted", "proposal.approved",
                       "proposal.decided"]


def test_a_decision_awards_nominations_through_their_own_transition(users, tree, catalogue, two):
    """The awards area asks the nominations area to award: the nomination's version moves (an open
    form of it is stale) and the transition table is the nominations' own."""
    from tracker.errors import WorkflowError
    from tracker.nominations import services as nominations

    proposal = _proposal(users, tree, catalogue, two)
    first, second = two
    before = first.version
    submit_posted(users["committee"], proposal)
    services.approve_proposal(users["leader"], proposal)
    services.record_decision(users["committee"], proposal, "25/QĐ-UBND", date(2020, 4, 20), "Nguyễn Văn A",
                             {proposal.items[0].id})
    assert first.status is NominationStatus.AWARDED and first.version == before + 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "nomination.awarded"))
    assert event.entity_id == first.id and "25/QĐ-UBND" in event.summary
    with pytest.raises(WorkflowError):  # only an accepted nomination is awarded
        nominations.award_nomination(users["committee"], first, decision_number="26/QĐ-UBND")


def test_rejection_needs_a_reason(users, tree, catalogue, two):
    proposal = _proposal(users, tree, catalogue, two)
    submit_posted(users["committee"], proposal)
    with pytest.raises(DomainError):
        services.reject_proposal(users["leader"], proposal, "  ")
    services.reject_proposal(users["leader"], proposal, "Chưa đủ hồ sơ")
    assert proposal.status is ProposalStatus.REJECTED and proposal.reason == "Chưa đủ hồ sơ"


@pytest.mark.parametrize("steps,action", [
    ([], "approve"), ([], "decide"), ([], "reject"),
    (["submit"], "submit"), (["submit"], "decide"),
    (["submit", "approve"], "approve"), (["submit", "approve"], "submit"),
])
def test_other_transitions_are_refused(users, tree, catalogue, two, steps, action):
    proposal = _proposal(users, tree, catalogue, two)
    do = {"submit": lambda: submit_posted(users["committee"], proposal),
          "approve": lambda: services.approve_proposal(users["leader"], proposal),
          "reject": lambda: services.reject_proposal(users["leader"], proposal, "x"),
          "decide": lambda: services.record_decision(users["committee"], proposal, "1/QĐ-UBND", date(2020, 5, 1), "A", set())}
    for step in steps:
        do[step]()
    with pytest.raises(WorkflowError):
        do[action]()


def test_no_items_refused(users, tree, catalogue):
    with pytest.raises(DomainError) as error:
        _proposal(users, tree, catalogue, [])
    assert error.value.field == "nomination_ids"


def test_empty_proposal_cannot_be_submitted(users, tree, catalogue, two):
    proposal = _proposal(users, tree, catalogue, two[:1])
    services.remove_item(users["committee"], proposal, proposal.items[0])
    with pytest.raises(DomainError):
        submit_posted(users["committee"], proposal)


def test_item_not_accepted_refused(users, tree, catalogue, two):
    two[0].status = NominationStatus.SUBMITTED
    with pytest.raises(DomainError):
        _proposal(users, tree, catalogue, two)


def test_item_of_another_units_scope_refused(users, tree, catalogue, plan):
    outsider = make_accepted_nomination(make_plan(tree["city_b"]), tree["ward_b1"], "Lê Văn B")
    with pytest.raises(DomainError):
        _proposal(users, tree, catalogue, [outsider])


def test_item_already_in_an_open_proposal_refused(users, tree, catalogue, two):
    _proposal(users, tree, catalogue, two)
    with pytest.raises(DomainError):
        _proposal(users, tree, catalogue, two[:1], number="13/TTr-UBND")


def test_award_of_another_regime_refused(users, tree, catalogue, two):
    with pytest.raises(DomainError) as error:
        _proposal(users, tree, catalogue, two, day=date(2025, 8, 1))  # the 2017 Giấy khen in 2025
    assert error.value.field == "award_type_id"


def test_individual_title_refused_for_a_collective(users, tree, catalogue, plan):
    group = make_accepted_nomination(plan, tree["ward_a1"], "Chi hội Phụ nữ", kind="collective")
    with pytest.raises(DomainError):
        _proposal(users, tree, catalogue, [group], code="LDTT")


def test_duplicate_proposal_number_refused(users, tree, catalogue, two):
    _proposal(users, tree, catalogue, two[:1])
    with pytest.raises(DomainError) as error:
        _proposal(users, tree, catalogue, two[1:])
    assert error.value.field == "number"


def _approved(users, tree, catalogue, two):
    proposal = _proposal(users, tree, catalogue, two)
    submit_posted(users["committee"], proposal)
    services.approve_proposal(users["leader"], proposal)
    return proposal


def test_decision_number_already_used(users, tree, catalogue, two, plan):
    first = _approved(users, tree, catalogue, two[:1])
    services.record_decision(users["committee"], first, "25/QĐ-UBND", date(2020, 4, 20), "A", set())
    other = make_accepted_nomination(plan, tree["ward_a2"], "Phạm Thị Lan")
    second = services.create_proposal(users["committee"], tree["city_a"], "14/TTr-UBND", date(2020, 4, 12),
                                      catalogue("GIAY_KHEN"), "Chủ tịch", [other])
    submit_posted(users["committee"], second)
    services.approve_proposal(users["leader"], second)
    with pytest.raises(DomainError) as error:
        services.record_decision(users["committee"], second, "25/QĐ-UBND", date(2020, 4, 21), "A", set())
    assert error.value.field == "number" and second.status is ProposalStatus.APPROVED


def test_decision_dated_before_the_proposal(users, tree, catalogue, two):
    proposal = _approved(users, tree, catalogue, two)
    with pytest.raises(DomainError) as error:
        services.record_decision(users["committee"], proposal, "25/QĐ-UBND", date(2020, 4, 1), "A", set())
    assert error.value.field == "decision_date"
    assert db.session.scalar(select(AwardRecord.id)) is None


def test_review_shows_an_eligibility_warning_with_its_reason(users, tree, catalogue, two):
    first, second = two
    candidates.save_candidate_year(None, first.candidate, 2018, rating=Rating.EXCELLENT)
    candidates.add_award_record(None, first.candidate, catalogue("CSTDCS"), 2018)
    candidates.save_candidate_year(None, first.candidate, 2019, rating=Rating.EXCELLENT)
    candidates.add_award_record(None, first.candidate, catalogue("CSTDCS"), 2019)
    proposal = _proposal(users, tree, catalogue, two, code="BK_TINH")
    review = services.review_proposal(proposal)
    verdicts = {v.item.nomination_id: v for v in review.items}
    assert verdicts[first.id].result is Result.PASS
    assert verdicts[second.id].result is Result.UNKNOWN  # nothing recorded: unknown, not fail
    message = " ".join(c.message for c in verdicts[second.id].checks)
    assert "2018–2019" in message


def test_quota_of_cstdcs_under_2017(users, tree, catalogue, plan):
    nominees = [make_accepted_nomination(plan, tree["ward_a1"], f"Người {i}") for i in range(2)]
    for i in range(10):  # the ward has 10 LĐTT in 2019: 15% -> at most 2 CSTĐCS (1.5 rounded)
        from tracker.candidates.models import CandidateKind

        person = candidates.create_candidate(None, CandidateKind.INDIVIDUAL, f"LĐTT {i}", tree["ward_a1"])
        candidates.add_award_record(None, person, catalogue("LDTT"), 2019)
    proposal = _proposal(users, tree, catalogue, nominees, code="CSTDCS")
    [(unit, check)] = services.review_proposal(proposal).quotas
    assert unit.id == tree["ward_a1"].id and check.result is Result.PASS and check.blocking
    third = make_accepted_nomination(plan, tree["ward_a1"], "Người 3")
    hold_council_vote(tree["city_a"], [third], catalogue("CSTDCS"))
    services.add_items(users["committee"], proposal, [third])
    [(unit, check)] = services.review_proposal(proposal).quotas
    assert check.result is Result.FAIL and "= 2" in check.message


def test_history_rows_and_award_records(users, tree, catalogue, two):
    candidate = two[0].candidate
    candidates.save_candidate_year(users["officer"], candidate, 2019, rating=Rating.GOOD)
    candidates.save_candidate_year(users["officer"], candidate, 2019, rating=Rating.EXCELLENT)  # same row updated
    candidates.add_award_record(users["officer"], candidate, catalogue("LDTT"), 2019, "10/QĐ-UBND", date(2020, 1, 10))
    with pytest.raises(DomainError):
        candidates.add_award_record(users["officer"], candidate, catalogue("LDTT"), 2019)
    history = candidates.history_of([candidate.id], {candidate.id: "individual"})[candidate.id]
    assert history.years[2019].rating == "excellent" and history.years[2019].awards == frozenset({"LDTT"})


def test_member_figures_cannot_exceed_members(users, tree, catalogue, plan):
    group = make_accepted_nomination(plan, tree["ward_a1"], "Hợp tác xã", kind="collective").candidate
    with pytest.raises(DomainError) as error:
        candidates.save_candidate_year(None, group, 2019, members_total=10, members_ldtt=11)
    assert error.value.field == "members_ldtt"


def test_submission_refused_when_a_verified_rule_fails(users, tree, catalogue, two):
    first, second = two
    candidates.save_candidate_year(None, first.candidate, 2019, rating=Rating.COMPLETED)  # LĐTT needs "good"
    proposal = _proposal(users, tree, catalogue, two, code="LDTT")
    with pytest.raises(DomainError) as error:
        submit_posted(users["committee"], proposal)
    assert "Nguyễn Văn Hòa" in error.value.message and "Trần Thị Mai" not in error.value.message
    assert proposal.status is ProposalStatus.DRAFT
    services.remove_item(users["committee"], proposal, next(i for i in proposal.items if i.nomination_id == first.id))
    submit_posted(users["committee"], proposal)  # missing history only warns
    assert proposal.status is ProposalStatus.SUBMITTED


def test_award_year_is_the_last_completed_year(users, tree, catalogue, two):
    proposal = _proposal(users, tree, catalogue, two)
    first = two[0]
    assert services.award_year(proposal, first) == 2019
    first.period_end_year = 2020
    assert services.award_year(proposal, first) == 2019  # 2020 is not over in April 2020
    first.period_end_year = 2017
    assert services.award_year(proposal, first) == 2017


# --- rules as versioned law ----------------------------------------------------------------


def _rating_verdicts(proposal):
    review = services.review_proposal(proposal)
    return [next(c for c in v.checks if c.requirement == "rating").result for v in review.items]


def test_a_proposal_is_judged_by_the_versions_in_force_on_its_date(users, tree, catalogue, two):
    """LĐTT needs "hoàn thành tốt" until a version from 01/05/2020 asks "xuất sắc": a proposal of
    12/04/2020 is judged by the older version, one of 01/06/2020 by the newer."""
    for nomination in two:
        candidates.save_candidate_year(users["committee"], nomination.candidate, 2019, rating=Rating.GOOD)
    award = catalogue("LDTT")
    catalogue_services.add_rule_version(users["admin_root"], award, date(2020, 5, 1), {
        "rating": {"params": {"min_rating": "excellent"}, "legal_basis": "Điều 24 Luật Thi đua, Khen thưởng (giả định)",
                   "confidence": "V"}}, "Tiêu chuẩn mới")
    before = _proposal(users, tree, catalogue, two[:1], code="LDTT", day=date(2020, 4, 12))
    after = _proposal(users, tree, catalogue, two[1:], code="LDTT", number="13/TTr-UBND", day=date(2020, 6, 1))
    assert _rating_verdicts(before) == [Result.PASS]
    assert _rating_verdicts(after) == [Result.FAIL]
    check = next(c for c in services.review_proposal(after).items[0].checks if c.requirement == "rating")
    assert check.legal_basis == "Điều 24 Luật Thi đua, Khen thưởng (giả định)"  # the version's own basis


def test_a_decided_proposal_keeps_the_judgement_it_was_decided_with(users, tree, catalogue, two):
    for nomination in two:
        candidates.save_candidate_year(users["committee"], nomination.candidate, 2019, rating=Rating.GOOD)
    award = catalogue("LDTT")
    proposal = _proposal(users, tree, catalogue, two, code="LDTT")
    submit_posted(users["committee"], proposal)
    services.approve_proposal(users["leader"], proposal)
    services.record_decision(users["committee"], proposal, "25/QĐ-UBND", date(2020, 4, 20), "Nguyễn Văn A",
                             {proposal.items[0].id, proposal.items[1].id})
    decided = [(v.result, [c.message for c in v.checks]) for v in services.review_proposal(proposal).items]
    # A later edit, even one in force from before the proposal's date, does not change history.
    catalogue_services.add_rule_version(users["admin_root"], award, date(2020, 1, 1), {
        "rating": {"params": {"min_rating": "excellent"}, "legal_basis": "Văn bản sửa đổi", "confidence": "V"}})
    db.session.expire_all()
    assert [(v.result, [c.message for c in v.checks]) for v in services.review_proposal(proposal).items] == decided
    assert all(result is Result.PASS for result, _messages in decided)


def test_a_proposal_refuses_an_achievement_already_rewarded(users, tree, catalogue, plan):
    """Two nominations of one person: the same named achievement cannot be rewarded again by
    another form; a different achievement of the same year can."""
    first = make_accepted_nomination(plan, tree["ward_a1"], "Nguyễn Văn Hòa", achievement_title="Hiến đất làm đường")
    proposal = _proposal(users, tree, catalogue, [first])
    submit_posted(users["committee"], proposal)
    services.approve_proposal(users["leader"], proposal)
    services.record_decision(users["committee"], proposal, "25/QĐ-UBND", date(2020, 4, 20), "Nguyễn Văn A",
                             {proposal.items[0].id})
    from tracker.nominations import services as nominations

    def of_the_same_person(title):
        nomination = nominations.create_nomination(
            None, plan, None, first.candidate, tree["ward_a1"], achievements="Gương mẫu.", period_start_year=2015,
            period_end_year=2019, meeting_date=date(2020, 3, 10), members_present=25, votes_for=23,
            achievement_title=title)
        nominations.submit_nomination(None, nomination)
        return nominations.accept_nomination(None, nomination)

    again, other = of_the_same_person("hiến đất  làm đường"), of_the_same_person("Cứu người đuối nước")
    second = _proposal(users, tree, catalogue, [again, other], code="BK_TINH", number="13/TTr-UBND")
    verdicts = {v.item.nomination_id: next(c for c in v.checks if c.requirement == "not_twice").result
                for v in services.review_proposal(second).items}
    assert verdicts == {again.id: Result.FAIL, other.id: Result.PASS}

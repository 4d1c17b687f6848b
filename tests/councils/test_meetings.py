"""A council meeting: the quorum, the agenda, the secret ballot judged against the award's
threshold (versioned in the catalogue) with recusals, the gate on proposals, and the minutes."""
import io
from datetime import date

import pytest
from docx import Document

from tests.factories import assert_layout_of_the_decree, make_accepted_nomination, make_plan, printed_pages
from tracker.awards import services as awards
from tracker.catalogue import services as catalogue_services
from tracker.commit import commit
from tracker.councils import services
from tracker.councils.document_jobs import minutes_bytes
from tracker.councils.models import CouncilRole, RecusalReason
from tracker.errors import DomainError, InvalidData, WorkflowError
from tracker.rules.ballot import Quorum, Threshold, judge, quorum_met, quorum_needed, votes_needed

DAY = date(2020, 4, 2)


@pytest.fixture
def council(users, tree):
    """Nine members: a chair, a vice-chair, the secretary and six members."""
    roles = [CouncilRole.CHAIR, CouncilRole.VICE_CHAIR, CouncilRole.STANDING] + [CouncilRole.MEMBER] * 6
    return [services.add_member(users["committee"], tree["city_a"], f"Ủy viên {n}", "", role, date(2019, 1, 1))
            for n, role in enumerate(roles, start=1)]


@pytest.fixture
def nominees(tree):
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    return [make_accepted_nomination(plan, tree["ward_a1"], "Nguyễn Văn Hòa"),
            make_accepted_nomination(plan, tree["ward_a2"], "Trần Thị Mai")]


def test_the_arithmetic():
    assert quorum_needed(9, Quorum(2, 3)) == 6 and quorum_needed(10, Quorum(2, 3)) == 7
    assert quorum_met(9, 6, Quorum(2, 3)) and not quorum_met(10, 6, Quorum(2, 3)) and not quorum_met(0, 0, Quorum())
    half = Threshold(50, inclusive=False)  # more than half
    assert votes_needed(9, half) == 5 and votes_needed(8, half) == 5 and votes_needed(7, half) == 4
    ninety = Threshold(90, inclusive=True)  # at least 90 %
    assert votes_needed(9, ninety) == 9 and votes_needed(10, ninety) == 9 and votes_needed(20, ninety) == 18
    verdict = judge(9, 1, 5, half)  # one recused: 5 of 8 is more than half
    assert verdict.passed and verdict.base == 8 and "5/8 đồng ý = 62,5 %" in verdict.arithmetic()
    assert not judge(9, 1, 4, half).passed  # 4 of 8 is half, not more


def test_the_quorum_blocks_the_votes(users, tree, council, nominees, award):
    meeting = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "Hội trường UBND", "05/BB-HĐTĐKT")
    [item, _] = services.add_to_agenda(users["committee"], meeting, nominees, award("CSTDCS"))
    with pytest.raises(WorkflowError):  # nobody recorded as present yet
        services.record_vote(users["committee"], item, 5, 0, 0, {})
    state = services.record_attendance(users["committee"], meeting, {m.id for m in council[:5]})
    assert (len(state.members), len(state.present), state.needed, state.met) == (9, 5, 6, False)
    with pytest.raises(WorkflowError) as refused:
        services.record_vote(users["committee"], item, 5, 0, 0, {})
    assert "5" in str(refused.value) and "6" in str(refused.value)
    assert services.record_attendance(users["committee"], meeting, {m.id for m in council[:6]}).met


def test_ballots_never_exceed_the_voters_and_recusals_leave_the_count(users, tree, council, nominees, award):
    meeting = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "", "")
    services.record_attendance(users["committee"], meeting, {m.id for m in council[:7]})  # 7 of 9
    hoa, mai = services.add_to_agenda(users["committee"], meeting, nominees, award("CSTDCS"))
    with pytest.raises(InvalidData) as refused:
        services.record_vote(users["committee"], hoa, 6, 1, 1, {})  # 8 ballots, 7 present
    assert "agree" in refused.value.errors
    with pytest.raises(InvalidData):  # a recused member does not vote: 6 voters
        services.record_vote(users["committee"], hoa, 6, 1, 0, {council[6].id: RecusalReason.RELATIVE})
    with pytest.raises(InvalidData) as negative:
        services.record_vote(users["committee"], hoa, -1, None, 0, {})
    assert set(negative.value.errors) == {"agree", "disagree"}
    # A relative recused: counted on 8 members, 5 agreeing is more than half: passes.
    verdict = services.record_vote(users["committee"], hoa, 5, 1, 0, {council[6].id: RecusalReason.RELATIVE})
    assert verdict.passed and verdict.base == 8 and verdict.needed == 5
    # Without a recusal 4 of 9 fail; the attendance of a meeting with votes no longer changes.
    assert not services.record_vote(users["committee"], mai, 4, 3, 0, {}).passed
    with pytest.raises(WorkflowError):
        services.record_attendance(users["committee"], meeting, {m.id for m in council})
    with pytest.raises(WorkflowError):
        services.remove_from_agenda(users["committee"], hoa)
    commit()
    # The minutes: participants, the counts, the recusal, the conclusion, two signatures.
    text = "\n".join(p.text for p in Document(io.BytesIO(minutes_bytes(meeting))).paragraphs)
    tables = Document(io.BytesIO(minutes_bytes(meeting))).tables
    cells = [[c.text for c in row.cells] for row in tables[1].rows]
    assert cells[1][1:] == ["Nguyễn Văn Hòa", "Chiến sĩ thi đua cơ sở", "5", "1", "0", "Đạt (5/8)"]
    assert cells[2][1:] == ["Trần Thị Mai", "Chiến sĩ thi đua cơ sở", "4", "3", "0", "Không đạt (4/9)"]
    assert "7/9" in text and "Ủy viên 7 (là người thân của người được đề nghị) đối với trường hợp Nguyễn Văn Hòa" in text
    assert "đề nghị khen thưởng 1 trường hợp" in text and "1 trường hợp không đạt" in text
    signatures = [c.text for c in tables[-1].rows[0].cells]
    assert "THƯ KÝ" in signatures[0] and "Ủy viên 3" in signatures[0] and "Ủy viên 1" in signatures[1]


def test_a_threshold_edited_later_never_changes_a_recorded_vote(users, tree, council, nominees, award):
    cstdcs = award("CSTDCS")
    meeting = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "", "")
    services.record_attendance(users["committee"], meeting, {m.id for m in council})
    [item, _] = services.add_to_agenda(users["committee"], meeting, nominees, cstdcs)
    assert services.record_vote(users["committee"], item, 5, 4, 0, {}).passed  # 5 of 9 > half
    rule = catalogue_services.rules_in_force(cstdcs, DAY)["council_vote"]
    catalogue_services.add_rule_version(users["admin_root"], cstdcs, date(2020, 1, 1), {"council_vote": {
        "params": {"approval_percent": 75, "approval_inclusive": 1}, "legal_basis": rule.legal_basis,
        "confidence": "U"}})
    assert services.verdict_of(item).passed and services.verdict_of(item).needed == 5
    second = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "", "")
    services.record_attendance(users["committee"], second, {m.id for m in council})
    [again] = services.add_to_agenda(users["committee"], second, nominees[1:], cstdcs)
    verdict = services.record_vote(users["committee"], again, 6, 3, 0, {})  # 6 of 9 < 75 %: 7 needed
    assert not verdict.passed and verdict.needed == 7


def test_the_2017_provincial_title_needs_ninety_percent(users, tree, council, nominees, award):
    rule = catalogue_services.rules_in_force(award("CSTD_TINH"), DAY)["council_vote"]
    assert catalogue_services.rule_params(rule)["approval_percent"] == 90 and rule.confidence == "V"
    assert "Điều 45" in rule.legal_basis
    meeting = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "", "")
    services.record_attendance(users["committee"], meeting, {m.id for m in council})
    [item, _] = services.add_to_agenda(users["committee"], meeting, nominees, award("CSTD_TINH"))
    assert not services.record_vote(users["committee"], item, 8, 1, 0, {}).passed  # 8 of 9 < 90 %


def test_proposals_take_only_what_the_council_passed(users, tree, council, nominees, award):
    cstdcs = award("CSTDCS")
    with pytest.raises(DomainError) as unvoted:  # CSTĐCS needs the ballot
        awards.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND", date(2020, 4, 12), cstdcs,
                               "Chủ tịch UBND thành phố", nominees)
    assert "bỏ phiếu kín" in str(unvoted.value)
    meeting = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "", "")
    services.record_attendance(users["committee"], meeting, {m.id for m in council})
    hoa, mai = services.add_to_agenda(users["committee"], meeting, nominees, cstdcs)
    services.record_vote(users["committee"], hoa, 9, 0, 0, {})
    services.record_vote(users["committee"], mai, 3, 6, 0, {})
    with pytest.raises(DomainError) as failed:
        awards.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND", date(2020, 4, 12), cstdcs,
                               "Chủ tịch UBND thành phố", nominees)
    assert "Trần Thị Mai" in str(failed.value) and "3" in str(failed.value) and "9" in str(failed.value)
    proposal = awards.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND", date(2020, 4, 12), cstdcs,
                                      "Chủ tịch UBND thành phố", nominees[:1])
    assert [i.nomination_id for i in proposal.items] == [nominees[0].id]
    # An award whose dossier needs no ballot: proposed without one, but never after a vote it failed.
    giay_khen = award("GIAY_KHEN")
    other = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "", "")
    services.record_attendance(users["committee"], other, {m.id for m in council})
    [mai_gk] = services.add_to_agenda(users["committee"], other, nominees[1:], giay_khen)
    services.record_vote(users["committee"], mai_gk, 2, 7, 0, {})
    with pytest.raises(DomainError):
        awards.create_proposal(users["committee"], tree["city_a"], "13/TTr-UBND", date(2020, 4, 12), giay_khen,
                               "Chủ tịch UBND thành phố", nominees[1:])


def test_the_agenda_takes_accepted_nominations_of_the_unit_for_an_award_of_the_regime(users, tree, council,
                                                                                      nominees, award):
    meeting = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "", "")
    assert {n.id for n in services.agenda_choices(meeting)} == {n.id for n in nominees}
    with pytest.raises(InvalidData) as wrong:
        services.add_to_agenda(users["committee"], meeting, [], award("CSTDCS", "2025"))
    assert set(wrong.value.errors) == {"nomination_ids", "award_type_id"}
    with pytest.raises(InvalidData):  # a collective's award for individuals
        services.add_to_agenda(users["committee"], meeting, nominees, award("TTLDTT"))
    services.add_to_agenda(users["committee"], meeting, nominees[:1], award("CSTDCS"))
    assert [n.id for n in services.agenda_choices(meeting)] == [nominees[1].id]
    with pytest.raises(InvalidData) as empty:  # a day nobody serves on the council
        services.schedule_meeting(users["committee"], tree["city_a"], date(2018, 5, 1), "", "")
    assert "meeting_date" in empty.value.errors


def test_the_documents_cite_the_minutes(users, tree, council, nominees, award):
    from tracker.awards import documents

    meeting = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "", "03/BB-HĐTĐKT")
    services.record_attendance(users["committee"], meeting, {m.id for m in council})
    for item in services.add_to_agenda(users["committee"], meeting, nominees, award("CSTDCS")):
        services.record_vote(users["committee"], item, 9, 0, 0, {})
    proposal = awards.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND", date(2020, 4, 12),
                                      award("CSTDCS"), "Chủ tịch UBND thành phố", nominees)
    assert awards.council_meetings(proposal) == [meeting]
    text = "\n".join(p.text for p in Document(io.BytesIO(documents.proposal_docx(
        proposal, awards.proposal_money(proposal), None, awards.council_meetings(proposal)))).paragraphs)
    assert "Căn cứ Biên bản số 03/BB-HĐTĐKT ngày 02/04/2020 họp Hội đồng Thi đua - Khen thưởng" in text


def test_the_meeting_pages(client, login_as, users, tree, council, nominees, award, app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")
    award("CSTDCS")
    commit()
    login_as(users["committee"])
    typed = client.post("/council/meetings", data={"meeting_date": "01/05/2018", "place": "Hội trường A"})
    page = typed.get_data(as_text=True)
    assert 'data-field-error="meeting_date"' in page and "Hội trường A" in page  # nothing typed is lost
    created = client.post("/council/meetings", data={"meeting_date": "02/04/2020", "place": "Hội trường A",
                                                     "number": "03/BB-HĐTĐKT"})
    meeting = services.meetings(tree["city_a"])[0]
    assert created.status_code == 302 and created.location.endswith(f"/council/meetings/{meeting.id}")
    url = f"/council/meetings/{meeting.id}"
    present = {"present": [str(m.id) for m in council[:7]]}
    assert client.post(f"{url}/attendance", data=present).status_code == 302
    assert "7" in client.get(url).get_data(as_text=True)
    cstdcs = award("CSTDCS")
    assert client.post(f"{url}/agenda", data={"award_type_id": str(cstdcs.id),
                                              "nomination_ids": [str(n.id) for n in nominees]}).status_code == 302
    item = meeting.items[0]
    too_many = client.post(f"{url}/items/{item.id}/vote", data={f"i{item.id}-agree": "7", f"i{item.id}-disagree": "1",
                                                               f"i{item.id}-spoiled": "0"})
    body = too_many.get_data(as_text=True)
    assert 'data-field-error="i%d-agree"' % item.id in body and 'value="7"' in body
    recused = client.post(f"{url}/items/{item.id}/vote", data={
        f"i{item.id}-agree": "5", f"i{item.id}-disagree": "1", f"i{item.id}-spoiled": "0",
        f"i{item.id}-recused_{council[6].id}": "relative"})
    assert recused.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="verdict"' in page and "Ủy viên 7" in page
    job = client.post(f"{url}/bien-ban.docx")
    assert job.status_code == 302 and "/jobs/" in job.location
    login_as(users["leader"])  # leaders read the meeting, cannot change it
    assert client.get(url).status_code == 200
    assert client.post(f"{url}/attendance", data=present).status_code == 403
    login_as(users["committee_b"])  # another city's meeting is out of reach
    assert client.get(url).status_code == 404
    assert client.post(f"{url}/items/{item.id}/vote", data={}).status_code == 404


def test_the_minutes_print_through_libreoffice(users, tree, council, nominees, award, tmp_path):
    """Rendered to PDF by LibreOffice (when it is installed): the national name on one line, the
    title, the counts and both signatures."""
    meeting = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "Hội trường UBND", "03/BB-HĐTĐKT")
    services.record_attendance(users["committee"], meeting, {m.id for m in council[:8]})
    hoa, mai = services.add_to_agenda(users["committee"], meeting, nominees, award("CSTDCS"))
    services.record_vote(users["committee"], hoa, 6, 1, 0, {council[7].id: RecusalReason.CANDIDATE})
    services.record_vote(users["committee"], mai, 7, 1, 0, {})
    commit()
    assert_layout_of_the_decree(Document(io.BytesIO(minutes_bytes(meeting))))
    pages = printed_pages(minutes_bytes(meeting), tmp_path, "bien-ban")
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in row for row in pages[0].splitlines())
    text = "\n".join(pages)
    assert "BIÊN BẢN" in text and "THƯ KÝ" in text and "CHỦ TỊCH HỘI ĐỒNG" in text
    assert "Nguyễn Văn Hòa" in text and "(6/8)" in text and "(7/9)" in text
    assert "STT" in text and "đồng ý" in text  # the columns fit their headings
    assert len(pages) == 2 and pages[1].strip().startswith("2")  # a second page, numbered; the first not


def test_a_member_who_is_the_nominee_is_recused_from_the_start(users, tree, council, nominees, award):
    services.add_member(users["committee"], tree["city_a"], "Nguyễn Văn Hòa", "", CouncilRole.MEMBER, date(2019, 1, 1))
    meeting = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "", "")
    hoa, mai = services.add_to_agenda(users["committee"], meeting, nominees, award("CSTDCS"))
    assert [(r.member.full_name, r.reason) for r in hoa.recusals] == [("Nguyễn Văn Hòa", RecusalReason.CANDIDATE)]
    assert mai.recusals == []


def test_a_recorded_ballot_and_its_members_stay_as_the_minutes_have_them(users, tree, council, nominees, award):
    meeting = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "", "")
    services.record_attendance(users["committee"], meeting, {m.id for m in council})
    [item, _] = services.add_to_agenda(users["committee"], meeting, nominees, award("CSTDCS"))
    assert not services.record_vote(users["committee"], item, 2, 7, 0, {}).passed
    with pytest.raises(WorkflowError):  # a second count over the first
        services.record_vote(users["committee"], item, 9, 0, 0, {})
    services.end_membership(users["committee"], council[8], date(2020, 1, 1))  # ended before the meeting, later
    assert len(services.attendance(meeting).members) == 9  # the meeting keeps the members it counted on
    assert services.verdict_of(item).base == 9


def test_a_vote_recorded_after_the_proposal_was_drawn_up_is_read_again_at_submission(users, tree, council,
                                                                                       nominees, award):
    from tests.factories import complete_dossier, post_publicly_long_ago

    giay_khen = award("GIAY_KHEN")  # no ballot required: proposed before any vote
    proposal = awards.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND", date(2020, 4, 12),
                                      giay_khen, "Chủ tịch UBND thành phố", nominees)
    meeting = services.schedule_meeting(users["committee"], tree["city_a"], DAY, "", "")
    services.record_attendance(users["committee"], meeting, {m.id for m in council})
    [mai] = services.add_to_agenda(users["committee"], meeting, nominees[1:], giay_khen)
    services.record_vote(users["committee"], mai, 1, 8, 0, {})
    complete_dossier(post_publicly_long_ago(proposal))
    with pytest.raises(DomainError) as refused:
        awards.submit_proposal(users["committee"], proposal)
    assert "Trần Thị Mai" in str(refused.value)


def test_a_threshold_no_vote_can_reach_is_refused(users, award):
    cstdcs = award("CSTDCS")
    rule = catalogue_services.rules_in_force(cstdcs, DAY)["council_vote"]
    with pytest.raises(InvalidData) as refused:
        catalogue_services.add_rule_version(users["admin_root"], cstdcs, date(2020, 1, 1), {"council_vote": {
            "params": {"approval_percent": 100, "approval_inclusive": 0}, "legal_basis": rule.legal_basis,
            "confidence": "U"}})
    assert "council_vote-approval_inclusive" in refused.value.errors

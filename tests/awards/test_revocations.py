"""Revoking an award: proposed by the committee, decided by a leader; the award stays in the
history struck through, leaves the honour roll, no longer counts in a streak, the open proposals
are judged again and their committee told; another city's revocation is out of reach."""
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import (
    assert_layout_of_the_decree,
    hold_council_vote,
    make_accepted_nomination,
    make_plan,
    printed_pages,
    submit_posted,
)
from tracker.audit.models import AuditEvent
from tracker.awards import services
from tracker.revocations import services as revocations
from tracker.awards.models import Revocation, RevocationStatus
from tracker.candidates import services as candidates
from tracker.commit import commit
from tracker.errors import InvalidData, WorkflowError
from tracker.extensions import db
from tracker.notifications.models import Notification
from tracker.rules.facts import Result


@pytest.fixture
def streak(users, tree, award):
    """A person with Chiến sĩ thi đua cơ sở three years in a row, nominated for the provincial
    title in a proposal the council voted for."""
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    nomination = make_accepted_nomination(plan, tree["ward_a1"], "Nguyễn Văn Hòa")
    person = nomination.candidate
    records = [candidates.add_award_record(users["committee"], person, award("CSTDCS"), year, f"{year}/QĐ-UBND",
                                           date(year, 12, 20)) for year in (2017, 2018, 2019)]
    hold_council_vote(tree["city_a"], [nomination], award("CSTD_TINH"), day=date(2020, 4, 2), members=5)
    proposal = services.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND", date(2020, 4, 12),
                                        award("CSTD_TINH"), "Chủ tịch UBND tỉnh", [nomination])
    return {"person": person, "records": records, "proposal": proposal}


@pytest.fixture
def decided(users, tree, award):
    """A Giấy khen the city decided for one person of ward A1: (its plan, the award record)."""
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    nomination = make_accepted_nomination(plan, tree["ward_a1"], "Nguyễn Văn Hòa")
    proposal = services.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND", date(2020, 4, 12),
                                        award("GIAY_KHEN"), "Chủ tịch UBND thành phố", [nomination], plan=plan)
    submit_posted(users["committee"], proposal)
    services.approve_proposal(users["leader"], proposal)
    services.record_decision(users["committee"], proposal, "25/QĐ-UBND", date(2020, 4, 14), "A", {proposal.items[0].id})
    [record] = db.session.scalars(select(candidates.AwardRecord)).all()
    return plan, record


def _streak_check(proposal):
    [item] = services.review_proposal(proposal).items
    return next(c for c in item.checks if c.requirement == "cstdcs_streak")


def test_a_revoked_award_breaks_the_streak_and_the_committee_is_told(users, tree, streak):
    assert _streak_check(streak["proposal"]).result is Result.PASS
    revocation = revocations.propose_revocation(users["committee"], streak["records"][1], tree["city_a"],
                                                "Kê khai thành tích không trung thực.", revocations.DEFAULT_BASIS)
    with pytest.raises(WorkflowError):  # one open revocation per award
        revocations.propose_revocation(users["committee"], streak["records"][1], tree["city_a"], "x", "y")
    assert _streak_check(streak["proposal"]).result is Result.PASS  # proposed only: it still counts
    judged = revocations.decide_revocation(users["leader"], revocation, "30/QĐ-UBND", date(2020, 4, 15),
                                           "Nguyễn Văn Thanh")
    commit()
    assert judged == [streak["proposal"]]
    assert streak["records"][1].revoked and revocation.status is RevocationStatus.DECIDED
    assert _streak_check(streak["proposal"]).result is Result.FAIL  # 2018 no longer counts
    told = db.session.scalars(select(Notification).where(Notification.user_id == users["committee"].id)).all()
    assert any("12/TTr-UBND" in n.title for n in told)
    leaders = db.session.scalars(select(Notification).where(Notification.user_id == users["leader"].id)).all()
    assert any("Nguyễn Văn Hòa" in n.title for n in leaders)  # the leader heard of the proposal
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"revocation.proposed", "revocation.decided", "award_record.revoked"} <= actions
    with pytest.raises(WorkflowError):
        revocations.decide_revocation(users["leader"], revocation, "31/QĐ-UBND", date(2020, 4, 16), "A")
    with pytest.raises(WorkflowError):
        revocations.propose_revocation(users["committee"], streak["records"][1], tree["city_a"], "x", "y")


def test_bad_input_is_named_and_a_dismissal_keeps_the_award(users, tree, streak):
    with pytest.raises(InvalidData) as refused:
        revocations.propose_revocation(users["committee"], streak["records"][0], tree["city_a"], " ", "")
    assert set(refused.value.errors) == {"reason", "legal_basis"}
    revocation = revocations.propose_revocation(users["committee"], streak["records"][0], tree["city_a"], "Lý do",
                                                revocations.DEFAULT_BASIS)
    with pytest.raises(InvalidData) as missing:
        revocations.decide_revocation(users["leader"], revocation, "", None, "")
    assert set(missing.value.errors) == {"decision_number", "decision_date", "signer"}
    revocations.dismiss_revocation(users["leader"], revocation, "Đủ căn cứ giữ nguyên.")
    assert not streak["records"][0].revoked and revocation.status is RevocationStatus.DISMISSED


def test_the_pages_the_honour_roll_and_the_document(client, login_as, users, tree, award, app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-20")
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    nominations = [make_accepted_nomination(plan, tree["ward_a1"], name) for name in ("Nguyễn Văn Hòa", "Trần Thị Mai")]
    proposal = services.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND", date(2020, 4, 12),
                                        award("GIAY_KHEN"), "Chủ tịch UBND thành phố", nominations, plan=plan)
    submit_posted(users["committee"], proposal)
    services.approve_proposal(users["leader"], proposal)
    services.record_decision(users["committee"], proposal, "25/QĐ-UBND", date(2020, 4, 14), "Nguyễn Văn Thanh",
                             {item.id for item in proposal.items})
    commit()
    roll = f"/honour-roll/{plan.id}"
    assert "Nguyễn Văn Hòa" in client.get(roll).get_data(as_text=True)
    hoa = nominations[0].candidate
    record = db.session.scalar(select(candidates.AwardRecord).where(candidates.AwardRecord.candidate_id == hoa.id))
    login_as(users["committee"])
    page = client.get(f"/awards/candidates/{hoa.id}").get_data(as_text=True)
    assert f"/awards/revocations/new/{record.id}" in page
    typed = client.post(f"/awards/revocations/new/{record.id}", data={"reason": "", "legal_basis": "Điều 93"})
    assert 'data-field-error="reason"' in typed.get_data(as_text=True) and "Điều 93" in typed.get_data(as_text=True)
    proposed = client.post(f"/awards/revocations/new/{record.id}", data={
        "reason": "Thành tích không đúng sự thật.", "legal_basis": revocations.DEFAULT_BASIS})
    assert proposed.status_code == 302
    revocation = db.session.scalar(select(Revocation))
    assert client.post(f"/awards/revocations/{revocation.id}/decide", data={}).status_code == 403  # leaders decide
    login_as(users["leader"])
    listed = client.get("/awards/revocations/").get_data(as_text=True)
    assert f'data-revocation="{revocation.id}"' in listed and "Nguyễn Văn Hòa" in listed
    decided = client.post(f"/awards/revocations/{revocation.id}/decide", data={
        "decision_number": "30/QĐ-UBND", "decision_date": "15/04/2020", "signer": "Nguyễn Văn Thanh"})
    assert decided.status_code == 302
    anonymous = client.application.test_client()
    html = anonymous.get(roll).get_data(as_text=True)
    assert "Nguyễn Văn Hòa" not in html and "Trần Thị Mai" in html  # gone from the public roll
    page = client.get(f"/awards/candidates/{hoa.id}").get_data(as_text=True)
    assert 'data-revoked="yes"' in page and "30/QĐ-UBND" in page  # struck through with the decision
    job = client.post(f"/awards/revocations/{revocation.id}/quyet-dinh-thu-hoi.docx")
    assert job.status_code == 302 and "/jobs/" in job.location
    login_as(users["committee_b"])  # another city's revocation is out of reach
    assert client.get(f"/awards/revocations/{revocation.id}").status_code == 404
    assert client.get(f"/awards/revocations/new/{record.id}").status_code == 404


def test_the_revocation_decision_document(users, tree, streak, tmp_path):
    import io

    from docx import Document

    from tracker.awards import documents

    revocation = revocations.propose_revocation(users["committee"], streak["records"][1], tree["city_a"],
                                                "Kê khai thành tích không trung thực.", revocations.DEFAULT_BASIS)
    revocations.decide_revocation(users["leader"], revocation, "30/QĐ-UBND", date(2020, 4, 15), "Nguyễn Văn Thanh")
    text = "\n".join(p.text for p in Document(io.BytesIO(documents.revocation_docx(revocation))).paragraphs)
    assert "Về việc hủy bỏ quyết định tặng Chiến sĩ thi đua cơ sở" in text
    assert "Căn cứ Khoản 2 Điều 93 Luật Thi đua, khen thưởng số 06/2022/QH15;" in text
    assert "Căn cứ Quyết định số 2018/QĐ-UBND ngày 20 tháng 12 năm 2018 về việc tặng Chiến sĩ thi đua cơ sở;" in text
    assert "Điều 1. Hủy bỏ việc tặng Chiến sĩ thi đua cơ sở năm 2018 đối với Nguyễn Văn Hòa" in text
    assert "Lý do: Kê khai thành tích không trung thực." in text
    data = documents.revocation_docx(revocation)
    assert_layout_of_the_decree(Document(io.BytesIO(data)))
    first, *others = printed_pages(data, tmp_path, "quyet-dinh-thu-hoi")  # through LibreOffice, when installed
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in row for row in first.splitlines())
    assert "40/QĐ-UBND" not in first and "30/QĐ-UBND" in first and not others


def test_the_roll_may_keep_a_revoked_award_marked(users, tree, decided):
    from tracker.honours import queries

    plan, record = decided
    revocation = revocations.propose_revocation(users["committee"], record, tree["city_a"], "Lý do", "Điều 93")
    revocations.decide_revocation(users["leader"], revocation, "30/QĐ-UBND", date(2020, 4, 15), "A")
    assert queries.roll_count(plan) == 0 and queries.plans_with_awards() == []
    [row] = db.session.execute(queries.roll_query(plan, show_revoked=True)).all()
    assert queries.to_honoured(row).revoked and queries.roll_count(plan, show_revoked=True) == 1


def test_an_award_the_tracker_decided_is_revoked_from_the_level_that_proposed_it(users, tree, decided):
    _plan, record = decided
    with pytest.raises(WorkflowError) as refused:  # the ward did not propose it
        revocations.propose_revocation(users["committee"], record, tree["ward_a1"], "Lý do", "Điều 93")
    assert "Thành phố A" in str(refused.value)
    assert revocations.propose_revocation(users["committee"], record, tree["city_a"], "Lý do", "Điều 93")

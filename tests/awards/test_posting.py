"""The public posting of a proposal's list: its working days on the calendar (holidays and days
an admin recorded), the objections from the public that block the submission until resolved, and
the public page with its honeypot and its limit per address."""
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import complete_dossier, make_accepted_nomination, make_plan
from tracker import clock
from tracker.awards import posting, services
from tracker.awards.models import ObjectionStatus, ProposalStatus, PublicObjection
from tracker.catalogue import services as catalogue_services
from tracker.catalogue.models import AwardType
from tracker.commit import commit
from tracker.errors import DomainError, InvalidData, WorkflowError
from tracker.extensions import db
from tracker.notifications.models import Notification
from tracker.workdays import services as workdays

MONDAY_30_MARCH = date(2020, 3, 30)


@pytest.fixture
def proposal(users, tree):
    catalogue_services.load_catalogue(None)
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    nominees = [make_accepted_nomination(plan, tree["ward_a1"], name) for name in ("Nguyễn Văn Hòa", "Trần Thị Mai")]
    award = db.session.scalar(select(AwardType).where(AwardType.code == "GIAY_KHEN", AwardType.regime == "2017"))
    return complete_dossier(services.create_proposal(users["committee"], tree["city_a"], "12/TTr-UBND",
                                                     MONDAY_30_MARCH, award, "Chủ tịch UBND thành phố", nominees,
                                                     plan=plan))


def test_the_posting_runs_five_working_days_past_a_holiday(users, proposal):
    with clock.pinned(date(2020, 3, 31)):
        state = posting.post_publicly(users["committee"], proposal)
        with pytest.raises(WorkflowError):  # posted once
            posting.post_publicly(users["committee"], proposal)
    # 31/3, 1/4, (2/4 Giỗ Tổ Hùng Vương), 3/4, (4–5/4 the weekend), 6/4, 7/4
    assert state.ends == date(2020, 4, 7)
    with clock.pinned(date(2020, 4, 7)), pytest.raises(DomainError) as early:
        services.submit_proposal(users["committee"], proposal)
    assert "07/04/2020" in str(early.value)
    with clock.pinned(date(2020, 4, 8)):
        services.submit_proposal(users["committee"], proposal)
    assert proposal.status is ProposalStatus.SUBMITTED


def test_a_day_off_the_admin_records_lengthens_the_posting(users, proposal):
    workdays.add_day(users["admin_root"], date(2020, 4, 6), False, "Nghỉ bù")
    with clock.pinned(date(2020, 3, 31)):
        assert posting.post_publicly(users["committee"], proposal).ends == date(2020, 4, 8)


def test_not_posted_is_not_submitted_and_a_later_nominee_posts_again(users, tree, proposal):
    with pytest.raises(DomainError):
        services.submit_proposal(users["committee"], proposal)
    with clock.pinned(date(2020, 3, 31)):
        posting.post_publicly(users["committee"], proposal)
    services.add_items(users["committee"], proposal, [make_accepted_nomination(proposal.plan, tree["ward_a2"], "Lê Văn An")])
    assert proposal.posted_since is None  # a longer list: posted again


def test_objections_block_until_each_is_resolved(users, proposal):
    hoa, mai = (item.nomination for item in proposal.items)
    with clock.pinned(date(2020, 3, 31)):
        posting.post_publicly(users["committee"], proposal)
    with clock.pinned(date(2020, 4, 1)):
        with pytest.raises(InvalidData) as refused:
            posting.object_to(proposal, None, "", "", "x" * 2001)
        assert set(refused.value.errors) == {"name", "contact", "text", "nomination_id"}
        first = posting.object_to(proposal, hoa.id, "Trần Văn Bình", "0234 3822 111", "Chưa đủ thời gian công tác.")
        second = posting.object_to(proposal, mai.id, "Lê Thị Cúc", "Tổ 5, phường A1", "Đã bị kỷ luật năm 2019.")
    commit()
    told = db.session.scalars(select(Notification).where(Notification.user_id == users["committee"].id)).all()
    assert len([n for n in told if "12/TTr-UBND" in n.title]) == 2
    with clock.pinned(date(2020, 4, 8)):
        with pytest.raises(WorkflowError):  # the posting is over: no more objections
            posting.object_to(proposal, hoa.id, "A", "B", "C")
        with pytest.raises(DomainError) as blocked:
            services.submit_proposal(users["committee"], proposal)
        assert "2" in str(blocked.value)
        with pytest.raises(InvalidData):  # a dismissal gives its reason
            posting.resolve_objection(users["committee"], first, False, " ")
        posting.resolve_objection(users["committee"], first, False, "Đã xác minh: công tác từ năm 2012.")
        posting.resolve_objection(users["committee"], second, True, "")
        with pytest.raises(WorkflowError):
            posting.resolve_objection(users["committee"], second, False, "Đổi ý")
        assert [i.nomination_id for i in proposal.items] == [hoa.id]  # upheld: Mai withdrawn
        assert (first.status, second.status) == (ObjectionStatus.DISMISSED, ObjectionStatus.UPHELD)
        services.submit_proposal(users["committee"], proposal)


def test_the_public_page_and_its_form(client, login_as, users, proposal, app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-01")
    monkeypatch.setitem(app.config, "OBJECTION_LIMIT_PER_ADDRESS", "2 per hour")
    url = f"/cong-khai/{proposal.id}"
    assert client.get(url).status_code == 404  # not posted yet
    with clock.pinned(date(2020, 3, 31)):
        posting.post_publicly(users["committee"], proposal)
    commit()
    listed = client.get("/cong-khai/").get_data(as_text=True)
    assert url in listed
    page = client.get(url).get_data(as_text=True)
    assert "Nguyễn Văn Hòa" in page and "Trần Thị Mai" in page and "1980" not in page  # public fields only
    hoa = proposal.items[0].nomination_id
    typed = client.post(url, data={"nomination_id": str(hoa), "name": "Trần Văn Bình", "contact": "",
                                   "text": "Chưa đủ thời gian công tác."})
    body = typed.get_data(as_text=True)
    assert typed.status_code == 200 and 'data-field-error="contact"' in body and "Chưa đủ thời gian công tác." in body
    bot = client.post(url, data={"nomination_id": str(hoa), "name": "x", "contact": "x", "text": "spam",
                                 "website": "http://spam.invalid"})
    assert bot.status_code == 302 and db.session.scalar(select(func.count(PublicObjection.id))) == 0
    sent = client.post(url, data={"nomination_id": str(hoa), "name": "Trần Văn Bình", "contact": "0234 3822 111",
                                  "text": "Chưa đủ thời gian công tác."})
    assert sent.status_code == 302 and db.session.scalar(select(func.count(PublicObjection.id))) == 1
    client.post(url, data={"nomination_id": str(hoa), "name": "B", "contact": "C", "text": "D"})
    assert client.post(url, data={"nomination_id": str(hoa), "name": "B", "contact": "C", "text": "D"}).status_code == 429
    login_as(users["committee"])  # the committee sees the objections on the proposal's page and resolves them
    page = client.get(f"/awards/proposals/{proposal.id}").get_data(as_text=True)
    assert 'data-testid="posting"' in page and "Chưa đủ thời gian công tác." in page and "0234 3822 111" in page
    objection = db.session.scalars(select(PublicObjection).order_by(PublicObjection.id)).first()
    empty = client.post(f"/awards/proposals/{proposal.id}/objections/{objection.id}/resolve",
                        data={f"o{objection.id}-outcome": "dismissed", f"o{objection.id}-resolution": ""})
    assert 'data-field-error="o%d-resolution"' % objection.id in empty.get_data(as_text=True)
    resolved = client.post(f"/awards/proposals/{proposal.id}/objections/{objection.id}/resolve",
                           data={f"o{objection.id}-outcome": "dismissed", f"o{objection.id}-resolution": "Đã xác minh."})
    assert resolved.status_code == 302
    login_as(users["committee_b"])  # another city's proposal and objection: out of reach
    assert client.post(f"/awards/proposals/{proposal.id}/objections/{objection.id}/resolve", data={}).status_code == 404
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-08")
    assert client.get(url).status_code == 404  # the posting is over: the page is gone

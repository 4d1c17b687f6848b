"""A unit's council: members with their roles over time, one chair at a time, kept by the
unit's committee and admins, read by its leaders; another unit's council is out of reach."""
from datetime import date

import pytest
from sqlalchemy import select

from tracker.commit import commit
from tracker.councils import services
from tracker.councils.models import CouncilMember, CouncilRole
from tracker.errors import InvalidData, WorkflowError
from tracker.extensions import db


def test_memberships_over_time_and_one_chair_at_a_time(users, tree):
    city = tree["city_a"]
    chair = services.add_member(users["committee"], city, "Nguyễn Văn An", "Chủ tịch UBND", CouncilRole.CHAIR,
                                date(2019, 1, 1))
    services.add_member(users["committee"], city, "Trần Thị Bình", "Phó Chủ tịch UBND", CouncilRole.VICE_CHAIR,
                        date(2019, 1, 1))
    with pytest.raises(InvalidData) as refused:
        services.add_member(users["committee"], city, "Lê Văn Cường", "", CouncilRole.CHAIR, date(2020, 1, 1))
    assert "role" in refused.value.errors
    services.end_membership(users["committee"], chair, date(2019, 12, 31))
    with pytest.raises(WorkflowError):
        services.end_membership(users["committee"], chair, date(2020, 1, 5))
    services.add_member(users["committee"], city, "Lê Văn Cường", "Chủ tịch UBND", CouncilRole.CHAIR, date(2020, 1, 1))
    commit()
    assert [m.full_name for m in services.members_on(city, date(2019, 6, 1))] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert [m.full_name for m in services.members_on(city, date(2020, 4, 20))] == ["Lê Văn Cường", "Trần Thị Bình"]
    assert len(services.memberships(city)) == 3  # the ended one stays in the history


def test_bad_input_is_named_field_by_field(users, tree):
    with pytest.raises(InvalidData) as refused:
        services.add_member(users["committee"], tree["city_a"], " ", "x" * 201, None, None)
    assert set(refused.value.errors) == {"full_name", "position", "role", "since"}
    member = services.add_member(users["committee"], tree["city_a"], "An", "", CouncilRole.MEMBER, date(2020, 3, 1))
    with pytest.raises(InvalidData) as early:
        services.end_membership(users["committee"], member, date(2020, 2, 1))
    assert "until" in early.value.errors


def test_the_council_page(client, login_as, users, tree, app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")
    login_as(users["committee"])
    added = client.post("/council/", data={"full_name": "Nguyễn Văn An", "position": "Chủ tịch UBND thành phố",
                                           "role": "chair", "since": "01/01/2020"})
    assert added.status_code == 302
    page = client.get("/council/").get_data(as_text=True)
    assert "Nguyễn Văn An" in page and "Chủ tịch" in page and 'data-testid="council-serving"' in page
    typed = client.post("/council/", data={"full_name": "", "position": "Giữ nguyên", "role": "member",
                                           "since": "01/01/2020"}).get_data(as_text=True)
    assert 'data-field-error="full_name"' in typed and "Giữ nguyên" in typed  # nothing typed is lost
    member = db.session.scalar(select(CouncilMember))
    assert client.post(f"/council/members/{member.id}/end", data={f"m{member.id}-until": "31/03/2020"}).status_code == 302
    assert 'data-testid="council-history"' in client.get("/council/").get_data(as_text=True)
    login_as(users["leader"])  # leaders read it, cannot change it
    assert client.get("/council/").status_code == 200
    assert client.post("/council/", data={"full_name": "X", "role": "member", "since": "01/01/2020"}).status_code == 403
    login_as(users["committee_b"])  # another city's council member is out of reach
    assert client.post(f"/council/members/{member.id}/end", data={}).status_code == 404
    login_as(users["officer"])
    assert client.get("/council/").status_code == 403

"""The deadline view and a unit's obligation detail."""
import re
from datetime import date

import pytest

from tests.factories import make_milestone, make_plan, make_report
from tracker.deadlines.queries import build_timeline
from tracker.plans.models import MilestoneScope
from tracker.commit import commit


@pytest.fixture
def campaign(tree, users, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    grassroots = make_milestone(plan, title="Hội nghị cấp xã, phường")
    city = make_milestone(plan, title="Hội nghị thành phố lần thứ V", start=date(2020, 4, 20), due=date(2020, 4, 25),
                          scope=MilestoneScope.ISSUING_UNIT, kinds="")
    make_report(users["officer"], grassroots, status="submitted")  # a complete report, handed in
    commit()
    return {"plan": plan, "grassroots": grassroots, "city": city}


def test_timeline_positions_and_today():
    class M:
        def __init__(self, id, start, due):
            self.id, self.start_date, self.due_date = id, start, due

    timeline = build_timeline([M(1, date(2020, 1, 1), date(2020, 3, 31)), M(2, date(2020, 4, 20), date(2020, 4, 25))],
                              date(2020, 4, 10))
    assert [label for _x, label in timeline.months] == ["01/2020", "02/2020", "03/2020", "04/2020"]
    first, second = timeline.bars
    assert first.x == 0 and first.state == "past" and second.state == "future"
    assert first.x + first.width == pytest.approx(timeline.months[3][0], abs=0.2)  # ends where April starts
    assert timeline.months[3][0] < timeline.today_x < second.x
    assert build_timeline([], date(2020, 4, 10)) is None


def test_leader_sees_the_timeline_counts_and_late_units(client, login_as, users, campaign):
    login_as(users["leader"])
    html = client.get("/deadlines/").get_data(as_text=True)
    assert 'data-testid="timeline"' in html and "tl-today" in html
    assert "Hội nghị thành phố lần thứ V" in html and "20/04/2020 – 25/04/2020" in html
    assert f'href="/deadlines/{campaign["grassroots"].id}/units/' in html
    assert ">Xã A2</a>" in html and ">Phường A1</a>" not in html  # A1 handed in
    assert '<strong data-count="late" data-testid="progress-late">1</strong>' in html


def test_filter_by_subunit(client, login_as, users, campaign, tree):
    login_as(users["leader"])
    html = client.get(f"/deadlines/?plan={campaign['plan'].id}&unit={tree['ward_a1'].id}").get_data(as_text=True)
    assert '<strong data-count="late" data-testid="progress-late">0</strong>' in html and ">Xã A2</a>" not in html


def test_filter_by_unit_outside_scope_is_404(client, login_as, users, campaign, tree):
    login_as(users["leader"])
    assert client.get(f"/deadlines/?unit={tree['ward_b1'].id}").status_code == 404


def test_ward_officer_has_no_deadline_view(client, login_as, users, campaign):
    login_as(users["officer"])
    assert client.get("/deadlines/").status_code == 403


def test_leader_of_city_b_sees_nothing_of_city_a(client, login_as, users, campaign, tree):
    login_as(users["leader_b"])
    html = client.get("/deadlines/").get_data(as_text=True)
    assert "Hội nghị cấp xã, phường" not in html
    assert client.get(f"/deadlines/?plan={campaign['plan'].id}").status_code == 404
    url = f"/deadlines/{campaign['grassroots'].id}/units/{tree['ward_a2'].id}"
    assert client.get(url).status_code == 404


def test_obligation_detail(client, login_as, users, campaign, tree):
    login_as(users["leader"])
    html = client.get(f"/deadlines/{campaign['grassroots'].id}/units/{tree['ward_a2'].id}").get_data(as_text=True)
    assert "Xã A2" in html and 'data-status="late"' in html
    assert users["officer_a2"].full_name in html and users["officer"].full_name not in html


def test_obligation_that_does_not_apply_is_404(client, login_as, users, campaign, tree):
    login_as(users["leader"])
    assert client.get(f"/deadlines/{campaign['city'].id}/units/{tree['ward_a1'].id}").status_code == 404


def test_ward_officer_sees_own_obligation_only(client, login_as, users, campaign, tree):
    login_as(users["officer"])
    assert client.get(f"/deadlines/{campaign['grassroots'].id}/units/{tree['ward_a1'].id}").status_code == 200
    assert client.get(f"/deadlines/{campaign['grassroots'].id}/units/{tree['ward_a2'].id}").status_code == 404


def test_print_stylesheet_hides_navigation(client):
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert "@media print" in css and ".navbar" in css


def test_the_unit_list_drills_down_from_the_province(client, login_as, tree, campaign, db):
    from tests.factories import make_user
    from tracker.users.models import Role

    login_as(make_user(Role.LEADER, tree["province"], "leader_province"))
    commit()

    def options(url):
        html = client.get(url).get_data(as_text=True)
        select = re.search(r'<select[^>]*name="unit"[^>]*>(.*?)</select>', html, re.S).group(1)
        return [label.replace("— ", "").strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]

    assert options("/deadlines/") == ["Tỉnh Thử Nghiệm", "Thành phố A", "Thành phố B"]
    assert options(f"/deadlines/?unit={tree['city_b'].id}") == [
        "Tỉnh Thử Nghiệm", "Thành phố A", "Thành phố B", "Phường B1", "Phường B2"]

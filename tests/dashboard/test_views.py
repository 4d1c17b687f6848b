"""Each role's home page shows its real content."""
from datetime import date

import pytest

from tests.factories import make_milestone, make_plan, make_report
from tracker.plans.models import MilestoneScope
from tracker.commit import commit


@pytest.fixture
def campaign(tree, users, db, app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-10")
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    grassroots = make_milestone(plan, title="Hội nghị cấp xã, phường")
    make_milestone(plan, title="Hội nghị thành phố lần thứ V", start=date(2020, 4, 20), due=date(2020, 4, 25),
                   scope=MilestoneScope.ISSUING_UNIT, kinds="")
    make_report(users["officer"], grassroots, status="submitted")
    from tests.factories import make_accepted_nomination

    make_accepted_nomination(plan, tree["ward_a1"], "Nguyễn Văn Hòa")
    commit()
    return plan


def test_ward_officer_sees_own_milestones_with_status_and_days_left(client, login_as, users, campaign):
    login_as(users["officer_a2"])
    html = client.get("/").get_data(as_text=True)
    assert "Hội nghị cấp xã, phường" in html
    assert 'data-status="late"' in html and "10 ngày" in html  # due 31/03, today 10/04
    assert "Hội nghị thành phố lần thứ V" not in html  # the city's own milestone
    assert "10/04/2020" in html


def test_committee_sees_counts_by_status(client, login_as, users, campaign):
    login_as(users["committee"])
    html = client.get("/").get_data(as_text=True)
    assert 'data-testid="report-counts"' in html and 'data-testid="nomination-counts"' in html
    import re

    submitted = re.search(r'data-testid="report-counts".*?data-status="submitted".*?text-end">(\d+)<', html, re.S)
    assert submitted.group(1) == "1"
    accepted = re.search(r'data-testid="nomination-counts".*?data-status="accepted".*?text-end">(\d+)<', html, re.S)
    assert accepted.group(1) == "1"


def test_leader_sees_next_deadlines_and_what_is_late(client, login_as, users, campaign):
    login_as(users["leader"])
    html = client.get("/").get_data(as_text=True)
    assert "Hội nghị thành phố lần thứ V" in html and "20/04/2020" in html and "25/04/2020" in html
    assert 'data-testid="late-unit">Xã A2<' in html
    assert "Phường A1</li>" not in html


def test_leader_of_another_city_sees_nothing_of_city_a(client, login_as, users, campaign):
    login_as(users["leader_b"])
    html = client.get("/").get_data(as_text=True)
    assert "Hội nghị thành phố lần thứ V" not in html and "Xã A2" not in html


def test_numbers_use_vietnamese_separators(app):
    from tracker.formatting import format_number

    with app.test_request_context("/"):
        assert format_number(15000000) == "15.000.000"

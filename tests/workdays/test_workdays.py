"""Working days and the time limits counted in them: the law's holidays (with Tết, days off in
lieu and Saturdays worked), the days an admin records, proposals past their time limit on the
leaders' pages."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from tests.factories import make_accepted_nomination, make_plan, submit_posted
from tracker.awards import services as awards
from tracker.catalogue import services as catalogue
from tracker.catalogue.models import AwardType
from tracker.commit import commit
from tracker.extensions import db
from tracker.rules.workdays import WorkingCalendar, parse_overrides, processing_days
from tracker.workdays import services as workdays
from tracker.workdays.models import CalendarDay


def test_ten_working_days_skip_weekends_and_the_holidays_inside():
    calendar = WorkingCalendar()
    # Received Monday 20/04/2020: 30/04 and 01/05 are holidays, the weekends do not count.
    assert calendar.add_working_days(date(2020, 4, 20), 10) == date(2020, 5, 6)
    # Over Tết 2020 (23/01–29/01 off): received Wednesday 22/01, ten working days end 12/02.
    assert calendar.add_working_days(date(2020, 1, 22), 10) == date(2020, 2, 12)
    assert calendar.working_days_between(date(2020, 5, 6), date(2020, 5, 8)) == 2


def test_a_saturday_worked_in_exchange_counts_and_a_recorded_day_off_does_not():
    law = WorkingCalendar()
    assert law.is_working_day(date(2026, 8, 22)) and not law.is_working_day(date(2026, 8, 31))
    decided = WorkingCalendar(days_off={date(2020, 5, 4)}, days_worked={date(2020, 5, 9)})
    assert decided.add_working_days(date(2020, 4, 20), 10) == date(2020, 5, 7)  # 04/05 off: one day later
    assert decided.add_working_days(date(2020, 5, 7), 1) == date(2020, 5, 8)
    assert decided.add_working_days(date(2020, 5, 8), 1) == date(2020, 5, 9)  # the Saturday worked
    assert not decided.is_working_day(date(2020, 5, 4)) and decided.is_working_day(date(2020, 5, 9))


def test_processing_days_by_level_with_their_confidence_and_the_settings_override():
    assert processing_days("commune") == (10, "S") and processing_days("province")[1] == "U"
    assert processing_days("city", parse_overrides("city=15, ward=x")) == (15, "V")
    assert parse_overrides("ward=10,nonsense,city=") == {"ward": 10}


@pytest.fixture
def waiting(users, tree, app, monkeypatch):
    """A Giấy khen proposal of ward A1 handed in on 20/04/2020, approved, not decided."""
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-05-12")
    catalogue.load_catalogue(None)
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    nomination = make_accepted_nomination(plan, tree["ward_a1"], "Nguyễn Văn Hòa")
    award = db.session.scalar(select(AwardType).where(AwardType.code == "GIAY_KHEN", AwardType.regime == "2017"))
    proposal = awards.create_proposal(users["committee"], tree["ward_a1"], "5/TTr-UBND", date(2020, 4, 20), award,
                                      "Chủ tịch UBND phường", [nomination], plan=plan)
    submit_posted(users["committee"], proposal)
    proposal.submitted_at = datetime(2020, 4, 20, 3, 0, tzinfo=timezone.utc)
    commit()
    return plan, proposal


def test_a_proposal_past_its_time_limit_shows_on_the_leaders_pages(client, login_as, users, waiting):
    plan, proposal = waiting
    count, late = awards.overdue_proposals(users["leader"].unit, date(2020, 5, 12), workdays.calendar())
    # Ward: 10 working days from 20/04 end 06/05; on 12/05 it is 4 working days late.
    assert count == 1 and (late[0].due, late[0].working_days_late) == (date(2020, 5, 6), 4)
    login_as(users["leader"])
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="overdue-proposals"' in home and "5/TTr-UBND" in home and "4 ngày làm việc" in home
    page = client.get(f"/deadlines/?plan={plan.id}").get_data(as_text=True)
    assert "5/TTr-UBND" in page and "06/05/2020" in page
    login_as(users["leader_b"])  # another city sees none of it
    assert "5/TTr-UBND" not in client.get("/").get_data(as_text=True)


def test_a_day_off_recorded_by_the_admin_moves_the_time_limit(client, login_as, users, tree, waiting):
    from tests.factories import make_user
    from tracker.users.models import Role

    root = make_user(Role.ADMIN, tree["province"], "admin_root_wd")
    commit()
    login_as(root)
    assert client.get("/admin/working-days/").status_code == 200
    refused = client.post("/admin/working-days/", data={"day": "31/02/2020", "working": "off", "note": "Nghỉ bù"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and 'data-field-error="day"' in html and "Nghỉ bù" in html
    no_reason = client.post("/admin/working-days/", data={"day": "04/05/2020", "working": "off", "note": ""})
    assert 'data-field-error="note"' in no_reason.get_data(as_text=True)
    assert client.post("/admin/working-days/", data={"day": "04/05/2020", "working": "off",
                                                 "note": "Nghỉ bù theo Thông báo của Chính phủ"}).status_code == 302
    again = client.post("/admin/working-days/", data={"day": "04/05/2020", "working": "work", "note": "Trùng"})
    assert 'data-field-error="day"' in again.get_data(as_text=True)
    _count, late = awards.overdue_proposals(users["leader"].unit, date(2020, 5, 12), workdays.calendar())
    assert (late[0].due, late[0].working_days_late) == (date(2020, 5, 7), 3)
    row = db.session.scalar(select(CalendarDay))
    client.post(f"/admin/working-days/{row.id}/remove")
    assert db.session.scalar(select(CalendarDay)) is None
    login_as(users["admin"])  # an admin below the root keeps no national calendar
    assert client.get("/admin/working-days/").status_code == 403

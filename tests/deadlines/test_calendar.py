"""The personal iCalendar feed, checked with two independent parsers."""
from datetime import date, datetime, timedelta, timezone

import icalendar
import pytest
import vobject

from tests.factories import make_milestone, make_plan
from tracker.plans.models import MilestoneScope
from tracker.users.services import regenerate_calendar_token
from tracker.commit import commit


@pytest.fixture
def plan(tree, db):
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    make_milestone(plan, title="Hội nghị cấp xã, phường", start=date(2020, 1, 1), due=date(2020, 3, 31))
    make_milestone(plan, title="Hội nghị thành phố lần thứ V", start=date(2020, 4, 20), due=date(2020, 4, 25),
                   scope=MilestoneScope.ISSUING_UNIT, kinds="")
    make_milestone(make_plan(tree["city_b"]), title="Mốc của thành phố B")
    commit()
    return plan


def _feed(client, db, user):
    token = regenerate_calendar_token(user)
    commit()
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    return response.data, token


def test_feed_parses_with_icalendar(client, db, users, plan, app):
    body, _token = _feed(client, db, users["leader"])
    calendar = icalendar.Calendar.from_ical(body)
    events = {e["summary"]: e for e in calendar.walk("VEVENT")}
    city = events["Hội nghị thành phố lần thứ V (156/KH-UBND)"]
    assert city.decoded("dtstart") == date(2020, 4, 20)
    assert city.decoded("dtend") == date(2020, 4, 26)  # all-day: the day after the due date
    alarm = city.walk("VALARM")[0]
    trigger = alarm.decoded("trigger")
    due_minus = date(2020, 4, 25) - timedelta(days=app.config["CALENDAR_ALARM_DAYS"])
    assert trigger.astimezone(timezone(timedelta(hours=7))).date() == due_minus
    assert not any("thành phố B" in s for s in events)


def test_feed_parses_with_vobject(client, db, users, plan):
    body, _token = _feed(client, db, users["leader"])
    calendar = vobject.readOne(body.decode("utf-8"))
    events = {e.summary.value: e for e in calendar.vevent_list}
    grassroots = events["Hội nghị cấp xã, phường (156/KH-UBND)"]
    assert grassroots.dtstart.value == date(2020, 1, 1) and grassroots.dtend.value == date(2020, 4, 1)
    assert isinstance(grassroots.valarm.trigger.value, datetime)
    assert len(events) == 2


def test_ward_officer_feed_has_only_their_obligations(client, db, users, plan):
    body, _token = _feed(client, db, users["officer"])
    summaries = [str(e["summary"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")]
    assert summaries == ["Hội nghị cấp xã, phường (156/KH-UBND)"]


def test_regenerating_revokes_the_old_link(client, db, users, plan):
    _body, old = _feed(client, db, users["leader"])
    _body, new = _feed(client, db, users["leader"])
    assert old != new
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_unknown_token_and_deactivated_user(client, db, users, plan):
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    _body, token = _feed(client, db, users["leader"])
    users["leader"].active = False
    commit()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_account_page_shows_and_regenerates_the_link(client, login_as, users, db):
    login_as(users["officer"])
    assert 'data-testid="calendar-url"' not in client.get("/account").get_data(as_text=True)
    assert client.post("/account/calendar-token").status_code == 302
    html = client.get("/account").get_data(as_text=True)
    db.session.expire_all()
    assert f"/calendar/{users['officer'].calendar_token}.ics" in html

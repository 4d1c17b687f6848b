"""The personal iCalendar feed: milestones as all-day events over their window, with an alarm."""
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.obligations import status as obligations
from tracker import clock
from tracker.extensions import db
from tracker.plans import services as plans
from tracker.plans.models import Milestone, Plan, PlanStatus
from tracker.users.models import Role

ALARM_HOUR = 8  # local time of the reminder on its day


def milestones_for(user, today: date) -> list[Milestone]:
    """The milestones in the user's scope: a ward officer's obligations; for everyone else the
    milestones of the active plans they can see."""
    if user.role is Role.WARD_OFFICER:
        return [o.milestone for o in obligations.obligations_for_unit(user.unit, today)]
    visible = plans.visible_plans(user).where(Plan.status == PlanStatus.ACTIVE).subquery()
    return list(db.session.scalars(
        select(Milestone)
        .where(Milestone.plan_id.in_(select(visible.c.id)))
        .options(joinedload(Milestone.plan))
        .order_by(Milestone.due_date, Milestone.id)
    ))


def build_feed(milestones: list[Milestone], calendar_name: str, alarm_days: int, tz_name: str,
               host: str = "tracker") -> bytes:
    """An RFC 5545 calendar with one all-day event per milestone (DTEND is the day after the
    due date, as all-day events require) and an alarm `alarm_days` days before the due date."""
    tz = ZoneInfo(tz_name)
    cal = Calendar()
    cal.add("prodid", "-//Theo doi Thi dua - Khen thuong//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-wr-timezone", tz_name)
    stamp = clock.now().replace(microsecond=0)
    for m in milestones:
        event = Event()
        event.add("uid", f"milestone-{m.id}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", m.start_date)
        event.add("dtend", m.due_date + timedelta(days=1))
        event.add("summary", f"{m.title} ({m.plan.number})")
        lines = [f"{m.plan.number}: {m.plan.title}",
                 f"{m.start_date:%d/%m/%Y} – {m.due_date:%d/%m/%Y}"]
        if m.note:
            lines.append(m.note)
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        alarm_day = m.due_date - timedelta(days=alarm_days)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{m.title}: {m.due_date:%d/%m/%Y}")
        alarm.add("trigger", datetime.combine(alarm_day, time(ALARM_HOUR), tz).astimezone(timezone.utc))
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()

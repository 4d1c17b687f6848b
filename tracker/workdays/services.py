"""The working-day calendar the time limits are counted on: the law's holidays and the days an
administrator records (audited)."""
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from tracker import changes as noted
from tracker.audit.services import record
from tracker.errors import InvalidData
from tracker.extensions import db
from tracker.rules.workdays import WorkingCalendar
from tracker.workdays.models import CalendarDay


def recorded_days() -> list[CalendarDay]:
    return list(db.session.scalars(select(CalendarDay).order_by(CalendarDay.day.desc())))


def calendar() -> WorkingCalendar:
    """The calendar of working days, with the recorded days (one read)."""
    days = recorded_days()
    return WorkingCalendar(days_off={d.day for d in days if not d.working},
                           days_worked={d.day for d in days if d.working})


def add_day(actor, day: date | None, working: bool, note: str) -> CalendarDay:
    """Record a day off or a day worked; one record a day (InvalidData with the field's message)."""
    note = (note or "").strip()
    errors: dict[str, list] = {}
    if day is None:
        errors.setdefault("day", []).append(_l("Enter a valid date."))
    elif db.session.scalar(select(CalendarDay.id).where(CalendarDay.day == day)):
        errors.setdefault("day", []).append(_l("This day is already recorded: remove it first to change it."))
    if not note:
        errors.setdefault("note", []).append(_l("Say why (the decision that gave or moved the day)."))
    elif len(note) > 200:
        errors.setdefault("note", []).append(_l("At most %(max)s characters.", max=200))
    if errors:
        raise InvalidData(errors)
    row = CalendarDay(day=day, working=working, note=note, created_by_id=actor.id if actor else None)
    db.session.add(row)
    db.session.flush()
    record(actor, "calendar_day.created", row, f"{day:%d/%m/%Y}: {note}")
    noted.shared_changed(db.session)  # every time limit counted on the calendar may move
    return row


def remove_day(actor, row: CalendarDay) -> None:
    record(actor, "calendar_day.removed", row, f"{row.day:%d/%m/%Y}: {row.note}")
    db.session.delete(row)
    noted.shared_changed(db.session)

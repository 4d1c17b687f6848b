"""The one place that reads the system clock: what day it is and what time it is.

Domain time, `today()` and `now()`: TRACKER_TODAY (YYYY-MM-DD) pins the day for a demo or a
test. Then `today()` is that day and `now()` is that day at the current local time of day, so
what is recorded under a pinned day (a submission, an audit row, a record's creation) carries that
day, and records of one day keep their real order. Without the setting, the real date and time
in the tracker's time zone (BABEL_DEFAULT_TIMEZONE, Asia/Ho_Chi_Minh; the system's own zone
outside an application). `now()` is aware and in UTC, as timestamps are stored; its local date is
always `today()`.

Security time, `utcnow_real()`: never pinned. Session expiry and sign-in throttling use it, so
a pinned demo day cannot expire (or prolong) anyone's session.
"""
from contextlib import contextmanager
from datetime import date, datetime, timezone, tzinfo
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context


def zone() -> tzinfo:
    """The tracker's local time zone."""
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    if name:
        return ZoneInfo(name)
    return datetime.now().astimezone().tzinfo


def pinned_day() -> date | None:
    """The day TRACKER_TODAY pins, or None for the real date."""
    pinned = current_app.config.get("TRACKER_TODAY") if has_app_context() else None
    return date.fromisoformat(str(pinned)) if pinned else None


def today() -> date:
    """The tracker's today: the pinned day, otherwise the local date."""
    return pinned_day() or datetime.now(zone()).date()


def now() -> datetime:
    """The tracker's now, UTC-aware: the pinned day at the current local time of day, otherwise
    the real time. For every timestamp the tracker records about its own work."""
    local = datetime.now(zone())
    pinned = pinned_day()
    if pinned is not None:
        local = local.replace(year=pinned.year, month=pinned.month, day=pinned.day)
    return local.astimezone(timezone.utc)


def local_day(moment: datetime) -> date:
    """The local day of a stored moment (UTC; SQLite gives it back without its zone)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(zone()).date()


def utcnow_real() -> datetime:
    """The real time, UTC-aware, whatever TRACKER_TODAY says: for security timing only (session
    lifetimes, sign-in throttling windows)."""
    return datetime.now(timezone.utc)


@contextmanager
def pinned(day: date):
    """Within the block, the tracker's day is `day` (TRACKER_TODAY), then what it was: the demo
    records each of its steps on the day it happens, so a report handed in on 04/03/2020 says so."""
    config = current_app.config
    before = config.get("TRACKER_TODAY")
    config["TRACKER_TODAY"] = day.isoformat()
    try:
        yield
    finally:
        config["TRACKER_TODAY"] = before

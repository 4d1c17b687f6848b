"""The one place that says what day it is: TRACKER_TODAY pins it, otherwise the real date."""
from datetime import date, datetime

from flask import current_app, has_app_context


def today() -> date:
    pinned = current_app.config.get("TRACKER_TODAY") if has_app_context() else None
    if pinned:
        return date.fromisoformat(str(pinned))
    tz_name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    if tz_name:
        from zoneinfo import ZoneInfo

        return datetime.now(ZoneInfo(tz_name)).date()
    return date.today()

"""The secret-token iCalendar feed (no sign-in: the token is the key)."""
from flask import Blueprint, Response, abort, current_app, request

from tracker import clock
from tracker.deadlines.calendar import build_feed, milestones_for
from tracker.users.services import user_by_calendar_token

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


@bp.route("/<token>.ics")
def feed(token: str):
    user = user_by_calendar_token(token)
    if user is None:
        abort(404)
    body = build_feed(
        milestones_for(user, clock.today()),
        calendar_name=f"Thi đua – Khen thưởng: {user.unit.name}",
        alarm_days=current_app.config["CALENDAR_ALARM_DAYS"],
        tz_name=current_app.config["BABEL_DEFAULT_TIMEZONE"],
        host=request.host.split(":")[0],
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="thidua-khenthuong.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response

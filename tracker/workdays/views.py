"""The working-day calendar: the law's holidays of the year and the days an administrator of the
whole country records on top of them."""
from datetime import date, timedelta

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import clock
from tracker.outcome import attempt, done
from tracker.permissions import can_manage_calendar, get_by_id, require
from tracker.workdays import services
from tracker.workdays.forms import CalendarDayForm
from tracker.workdays.models import CalendarDay

bp = Blueprint("workdays", __name__, url_prefix="/admin/working-days")


@bp.before_request
@login_required
def _root_admins_only():
    require(can_manage_calendar(current_user))


def _page(form=None, status: int = 200):
    calendar = services.calendar()
    year = clock.today().year
    holidays = [(day, calendar.holiday_name(day)) for day in _days_of(year) if calendar.holiday_name(day)]
    return render_template("workdays/index.html", form=form or CalendarDayForm(formdata=None),
                           days=services.recorded_days(), holidays=holidays, year=year), status


def _days_of(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


@bp.route("/")
def index():
    return _page()


@bp.route("/", methods=["POST"])
def add():
    form = CalendarDayForm()
    if form.validate_on_submit():
        outcome = attempt(lambda: services.add_day(current_user._get_current_object(), form.day.data,
                                                   form.working.data == "work", form.note.data), form)
        if outcome.ok:
            return done(_("The day was recorded: time limits count with it from now on."), url_for("workdays.index"))
        return _page(form, outcome.status)
    return _page(form)


@bp.route("/<int:day_id>/remove", methods=["POST"])
def remove(day_id: int):
    row = get_by_id(CalendarDay, day_id)
    if row is None:
        abort(404)
    attempt(lambda: services.remove_day(current_user._get_current_object(), row))
    return done(_("The day was removed from the calendar."), url_for("workdays.index"))

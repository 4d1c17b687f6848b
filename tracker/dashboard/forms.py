"""The dashboard's filters: every one of them lives in the URL, so a view can be bookmarked."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField

from tracker.forms_base import FilterForm


def optional_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class DashboardFilterForm(FilterForm):
    plan = SelectField(_l("Plan"), coerce=optional_int, validate_choice=False)
    movement = SelectField(_l("Movement"), coerce=optional_int, validate_choice=False)
    unit = HiddenField()

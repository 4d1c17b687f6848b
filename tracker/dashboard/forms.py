"""The dashboard's filters: every one of them lives in the URL, so a view can be bookmarked."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField

from tracker.forms_base import FilterForm
from tracker.inputs import parse_id


class DashboardFilterForm(FilterForm):
    plan = SelectField(_l("Plan"), coerce=parse_id, validate_choice=False)
    movement = SelectField(_l("Movement"), coerce=parse_id, validate_choice=False)
    unit = HiddenField()

"""The forms of a council's memberships."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from tracker.councils.labels import COUNCIL_ROLE_LABELS
from tracker.forms_base import DayField, TrackerForm, choices


class MemberForm(TrackerForm):
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    position = StringField(_l("Position (in the People's Committee or the unit)"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role on the council"), choices=choices((r.value, label) for r, label in COUNCIL_ROLE_LABELS.items()))
    since = DayField(_l("Member since"), validators=[Optional()])


class EndForm(TrackerForm):
    until = DayField(_l("Last day"), validators=[Optional()])

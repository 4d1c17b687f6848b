"""The form of a day recorded on the working-day calendar."""
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from tracker.forms_base import DayField, TrackerForm, choices


class CalendarDayForm(TrackerForm):
    day = DayField(_l("Day"), validators=[Optional()])
    working = SelectField(_l("What the day is"), choices=choices([
        ("off", _l("A day off (in lieu of a holiday, or decided later)")),
        ("work", _l("A working day (a Saturday worked in exchange)"))]))
    note = StringField(_l("Why (the decision that gave or moved the day)"), validators=[Optional(), Length(max=200)])

"""The forms of a council's memberships and meetings."""
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import Length, Optional

from tracker.councils.labels import COUNCIL_ROLE_LABELS, RECUSAL_LABELS
from tracker.forms_base import DayField, TrackerForm, choices
from tracker.inputs import parse_id
from tracker.plans.forms import MultiCheckboxField


class MemberForm(TrackerForm):
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    position = StringField(_l("Position (in the People's Committee or the unit)"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role on the council"), choices=choices((r.value, label) for r, label in COUNCIL_ROLE_LABELS.items()))
    since = DayField(_l("Member since"), validators=[Optional()])


class EndForm(TrackerForm):
    until = DayField(_l("Last day"), validators=[Optional()])


class MeetingForm(TrackerForm):
    meeting_date = DayField(_l("Day of the meeting"), validators=[Optional()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    number = StringField(_l("Minutes number (optional)"), validators=[Optional(), Length(max=64)])


class AttendanceForm(TrackerForm):
    present = MultiCheckboxField(_l("Members present"), coerce=int)


class AgendaForm(TrackerForm):
    award_type_id = SelectField(_l("Award the council weighs"), coerce=parse_id, validate_choice=False)
    nomination_ids = MultiCheckboxField(_l("Accepted nominations"), coerce=int)


def vote_form(item_id: int, members, formdata=None, data=None):
    """The ballot count of one agenda item and, per member serving that day, whether they are
    recused from it and why (fields named after the item: one form a row)."""
    class VoteForm(TrackerForm):
        agree = IntegerField(_l("Agree"), validators=[Optional()])
        disagree = IntegerField(_l("Disagree"), validators=[Optional()])
        spoiled = IntegerField(_l("Spoiled"), validators=[Optional()])

    for member in members:
        setattr(VoteForm, f"recused_{member.id}", SelectField(
            member.full_name, choices=choices([("", _l("Votes"))] + [
                (r.value, label) for r, label in RECUSAL_LABELS.items()]), default="", validate_choice=True))
    return VoteForm(formdata=formdata, data=data, prefix=f"i{item_id}")

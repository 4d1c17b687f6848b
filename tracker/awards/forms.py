"""Forms of proposals, decisions, candidate history and the award catalogue."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from flask_wtf.file import FileField, FileRequired, FileSize

from tracker.awards.labels import DISCIPLINE_LABELS, LEVEL_LABELS, RATING_LABELS
from tracker.forms_base import FilterForm, TrackerForm, VersionForm, choices
from tracker.inputs import parse_id
from tracker.plans.forms import DOCUMENT_NUMBER, MultiCheckboxField

def _number_field(label, example):
    return StringField(label, validators=[
        DataRequired(_l("Enter the number and symbol.")), Length(max=64),
        Regexp(DOCUMENT_NUMBER, message=_l("Write the number and symbol like %(example)s.", example=example)),
    ])


class ProposalForm(TrackerForm):
    number = _number_field(_l("Number and symbol"), "12/TTr-UBND")
    proposal_date = DateField(_l("Date"), validators=[DataRequired(_l("Enter a valid date."))])
    award_type_id = SelectField(_l("Award"), coerce=int)
    addressed_authority = StringField(_l("Addressed to"), validators=[
        DataRequired(_l("Say to whom the proposal is addressed.")), Length(max=300)])
    plan_id = SelectField(_l("Plan"), coerce=int, validators=[Optional()])
    nomination_ids = MultiCheckboxField(_l("Accepted nominations"), coerce=int)


class AddItemsForm(TrackerForm):
    nomination_ids = MultiCheckboxField(_l("Accepted nominations"), coerce=int)


class RejectForm(TrackerForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Give the reason for the rejection.")),
                                                     Length(max=2000)])


class DecisionForm(TrackerForm):
    number = _number_field(_l("Decision number and symbol"), "25/QĐ-UBND")
    decision_date = DateField(_l("Decision date"), validators=[DataRequired(_l("Enter a valid date."))])
    signer = StringField(_l("Signed by"), validators=[DataRequired(_l("Enter who signed the decision.")),
                                                      Length(max=200)])
    awarded_item_ids = MultiCheckboxField(_l("Awarded"), coerce=int)


def _optional_count(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, message=_l("This cannot be negative."))])


class CandidateYearForm(VersionForm):
    """A year of a candidate's history; `version` is that of the row read for `opened_year` (0: a new year)."""

    opened_year = HiddenField()
    year = IntegerField(_l("Year"), validators=[DataRequired(_l("Enter a year.")),
                                                NumberRange(1975, 2100, _l("Enter a year between 1975 and 2100."))])
    rating = SelectField(_l("Rating"), choices=choices([("", _l("(not recorded)"))] +
                                                       [(r.value, label) for r, label in RATING_LABELS.items()]))
    initiative_level = SelectField(_l("Initiative recognised at"), choices=choices(
        [("", _l("(none or not recorded)"))] + [(l.value, label) for l, label in LEVEL_LABELS.items()]))
    initiative_title = StringField(_l("Initiative"), validators=[Optional(), Length(max=500)])
    initiative_count = _optional_count(_l("Number of initiatives applied"))
    research_accepted = SelectField(_l("Research project accepted"), choices=choices(
        [("", _l("(not recorded)")), ("yes", _l("Yes")), ("no", _l("No"))]))
    discipline = SelectField(_l("Discipline"), choices=choices(
        [("", _l("(not recorded)")), ("none", _l("None"))] + [(d.value, label) for d, label in DISCIPLINE_LABELS.items()]))
    members_total = _optional_count(_l("Members"))
    members_completed = _optional_count(_l("Members who completed their tasks"))
    members_ldtt = _optional_count(_l("Members with Lao động tiên tiến"))
    members_cstdcs = _optional_count(_l("Members with Chiến sĩ thi đua cơ sở"))
    members_disciplined = _optional_count(_l("Members disciplined (warning or heavier)"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class AwardRecordForm(TrackerForm):
    award_type_id = SelectField(_l("Award"), coerce=int)
    year = IntegerField(_l("Year"), validators=[DataRequired(_l("Enter a year.")),
                                                NumberRange(1975, 2100, _l("Enter a year between 1975 and 2100."))])
    decision_number = StringField(_l("Decision number"), validators=[Optional(), Length(max=64)])
    decision_date = DateField(_l("Decision date"), validators=[Optional()])


class HistoryImportForm(TrackerForm):
    file = FileField(_l("Filled-in template (.xlsx)"), validators=[
        FileRequired(_l("Choose the filled-in template (.xlsx).")),
        FileSize(5 * 1024 * 1024, message=_l("The file is larger than %(limit)s MB.", limit=5)),
    ])


class ProposalFilterForm(FilterForm):
    status = SelectField(_l("Status"), validate_choice=False)


class HonourFilterForm(FilterForm):
    q = StringField(_l("Search"))
    unit = SelectField(_l("Unit"), coerce=parse_id, validate_choice=False)
    movement = SelectField(_l("Movement"), coerce=parse_id, validate_choice=False)

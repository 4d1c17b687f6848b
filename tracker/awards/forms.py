"""Forms of proposals and decisions, and the honour roll's filters."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from tracker.forms_base import DayField, FilterForm, TrackerForm
from tracker.inputs import parse_id
from tracker.plans.forms import DOCUMENT_NUMBER, MultiCheckboxField

def _number_field(label, example):
    return StringField(label, validators=[
        DataRequired(_l("Enter the number and symbol.")), Length(max=64),
        Regexp(DOCUMENT_NUMBER, message=_l("Write the number and symbol like %(example)s.", example=example)),
    ])


class ProposalForm(TrackerForm):
    number = _number_field(_l("Number and symbol"), "12/TTr-UBND")
    proposal_date = DayField(_l("Date"), validators=[DataRequired(_l("Enter a valid date."))])
    award_type_id = SelectField(_l("Award"), coerce=int)
    addressed_authority = StringField(_l("Addressed to"), validators=[
        DataRequired(_l("Say to whom the proposal is addressed.")), Length(max=300)])
    plan_id = SelectField(_l("Plan"), coerce=int, validators=[Optional()])
    nomination_ids = MultiCheckboxField(_l("Accepted nominations"), coerce=int)


class AddItemsForm(TrackerForm):
    nomination_ids = MultiCheckboxField(_l("Accepted nominations"), coerce=int)


class RejectForm(TrackerForm):
    """The leader's opinion on a submitted proposal: one box for both buttons; approving takes it
    as a comment (optional), rejecting as the reason (required)."""

    reason = TextAreaField(_l("Leader's comment (required to reject)"),
                           validators=[DataRequired(_l("Give the reason for the rejection.")), Length(max=2000)])


class DecisionForm(TrackerForm):
    number = _number_field(_l("Decision number and symbol"), "25/QĐ-UBND")
    decision_date = DayField(_l("Decision date"), validators=[DataRequired(_l("Enter a valid date."))])
    signer = StringField(_l("Signed by"), validators=[DataRequired(_l("Enter who signed the decision.")),
                                                      Length(max=200)])
    awarded_item_ids = MultiCheckboxField(_l("Awarded"), coerce=int)


class ProposalFilterForm(FilterForm):
    status = SelectField(_l("Status"), validate_choice=False)


class HonourFilterForm(FilterForm):
    q = StringField(_l("Search"))
    unit = SelectField(_l("Unit"), coerce=parse_id, validate_choice=False)
    movement = SelectField(_l("Movement"), coerce=parse_id, validate_choice=False)


class PostingForm(TrackerForm):
    """Posting the list publicly from today: the button and its CSRF token."""


class ResolveObjectionForm(TrackerForm):
    outcome = SelectField(_l("Decision on the objection"), choices=[
        SelectChoice("dismissed", _l("Dismissed: the nominee stays")),
        SelectChoice("upheld", _l("Upheld: withdraw the nominee from the proposal"))])
    resolution = TextAreaField(_l("Answer (required to dismiss)"), validators=[Optional(), Length(max=2000)])


class ObjectionForm(TrackerForm):
    """The public's objection to a posted list. `website` is a field people never see (a bot
    fills it in): such a post is thanked and dropped."""

    nomination_id = SelectField(_l("About"), coerce=parse_id, validate_choice=False)
    name = StringField(_l("Your full name"), validators=[Optional(), Length(max=200)])
    contact = StringField(_l("Telephone or address"), validators=[Optional(), Length(max=200)])
    text = TextAreaField(_l("Your objection"), validators=[Optional(), Length(max=2000)])
    website = StringField(_l("Leave this empty"), validators=[Optional()])


class DossierFileForm(TrackerForm):
    category = SelectField(_l("What the file is"), choices=[
        SelectChoice("initiative", _l("Certificate of an initiative")),
        SelectChoice("decision", _l("Copy of an earlier decision")),
        SelectChoice("other", _l("Other"))])
    files = MultipleFileField(_l("Files to attach"))

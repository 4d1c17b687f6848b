"""Nomination forms: the ward's nomination, the committee's review, the queue's filters, the import."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from tracker.attachments.services import CATEGORY_LABELS
from tracker.candidates.labels import CANDIDATE_KIND_LABELS, GENDER_LABELS
from tracker.forms_base import DayField, FilterForm, TrackerForm, VersionForm, choices
from tracker.inputs import parse_id
from tracker.candidates.models import CandidateKind, Gender
from tracker.nominations.fields import CANDIDATE_FIELDS, FIELDS, LISTED, NOMINATION_FIELDS
from tracker.nominations.services import CATEGORIES
from tracker.nominations.validation import CandidateInput


def record_id(value) -> int:
    """Coerce a chosen id; WTForms reports anything else as an invalid choice."""
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number


def _form_field(declared):
    """The WTForms field of a declared nomination field (tracker.nominations.fields)."""
    length = [Length(max=declared.max_length)] if declared.max_length else []
    if declared.name == "full_name":
        return StringField(declared.label, validators=[DataRequired(_l("Enter the name.")), *length])
    if declared.type == "kind":
        return SelectField(declared.label,
                           choices=choices((k.value, CANDIDATE_KIND_LABELS[k]) for k in CandidateKind))
    if declared.type == "gender":
        return SelectField(declared.label, choices=choices([("", "—")] + [(g.value, GENDER_LABELS[g]) for g in Gender]))
    if declared.type in ("movement", "award"):
        return SelectField(declared.label, coerce=parse_id, validate_choice=False)
    if declared.type == "int":
        return IntegerField(declared.label, validators=[Optional()])
    if declared.type == "date":
        return DayField(declared.label, validators=[Optional()])
    if declared.type == "longtext":
        return TextAreaField(declared.label, validators=length)
    return StringField(declared.label, validators=length)


class NominationForm(TrackerForm):
    """The ward's nomination: one input per declared field, plus the plan, the files and the
    versions the form was built from."""

    version = HiddenField()
    candidate_version = HiddenField()
    candidate_id = HiddenField()
    plan_id = SelectField(_l("Plan"), coerce=parse_id, validate_choice=False)
    files = MultipleFileField(_l("Evidence files"))
    category = SelectField(_l("What the files are"), choices=choices((c, CATEGORY_LABELS[c]) for c in CATEGORIES))
    save = SubmitField(_l("Save draft"))
    hand_in = SubmitField(_l("Save and submit"))

    def values(self) -> dict:
        """The nomination's own values as typed."""
        return {name: getattr(self, name).data for name in NOMINATION_FIELDS}

    def person(self) -> CandidateInput:
        """The individual or collective as typed."""
        details = {name: getattr(self, name).data for name in CANDIDATE_FIELDS}
        details["gender"] = Gender(details["gender"]) if details.get("gender") else None
        return CandidateInput(CandidateKind(self.kind.data), self.full_name.data or "", details)

    def fill_candidate(self, candidate) -> None:
        self.kind.data = candidate.kind.value
        self.full_name.data = candidate.full_name
        for name in CANDIDATE_FIELDS:
            value = getattr(candidate, name)
            getattr(self, name).data = value.value if hasattr(value, "value") else ("" if value is None and name == "gender" else value)


for _declared in FIELDS:
    if _declared.owner != LISTED:
        setattr(NominationForm, _declared.name, _form_field(_declared))


class ReturnForm(VersionForm):
    comment = TextAreaField(_l("What must be fixed"), validators=[Length(max=4000)])


class RejectForm(VersionForm):
    reason = TextAreaField(_l("Reason for rejecting"), validators=[Length(max=4000)])


class BulkForm(TrackerForm):
    ids = SelectMultipleField(coerce=record_id, validate_choice=False)
    comment = TextAreaField(_l("Comment for a return (the same for every nomination chosen)"),
                            validators=[Length(max=4000)])
    back = HiddenField()


class NominationFilterForm(FilterForm):
    plan = SelectField(_l("Plan"), validate_choice=False)
    movement = SelectField(_l("Movement"), validate_choice=False)
    unit = SelectField(_l("Unit"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    kind = SelectField(_l("Individual or collective"), validate_choice=False)
    q = StringField(_l("Search names and achievements"), validators=[Length(max=200)])
    sort = SelectField(_l("Sort by"), validate_choice=False)


class ImportForm(TrackerForm):
    plan_id = SelectField(_l("Plan"), coerce=parse_id, validate_choice=False)
    file = FileField(_l("Filled-in template (.xlsx)"))

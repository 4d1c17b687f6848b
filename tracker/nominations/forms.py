"""Nomination forms: the ward's nomination, the committee's review, the queue's filters, the import."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    DateField,
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
from tracker.nominations.labels import CANDIDATE_KIND_LABELS, GENDER_LABELS
from tracker.forms_base import FilterForm, TrackerForm, VersionForm, choices
from tracker.inputs import parse_id
from tracker.nominations.models import CandidateKind, Gender
from tracker.nominations.services import CATEGORIES


def record_id(value) -> int:
    """Coerce a chosen id; WTForms reports anything else as an invalid choice."""
    number = parse_id(value)
    if number is None:
        raise ValueError(value)
    return number


def whole_number(label, **kwargs):
    return IntegerField(label, validators=[Optional()], **kwargs)


class NominationForm(TrackerForm):
    version = HiddenField()
    candidate_version = HiddenField()
    candidate_id = HiddenField()
    plan_id = SelectField(_l("Plan"), coerce=parse_id, validate_choice=False)
    movement_id = SelectField(_l("Movement"), coerce=parse_id, validate_choice=False)
    kind = SelectField(_l("Individual or collective"),
                       choices=choices((k.value, CANDIDATE_KIND_LABELS[k]) for k in CandidateKind))
    full_name = StringField(_l("Full name (name of the collective)"),
                            validators=[DataRequired(_l("Enter the name.")), Length(max=200)])
    gender = SelectField(_l("Gender"), choices=choices([("", "—")] + [(g.value, GENDER_LABELS[g]) for g in Gender]))
    birth_year = whole_number(_l("Birth year"))
    position = StringField(_l("Position"), validators=[Length(max=200)])
    workplace = StringField(_l("Workplace (parent unit of a collective)"), validators=[Length(max=300)])
    member_count = whole_number(_l("Number of members"))
    achievements = TextAreaField(_l("Achievements"), validators=[Length(max=20000)])
    period_start_year = whole_number(_l("Achievements from (year)"))
    period_end_year = whole_number(_l("to (year)"))
    meeting_date = DateField(_l("Date of the review meeting"), validators=[Optional()])
    members_present = whole_number(_l("Members present"))
    votes_for = whole_number(_l("Votes in favour"))
    proposed_award_type_id = SelectField(_l("Proposed honour (catalogue)"), coerce=parse_id,
                                         validate_choice=False)
    proposed_honour = StringField(_l("Proposed honour (in your own words)"), validators=[Length(max=300)])
    files = MultipleFileField(_l("Evidence files"))
    category = SelectField(_l("What the files are"), choices=choices((c, CATEGORY_LABELS[c]) for c in CATEGORIES))
    save = SubmitField(_l("Save draft"))
    hand_in = SubmitField(_l("Save and submit"))

    VALUE_FIELDS = ("achievements", "period_start_year", "period_end_year", "meeting_date", "members_present",
                    "votes_for", "proposed_award_type_id", "proposed_honour")

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in self.VALUE_FIELDS}

    def person(self):
        from tracker.nominations.services import CandidateInput

        return CandidateInput(
            kind=CandidateKind(self.kind.data), full_name=self.full_name.data or "",
            gender=Gender(self.gender.data) if self.gender.data else None, birth_year=self.birth_year.data,
            position=self.position.data or "", workplace=self.workplace.data or "",
            member_count=self.member_count.data,
        )

    def fill_candidate(self, candidate) -> None:
        self.kind.data = candidate.kind.value
        self.full_name.data = candidate.full_name
        self.gender.data = candidate.gender.value if candidate.gender else ""
        for name in ("birth_year", "position", "workplace", "member_count"):
            getattr(self, name).data = getattr(candidate, name)


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

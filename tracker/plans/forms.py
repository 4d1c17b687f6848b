"""Planning forms: plans, movements, milestones, and the deadline view's filters."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.forms_base import DayField, FilterForm, VersionForm, choices
from tracker.inputs import parse_id
from tracker.plans.labels import MILESTONE_KIND_LABELS, MILESTONE_SCOPE_LABELS
from tracker.plans.models import MilestoneKind, MilestoneScope
from tracker.units.labels import UNIT_KIND_LABELS

# Number and symbol of an administrative document (Nghị định 30/2020): "156/KH-UBND", "01/KH-HĐTĐKT".
DOCUMENT_NUMBER = r"^\d{1,5}/[A-ZĐ][A-Za-zĐđ]{0,5}(-[A-ZĐ0-9][A-Za-zĐđ0-9]*)+$"


class PlanForm(VersionForm):
    number = StringField(
        _l("Number and symbol"),
        validators=[
            DataRequired(_l("Enter the plan's number and symbol.")),
            Length(max=64),
            Regexp(DOCUMENT_NUMBER, message=_l("Write the number and symbol like 156/KH-UBND.")),
        ],
    )
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter the plan's title.")), Length(max=500)])
    issued_date = DayField(_l("Issued on"), validators=[DataRequired(_l("Enter a valid date."))])
    period_start_year = IntegerField(
        _l("Period from (year)"),
        validators=[DataRequired(_l("Enter a year.")), NumberRange(1945, 2100, _l("Enter a year between 1945 and 2100."))],
    )
    period_end_year = IntegerField(
        _l("Period to (year)"),
        validators=[DataRequired(_l("Enter a year.")), NumberRange(1945, 2100, _l("Enter a year between 1945 and 2100."))],
    )
    legal_basis = TextAreaField(_l("Legal basis"), validators=[Optional(), Length(max=2000)])
    summary = TextAreaField(_l("Summary"), validators=[Optional(), Length(max=5000)])
    body = TextAreaField(_l("Content"), validators=[Optional(), Length(max=50000)])
    parent_id = SelectField(_l("Parent plan (level above)"), coerce=int, validators=[Optional()])

    def validate_period_end_year(self, field):
        if self.period_start_year.data and field.data and field.data < self.period_start_year.data:
            raise ValidationError(_l("The period cannot end before it starts."))


class MovementForm(VersionForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the movement's name.")), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


KIND_CHOICES = [(k.value, label) for k, label in UNIT_KIND_LABELS.items()]


class MilestoneForm(VersionForm):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter the milestone's title.")), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    quarter = StringField(
        _l("Quarter"),
        validators=[Optional(), Length(max=20)],
        description=_l("Optional: Q1/2020 fills the window 01/01/2020 – 31/03/2020."),
    )
    start_date = DayField(_l("Start date"), validators=[Optional()])
    due_date = DayField(_l("Due date"), validators=[Optional()])
    kind = SelectField(_l("What the units hand in"),
                       choices=choices((k.value, MILESTONE_KIND_LABELS[k]) for k in MilestoneKind),
                       default=MilestoneKind.CONFERENCE.value,
                       description=_l("A conference report asks for the date, place, participants, honours and "
                                      "funding; a dossier is done when the unit hands in its nominations for the "
                                      "plan, with their count; a plain report asks for its text and files."))
    scope = SelectField(_l("Who must complete it"),
                        choices=choices((s.value, MILESTONE_SCOPE_LABELS[s]) for s in MilestoneScope))
    unit_kinds = MultiCheckboxField(_l("Kinds of unit"), choices=choices(KIND_CHOICES), validate_choice=True)
    requires_report = BooleanField(_l("A progress report is required"), default=True)
    is_assumption = BooleanField(_l("The date is an assumption (not given by the source documents)"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])

    def validate_quarter(self, field):
        if field.data:
            from tracker.plans.services import parse_quarter

            try:
                self.start_date.data, self.due_date.data = parse_quarter(field.data)
            except ValueError:
                raise ValidationError(_l("Write the quarter like Q1/2020."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.quarter.errors:
            return False
        if self.start_date.data is None and not self.start_date.errors:
            self.start_date.errors = [*self.start_date.errors, _l("Enter a valid start date, or a quarter.")]
        if self.due_date.data is None and not self.due_date.errors:
            self.due_date.errors = [*self.due_date.errors, _l("Enter a valid due date, or a quarter.")]
        if self.start_date.data and self.due_date.data and self.due_date.data < self.start_date.data:
            self.due_date.errors = [*self.due_date.errors, _l("The due date cannot be before the start date.")]
        if self.scope.data == MilestoneScope.SUBUNITS.value and not self.unit_kinds.data:
            self.unit_kinds.errors = [*self.unit_kinds.errors, _l("Choose which kinds of unit must complete this milestone.")]
        return valid and not (self.start_date.errors or self.due_date.errors or self.unit_kinds.errors)


class DeadlineFilterForm(FilterForm):
    plan = SelectField(_l("Plan"), coerce=parse_id, validate_choice=False)
    unit = SelectField(_l("Unit"), coerce=parse_id, validate_choice=False)

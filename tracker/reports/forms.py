"""Progress report forms: the ward's report, the committee's review, the list filters."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional

from tracker.attachments.services import CATEGORY_LABELS
from tracker.forms_base import DayField, FilterForm, TrackerForm, VersionForm, choices

# Labels of the report's fields, shared by the form and the version comparison.
FIELD_LABELS = {
    "held_date": _l("Date held"),
    "outside_window_reason": _l("Reason for a date outside the window"),
    "place": _l("Place"),
    "chaired_by": _l("Chaired by"),
    "participants": _l("Participants"),
    "individuals_honoured": _l("Individuals honoured"),
    "collectives_honoured": _l("Collectives honoured"),
    "delegates": _l("Delegates elected to the city conference"),
    "funding_vnd": _l("Funding spent (VND)"),
    "narrative": _l("Narrative"),
    "honours": _l("Honours"),
    "attachments": _l("Files"),
}

REPORT_CATEGORIES = ("plan", "minutes", "decision", "photo", "other")
MAX_COUNT = 1_000_000
MAX_FUNDING = 10**13  # ten thousand billion đồng: anything above is a typing slip


def _count_validators():
    return [
        Optional(),
        NumberRange(min=0, message=_l("This cannot be negative.")),
        NumberRange(max=MAX_COUNT, message=_l("This number is too large.")),
    ]


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class MoneyField(StringField):
    """A whole amount of đồng, typed with or without thousands separators: 15.000.000."""

    pattern = re.compile(r"^\d{1,3}(?:([.,\s])\d{3})?(?:\1\d{3})*$|^\d+$")

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist:
            return
        text = (valuelist[0] or "").strip()
        text = re.sub(r"\s*(đồng|đ|vnđ|vnd)\s*$", "", text, flags=re.IGNORECASE).strip()
        if not text:
            return
        if text.startswith("-") and self.pattern.match(text[1:].strip()):
            raise ValueError(_l("This cannot be negative."))
        if not self.pattern.match(text):
            raise ValueError(_l("Enter the amount in đồng as a whole number, for example 15.000.000."))
        amount = int(re.sub(r"\D", "", text))
        if amount > MAX_FUNDING:
            raise ValueError(_l("This number is too large."))
        self.data = amount

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None or self.data == "":
            return ""
        return f"{int(self.data):,}".replace(",", ".")


class HonourRowForm(TrackerForm):
    class Meta(TrackerForm.Meta):
        csrf = False

    form_name = StringField(_l("Form of honour"), validators=[Length(max=200)])
    movement_id = SelectField(_l("Movement"), coerce=_optional_int, choices=choices([("", "—")]))
    individuals = IntegerField(_l("Individuals"), validators=_count_validators())
    collectives = IntegerField(_l("Collectives"), validators=_count_validators())


class ReportForm(TrackerForm):
    version = HiddenField()
    held_date = DayField(FIELD_LABELS["held_date"], validators=[Optional()])
    outside_window_reason = TextAreaField(FIELD_LABELS["outside_window_reason"], validators=[Length(max=2000)])
    place = StringField(FIELD_LABELS["place"], validators=[Length(max=300)])
    chaired_by = StringField(FIELD_LABELS["chaired_by"], validators=[Length(max=200)])
    participants = IntegerField(FIELD_LABELS["participants"], validators=_count_validators())
    delegates = IntegerField(FIELD_LABELS["delegates"], validators=_count_validators())
    funding_vnd = MoneyField(FIELD_LABELS["funding_vnd"])
    narrative = TextAreaField(FIELD_LABELS["narrative"], validators=[Length(max=20000)])
    honours = FieldList(FormField(HonourRowForm), min_entries=0, max_entries=60)
    files = MultipleFileField(_l("Files to attach"))
    category = SelectField(_l("What the files are"),
                           choices=choices((c, CATEGORY_LABELS[c]) for c in REPORT_CATEGORIES), default="other")
    save = SubmitField(_l("Save draft"))
    hand_in = SubmitField(_l("Submit the report"))

    VALUE_FIELDS = ("held_date", "outside_window_reason", "place", "chaired_by", "participants",
                    "delegates", "funding_vnd", "narrative")

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in self.VALUE_FIELDS}

    def set_movements(self, movements) -> None:
        options = choices([("", "—")] + [(m.id, m.name) for m in movements])
        self._movement_choices = options
        for row in self.honours:
            row.movement_id.choices = options

    def add_blank_rows(self, count: int) -> None:
        for _ in range(count):
            entry = self.honours.append_entry()
            entry.movement_id.choices = getattr(self, "_movement_choices", entry.movement_id.choices)


AcceptForm = VersionForm


class ReturnForm(VersionForm):
    comment = TextAreaField(_l("What must be fixed"), validators=[Length(max=4000)])


class ReopenForm(VersionForm):
    reason = TextAreaField(_l("Reason for reopening"), validators=[Length(max=4000)])


class ReportFilterForm(FilterForm):
    plan = SelectField(_l("Plan"), validate_choice=False)
    milestone = SelectField(_l("Milestone"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    unit = SelectField(_l("Unit"), validate_choice=False)

"""Forms of a candidate's history: a year of it, an award received, the spreadsheet import."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.candidates.labels import DISCIPLINE_LABELS, LEVEL_LABELS, RATING_LABELS
from tracker.candidates.models import Discipline, InitiativeLevel, Rating
from tracker.candidates.services import YEAR_FIELDS
from tracker.forms_base import DayField, TrackerForm, VersionForm, choices

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
    months_in_service = IntegerField(_l("Months in service in the year"), validators=[
        Optional(), NumberRange(0, 12, _l("Enter a number from %(min)s to %(max)s.", min=0, max=12))])
    leave_working_days = IntegerField(_l("Working days of leave (maternity leave not counted)"), validators=[
        Optional(), NumberRange(0, 366, _l("Enter a number from %(min)s to %(max)s.", min=0, max=366))])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])

    @classmethod
    def of(cls, row) -> "CandidateYearForm":
        """The form for a recorded year (its Edit link), or blank for a new year (row None)."""
        if row is None:
            return cls(formdata=None, data={"version": 0})
        value = lambda member: member.value if member is not None else ""  # noqa: E731
        return cls(formdata=None, data={
            **{name: getattr(row, name) for name in YEAR_FIELDS},
            "year": row.year, "opened_year": row.year, "version": row.version,
            "rating": value(row.rating), "initiative_level": value(row.initiative_level),
            "discipline": value(row.discipline),
            "research_accepted": {True: "yes", False: "no"}.get(row.research_accepted, ""),
        })

    def values(self) -> dict:
        """The year's values as typed, coded ones read into their enums."""
        def member(enum_cls, value):
            return enum_cls(value) if value else None

        return {
            "rating": member(Rating, self.rating.data),
            "initiative_level": member(InitiativeLevel, self.initiative_level.data),
            "initiative_title": self.initiative_title.data or "",
            "initiative_count": self.initiative_count.data,
            "research_accepted": {"yes": True, "no": False}.get(self.research_accepted.data),
            "discipline": member(Discipline, self.discipline.data if self.discipline.data != "none" else ""),
            "members_total": self.members_total.data, "members_completed": self.members_completed.data,
            "members_ldtt": self.members_ldtt.data, "members_cstdcs": self.members_cstdcs.data,
            "members_disciplined": self.members_disciplined.data, "note": self.note.data or "",
            "months_in_service": self.months_in_service.data, "leave_working_days": self.leave_working_days.data,
        }


class AwardRecordForm(TrackerForm):
    award_type_id = SelectField(_l("Award"), coerce=int)
    year = IntegerField(_l("Year"), validators=[DataRequired(_l("Enter a year.")),
                                                NumberRange(1975, 2100, _l("Enter a year between 1975 and 2100."))])
    decision_number = StringField(_l("Decision number"), validators=[Optional(), Length(max=64)])
    decision_date = DayField(_l("Decision date"), validators=[Optional()])


class HistoryImportForm(TrackerForm):
    file = FileField(_l("Filled-in template (.xlsx)"), validators=[
        FileRequired(_l("Choose the filled-in template (.xlsx).")),
        FileSize(5 * 1024 * 1024, message=_l("The file is larger than %(limit)s MB.", limit=5)),
    ])

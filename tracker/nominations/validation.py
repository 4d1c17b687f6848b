"""What makes a nomination's values acceptable: pure checks over plain values, no database.

Each function returns {field name: [messages]} so that the form, the spreadsheet import and the
service report every problem at once, next to its field or cell.
"""
from datetime import date

from flask_babel import lazy_gettext as _l

from tracker.candidates.models import CandidateKind, Gender
from tracker.catalogue.models import AwardType
from tracker.nominations.fields import BY_NAME, CANDIDATE_FIELDS, FIELDS, NOMINATION, TEXT_LIMITS, applies

MIN_AGE = 15  # a nominated individual is at least this old in the year of nomination
EARLIEST_BIRTH_YEAR = 1900
EARLIEST_PERIOD_YEAR = 1945
MAX_COUNT = 1_000_000

MSG_REQUIRED = _l("Fill this in before submitting the nomination.")
MSG_NEGATIVE = _l("This cannot be negative.")
MSG_TOO_LARGE = _l("This number is too large.")
MSG_CONFLICT = _l(
    "Someone else changed this nomination after you opened it. Nothing of yours was saved: "
    "open it again to see their changes, then make yours."
)


class CandidateInput:
    """An individual or collective as typed in a form or a spreadsheet row: its kind, its name and
    its details (the candidate fields of tracker.nominations.fields), given as a dict or as
    keywords: CandidateInput(CandidateKind.INDIVIDUAL, "Lê Thị Hoa", birth_year=1980)."""

    def __init__(self, kind: CandidateKind, full_name: str, details: dict | None = None, **more):
        unknown = set(more) - set(CANDIDATE_FIELDS)
        if unknown:
            raise TypeError(f"not candidate fields: {sorted(unknown)}")
        self.kind, self.full_name = kind, full_name or ""
        self.details = {**(details or {}), **more}

    def __eq__(self, other) -> bool:
        return isinstance(other, CandidateInput) and (self.kind, self.full_name, self.details) == (
            other.kind, other.full_name, other.details)

    def __repr__(self) -> str:
        return f"CandidateInput({self.kind}, {self.full_name!r}, {self.details!r})"

    def values(self) -> dict:
        """The candidate's details, those that do not apply to its kind emptied, text trimmed."""
        result = {}
        for name in CANDIDATE_FIELDS:
            declared = BY_NAME[name]
            value = self.details.get(name) if applies(declared, self.kind) else None
            if declared.type == "text":
                value = (value or "").strip()
            result[name] = value
        return result

    def __getattr__(self, name):  # person.birth_year, person.position, ...
        if name in CANDIDATE_FIELDS:
            return self.details.get(name)
        raise AttributeError(name)

    @property
    def key(self) -> tuple:
        from tracker.candidates.services import name_key

        return self.kind, name_key(self.full_name), self.values()["birth_year"]


def add(errors: dict[str, list], name: str, message) -> None:
    errors.setdefault(name, []).append(message)


def merge(*error_dicts: dict[str, list]) -> dict[str, list]:
    merged: dict[str, list] = {}
    for errors in error_dicts:
        for name, messages in errors.items():
            for message in messages:
                if message not in merged.get(name, []):
                    merged.setdefault(name, []).append(message)
    return merged


def _too_long(errors, name, value) -> None:
    limit = TEXT_LIMITS.get(name)
    if limit and len((value or "").strip()) > limit:
        add(errors, name, _l("At most %(max)s characters.", max=limit))


def candidate_errors(candidate: CandidateInput, today: date) -> dict[str, list]:
    """What is wrong with a typed candidate: a name is needed; text fits its field; an
    individual's birth year is not in the future and at least MIN_AGE years back; a collective has
    at least one member."""
    errors: dict[str, list] = {}
    if not (candidate.full_name or "").strip():
        add(errors, "full_name", _l("Enter the name."))
    _too_long(errors, "full_name", candidate.full_name)
    values = candidate.values()
    for name, value in values.items():
        if BY_NAME[name].type == "text":
            _too_long(errors, name, value)
    year = values["birth_year"]
    if year is not None:
        if year > today.year:
            add(errors, "birth_year", _l("The birth year cannot be in the future."))
        elif year > today.year - MIN_AGE:
            add(errors, "birth_year", _l("A nominated person must be at least %(age)s: born in %(year)s or earlier.",
                                         age=MIN_AGE, year=today.year - MIN_AGE))
        elif year < EARLIEST_BIRTH_YEAR:
            add(errors, "birth_year", _l("Check the birth year."))
    members = values["member_count"]
    if members is not None:
        if members < 1:
            add(errors, "member_count", _l("A collective has at least one member."))
        elif members > MAX_COUNT:
            add(errors, "member_count", MSG_TOO_LARGE)
    return errors


def nomination_errors(values: dict, today: date) -> dict[str, list]:
    """What is wrong with what is filled in, whatever is still missing (drafts too): text fits
    its field, counts are not negative, votes in favour do not exceed the members present, the
    period runs forward and lies between 1945 and this year."""
    errors: dict[str, list] = {}
    for declared in FIELDS:
        if declared.owner == NOMINATION and declared.max_length:
            _too_long(errors, declared.name, values.get(declared.name))
    present, votes = values.get("members_present"), values.get("votes_for")
    for name, number in (("members_present", present), ("votes_for", votes)):
        if number is not None and number < 0:
            add(errors, name, MSG_NEGATIVE)
        elif number is not None and number > MAX_COUNT:
            add(errors, name, MSG_TOO_LARGE)
    if present == 0:
        add(errors, "members_present", _l("At least one member must have been present."))
    if present is not None and votes is not None and 0 <= present < votes:
        add(errors, "votes_for", _l("More votes in favour (%(votes)s) than members present (%(present)s).",
                                    votes=votes, present=present))
    start, end = values.get("period_start_year"), values.get("period_end_year")
    for name, year in (("period_start_year", start), ("period_end_year", end)):
        if year is not None and not EARLIEST_PERIOD_YEAR <= year <= today.year:
            add(errors, name, _l("Enter a year between %(first)s and %(last)s.",
                                 first=EARLIEST_PERIOD_YEAR, last=today.year))
    if start is not None and end is not None and start > end:
        add(errors, "period_end_year", _l("The period cannot end before it starts."))
    return errors


def completeness_errors(kind: CandidateKind, candidate_values: dict, values: dict,
                        today: date | None) -> dict[str, list]:
    """What a submitted nomination must have: every field declared required to submit that
    applies to the candidate's kind (the achievements, the period, the review meeting; an
    individual's gender and birth year; a collective's number of members), and a review meeting
    held by `today`."""
    errors: dict[str, list] = {}
    for declared in FIELDS:
        if not declared.required_to_submit or not applies(declared, kind):
            continue
        value = candidate_values.get(declared.name) if declared.owner != NOMINATION else values.get(declared.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            add(errors, declared.name, _l("Describe the achievements before submitting.")
                if declared.name == "achievements" else MSG_REQUIRED)
    meeting = values.get("meeting_date")
    if today is not None and meeting is not None and meeting > today:
        add(errors, "meeting_date", _l("The review meeting cannot be after today (%(today)s).",
                                       today=today.strftime("%d/%m/%Y")))
    return errors


def award_errors(regime: str, kind: CandidateKind, award: AwardType | None, award_type_id: int | None) -> dict:
    """A proposed catalogue award (`award`, looked up from `award_type_id`) must exist, be active,
    be of the plan's legal regime (`regime`) and be for this kind of candidate."""
    if not award_type_id:
        return {}
    if award is None or not award.active or award.regime != regime:
        return {"proposed_award_type_id": [_l("Choose an award of the plan's catalogue.")]}
    if award.recipient.value not in ("both", kind.value):
        return {"proposed_award_type_id": [
            _l("This award is for individuals only.") if award.recipient.value == "individual"
            else _l("This award is for collectives only.")]}
    return {}


def gender_of(value) -> Gender | None:
    return Gender(value) if value else None

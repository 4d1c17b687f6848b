"""Every field of a nominated individual or collective and of its nomination, declared once.

The nomination form (its fields, labels, limits and layout), the service's checks, the import
template and its reading, the exported list (danh sách trích ngang), the nomination's page and the
audit trail all read these declarations. Adding a field (a contact phone, say) is one declaration
here, a migration adding the column, its translation and its tests.

Spreadsheet headers are Vietnamese constants on purpose: they are a file format (the import reads
them back), so they do not change with the interface language.
"""
from datetime import timezone
from dataclasses import dataclass
from typing import Any, Callable

from flask_babel import lazy_gettext as _l

from tracker.candidates.models import CandidateKind

INDIVIDUAL, COLLECTIVE = CandidateKind.INDIVIDUAL, CandidateKind.COLLECTIVE
BOTH = frozenset({INDIVIDUAL, COLLECTIVE})
ONLY_INDIVIDUALS, ONLY_COLLECTIVES = frozenset({INDIVIDUAL}), frozenset({COLLECTIVE})

# Owners: the candidate's fields are shared by every nomination of the person; the nomination's
# are its own; a listed value is derived for the exported list only.
CANDIDATE, NOMINATION, LISTED = "candidate", "nomination", "listed"


@dataclass(frozen=True)
class Field:
    name: str  # the model attribute, the form field and the key in the audit trail
    label: Any  # on the form and the nomination's page (a lazy string)
    owner: str  # CANDIDATE, NOMINATION or LISTED
    # text, longtext, int, date, kind, gender, movement, award, honour: how it is typed, read from a
    # spreadsheet cell and shown
    type: str = "text"
    max_length: int | None = None
    applies_to: frozenset = BOTH  # the kinds of candidate that have it (the other kind keeps it empty)
    required_to_submit: bool = False  # a draft may lack it, a submitted nomination may not
    template: str | None = None  # its column header in the import template (None: not imported)
    export: str | None = None  # its column header in the exported list (None: not exported)
    width: int = 12  # the spreadsheet column's width
    section: str | None = None  # where the form shows it: who, achievements, meeting, honour
    form_width: int = 6  # of the form's 12-column grid
    public: bool = False  # the public honour roll may show it
    listed: Callable | None = None  # LISTED values: nomination -> value for the exported list
    # The import template and the form follow the declarations' order after this rank: the kind
    # comes first there (as in every file already filled in), the name first in the exported list.
    template_rank: int = 1

    @property
    def for_individuals_only(self) -> bool:
        return self.applies_to == ONLY_INDIVIDUALS

    @property
    def for_collectives_only(self) -> bool:
        return self.applies_to == ONLY_COLLECTIVES


def _period(nomination) -> str:
    start, end = nomination.period_start_year, nomination.period_end_year
    if start and end:
        return f"{start} - {end}" if start != end else str(start)
    return str(start or end or "")


def _status(nomination) -> str:
    return status_labels()[nomination.status]


def _submitted_on(nomination):
    return submitted_day(nomination.submitted_at, export_zone())


def submitted_day(moment, zone):
    """The day (in `zone`) of a submission stored at `moment` (UTC), or None."""
    if not moment:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(zone).date()


def status_labels() -> dict:
    """The statuses' labels in the current language, worked out once per request or job (a list
    of a million rows asks a million times)."""
    from flask import g
    from flask_babel import get_locale

    from tracker.nominations.labels import NOMINATION_STATUS_LABELS

    cache = g.setdefault("nomination_status_labels", {})
    locale = str(get_locale())
    if locale not in cache:
        cache[locale] = {status: str(label) for status, label in NOMINATION_STATUS_LABELS.items()}
    return cache[locale]


def export_zone():
    """The time zone in which lists show days, worked out once per request or job."""
    from flask import g
    from flask_babel import get_timezone

    if "export_zone" not in g:
        g.export_zone = get_timezone()
    return g.export_zone


# In the order of the exported list and (see template_rank) of the import template.
FIELDS: tuple[Field, ...] = (
    Field("full_name", _l("Full name (name of the collective)"), CANDIDATE, "text", 200,
          template="Họ và tên (tên tập thể)", export="Họ và tên / Tên tập thể", width=28, section="who",
          form_width=8, public=True),
    Field("kind", _l("Individual or collective"), CANDIDATE, "kind", template="Cá nhân/Tập thể",
          export="Cá nhân/Tập thể", width=14, section="who", form_width=4, public=True, template_rank=0),
    Field("gender", _l("Gender"), CANDIDATE, "gender", applies_to=ONLY_INDIVIDUALS, required_to_submit=True,
          template="Giới tính", export="Giới tính", width=10, section="who", form_width=3),
    Field("birth_year", _l("Birth year"), CANDIDATE, "int", applies_to=ONLY_INDIVIDUALS, required_to_submit=True,
          template="Năm sinh", export="Năm sinh", width=10, section="who", form_width=3),
    Field("position", _l("Position"), CANDIDATE, "text", 200, applies_to=ONLY_INDIVIDUALS,
          template="Chức vụ", export="Chức vụ", width=24, section="who", form_width=6, public=True),
    Field("workplace", _l("Workplace (parent unit of a collective)"), CANDIDATE, "text", 300,
          template="Nơi công tác (đơn vị chủ quản của tập thể)", export="Nơi công tác / Đơn vị chủ quản",
          width=32, section="who", form_width=8, public=True),
    Field("member_count", _l("Number of members"), CANDIDATE, "int", applies_to=ONLY_COLLECTIVES,
          required_to_submit=True, template="Số thành viên (tập thể)", export="Số thành viên", width=12,
          section="who", form_width=4),
    Field("unit", _l("Nominating unit"), LISTED, export="Đơn vị đề nghị", width=24,
          listed=lambda n: n.unit.name),
    Field("plan", _l("Plan"), LISTED, export="Kế hoạch", width=16, listed=lambda n: n.plan.number),
    Field("movement_id", _l("Movement"), NOMINATION, "movement", template="Phong trào thi đua",
          export="Phong trào thi đua", width=40, public=True),
    Field("achievements", _l("Achievements"), NOMINATION, "longtext", 20000, required_to_submit=True,
          template="Tóm tắt thành tích", export="Tóm tắt thành tích", width=60, section="achievements",
          form_width=12, public=True),
    Field("achievement_title", _l("The achievement proposed for reward (its name)"), NOMINATION, "text", 300,
          export="Thành tích đề nghị khen thưởng", width=36, section="achievements", form_width=12),
    Field("period", _l("Period"), LISTED, export="Giai đoạn", width=12, listed=_period),
    Field("period_start_year", _l("Achievements from (year)"), NOMINATION, "int", required_to_submit=True,
          template="Thành tích từ năm", width=12, section="achievements", form_width=3),
    Field("period_end_year", _l("to (year)"), NOMINATION, "int", required_to_submit=True,
          template="Đến năm", width=10, section="achievements", form_width=3),
    Field("meeting_date", _l("Date of the review meeting"), NOMINATION, "date", required_to_submit=True,
          template="Ngày họp bình xét (dd/mm/yyyy)", export="Ngày họp bình xét", width=16, section="meeting",
          form_width=4),
    Field("members_present", _l("Members present"), NOMINATION, "int", required_to_submit=True,
          template="Số người dự họp", export="Số người dự họp", width=12, section="meeting", form_width=3),
    Field("votes_for", _l("Votes in favour"), NOMINATION, "int", required_to_submit=True,
          template="Số phiếu đồng ý", export="Số phiếu đồng ý", width=12, section="meeting", form_width=3),
    Field("vote_share", _l("Share"), LISTED, export="Tỷ lệ đồng ý (%)", width=10, listed=lambda n: n.vote_share),
    Field("proposed_award_type_id", _l("Proposed honour (catalogue)"), NOMINATION, "award", section="honour"),
    # The template's one honour column is read into the catalogue award or, failing that, this text.
    Field("proposed_honour", _l("Proposed honour (in your own words)"), NOMINATION, "honour", 300,
          template="Hình thức khen thưởng đề nghị", export="Hình thức khen thưởng đề nghị", width=36,
          section="honour", listed=lambda n: n.proposed_honour_label, public=True),
    Field("status", _l("Status"), LISTED, export="Trạng thái", width=14, listed=_status),
    Field("submitted_on", _l("Submitted on"), LISTED, export="Ngày gửi", width=12, listed=_submitted_on),
)
BY_NAME = {f.name: f for f in FIELDS}
TEMPLATE_FIELDS = tuple(sorted((f for f in FIELDS if f.template), key=lambda f: f.template_rank))
# The candidate's details besides its kind and name (which identify it).
CANDIDATE_FIELDS = tuple(f.name for f in FIELDS if f.owner == CANDIDATE and f.name not in ("kind", "full_name"))
# The nomination's own values (its movement is chosen apart: it must belong to the plan).
NOMINATION_FIELDS = tuple(f.name for f in FIELDS if f.owner == NOMINATION and f.name != "movement_id")
TEXT_LIMITS = {f.name: f.max_length for f in FIELDS if f.max_length}
REQUIRED_TO_SUBMIT = tuple(f.name for f in FIELDS if f.required_to_submit)
SECTIONS = ("who", "achievements", "meeting", "honour")


def in_section(section: str) -> list[Field]:
    return sorted((f for f in FIELDS if f.section == section), key=lambda f: f.template_rank)


def applies(field: Field, kind: CandidateKind) -> bool:
    return kind in field.applies_to

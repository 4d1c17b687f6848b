"""Nomination spreadsheets: the import template's columns and drop-downs, and the export rows."""
import os
import secrets
import tempfile
from array import array
from operator import attrgetter
from types import SimpleNamespace
from dataclasses import dataclass

from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tracker.candidates.models import Candidate, CandidateKind, Gender
from tracker.catalogue.models import AwardType
from tracker.nominations.fields import (CANDIDATE, FIELDS, TEMPLATE_FIELDS, export_zone, status_labels,
                                        submitted_day)
from tracker import clock, storage
from tracker.extensions import db
from tracker.jobs.services import JobFailed, Result
from tracker.nominations import queries
from tracker.permissions import visible_unit_ids
from tracker.nominations.models import Nomination
from tracker.spreadsheets.writer import CSV_MIMETYPE, XLSX_MIMETYPE, put, write_csv, write_xlsx
from tracker.plans.models import Movement, Plan
from tracker.units.models import Unit


@dataclass(frozen=True)
class Column:
    key: str  # the field's name (tracker.nominations.fields), or "number"
    header: str
    type: str  # skip, text, longtext, int, date, kind, gender, movement, honour
    width: int
    max_length: int | None = None


# The headers and codes are Vietnamese constants on purpose: they are a file format (the import
# reads them back), so they do not change with the interface language.
TEMPLATE_SHEET = "Danh sách"
LISTS_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"
# The headers of the lists the drop-downs offer (sheet "Danh mục").
LIST_HEADERS = {"kind": "Cá nhân/Tập thể", "gender": "Giới tính", "movement": "Phong trào thi đua",
                "honour": "Hình thức khen thưởng"}

# The import template's columns: a row number, then every field declared with a template header.
TEMPLATE_COLUMNS = (Column("number", "STT", "skip", 6),) + tuple(
    Column(f.name, f.template, f.type, f.width, f.max_length) for f in TEMPLATE_FIELDS)
COLUMN_BY_KEY = {c.key: c for c in TEMPLATE_COLUMNS}
# Where a field's error shows in the file when it has no column of its own.
FIELD_COLUMNS = {"proposed_award_type_id": "proposed_honour"}

KIND_CODES = {"Cá nhân": CandidateKind.INDIVIDUAL, "Tập thể": CandidateKind.COLLECTIVE}
GENDER_CODES = {"Nam": Gender.MALE, "Nữ": Gender.FEMALE}
KIND_NAMES = {v: k for k, v in KIND_CODES.items()}
GENDER_NAMES = {v: k for k, v in GENDER_CODES.items()}

GUIDE_LINES = (
    "Mẫu danh sách đề nghị điển hình tiên tiến – {plan}",
    "",
    "Mỗi dòng của trang “Danh sách” là một cá nhân hoặc một tập thể được đề nghị; không đổi tên, thứ tự các cột.",
    "Cột “Cá nhân/Tập thể”, “Giới tính”, “Phong trào thi đua” chọn trong danh sách thả xuống.",
    "Cá nhân: ghi giới tính, năm sinh (đủ 15 tuổi trở lên), chức vụ, nơi công tác.",
    "Tập thể: ghi tên tập thể, đơn vị chủ quản (cột nơi công tác) và số thành viên.",
    "Số phiếu đồng ý không được lớn hơn số người dự họp. Ngày ghi theo dạng dd/mm/yyyy.",
    "“Hình thức khen thưởng đề nghị”: chọn trong danh sách hoặc tự ghi.",
    "Tệp chỉ được nhập khi mọi dòng đều hợp lệ; các lỗi được liệt kê theo dòng và cột.",
    "Tối đa {max_rows} dòng mỗi tệp.",
)

EXPORT_TITLE = "DANH SÁCH TRÍCH NGANG CÁ NHÂN, TẬP THỂ ĐƯỢC ĐỀ NGHỊ ĐIỂN HÌNH TIÊN TIẾN"
# The exported list's columns: a row number, then every field declared with an export header.
EXPORT_FIELDS = tuple(f for f in FIELDS if f.export)
EXPORT_HEADERS = ("STT",) + tuple(f.export for f in EXPORT_FIELDS)
EXPORT_WIDTHS = (6,) + tuple(f.width for f in EXPORT_FIELDS)
EXPORT_WRAP = tuple(i for i, f in enumerate(EXPORT_FIELDS, start=1) if f.type == "longtext")


def _getter(field):
    """How the exported list reads `field` from a nomination (worked out once per list)."""
    if field.name == "status":
        labels = status_labels()
        return lambda n: labels[n.status]
    if field.name == "submitted_on":
        zone = export_zone()
        return lambda n: submitted_day(n.submitted_at, zone)
    if field.listed is not None:
        return field.listed
    if field.name == "kind":
        return lambda n: KIND_NAMES[n.candidate.kind]
    if field.name == "gender":
        return lambda n: GENDER_NAMES.get(n.candidate.gender, "")
    if field.name == "movement_id":
        return lambda n: n.movement.name if n.movement else ""
    return attrgetter(f"candidate.{field.name}" if field.owner == CANDIDATE else field.name)


def template_workbook(plan, movements: list, award_names: list[str], max_rows: int) -> Workbook:
    """The import template for `plan`: the header row, drop-down lists for the coded columns
    (kind, gender, movement, proposed honour; the honour also takes free text), a guide sheet.
    Every cell goes through the spreadsheet writer: a movement or plan named "=..." stays text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_SHEET
    header_font, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for index, column in enumerate(TEMPLATE_COLUMNS, start=1):
        put(sheet, 1, index, column.header, font=header_font, fill=fill,
            alignment=Alignment(wrap_text=True, vertical="center"))
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        if column.type == "date":
            for row in range(2, min(max_rows, 500) + 2):
                sheet.cell(row=row, column=index).number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 45

    lists = workbook.create_sheet(LISTS_SHEET)
    values = {
        "kind": list(KIND_CODES), "gender": list(GENDER_CODES),
        "movement": [m.name for m in movements], "honour": list(award_names),
    }
    last = max_rows + 1
    for col_index, (code, options) in enumerate(values.items(), start=1):
        letter = get_column_letter(col_index)
        put(lists, 1, col_index, LIST_HEADERS[code])
        for row, option in enumerate(options, start=2):
            put(lists, row, col_index, option)
        if not options:
            continue
        target = next(i for i, c in enumerate(TEMPLATE_COLUMNS, start=1) if c.type == code)
        target_letter = get_column_letter(target)
        free_text = code == "honour"
        validation = DataValidation(
            type="list", formula1=f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(options) + 1}",
            allow_blank=True, showErrorMessage=not free_text, errorStyle="warning" if free_text else "stop",
            error="Chọn một giá trị trong danh sách.", errorTitle="Giá trị không hợp lệ",
        )
        validation.add(f"{target_letter}2:{target_letter}{last}")
        sheet.add_data_validation(validation)
    lists.sheet_state = "hidden"

    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.column_dimensions["A"].width = 110
    for row, line in enumerate(GUIDE_LINES, start=1):
        put(guide, row, 1, line.format(plan=f"{plan.number} – {plan.title}", max_rows=max_rows))
    guide["A1"].font = Font(bold=True, size=13)
    workbook.active = 0
    return workbook


# --- the exported list as a background job ----------------------------------------------------

EXPORT_BATCH = 2000  # nominations read per query while a list is written


class _LightNomination(SimpleNamespace):
    """A nomination as the exported list reads it: the row's plain values and those of its
    candidate, unit, plan, movement and proposed award, without the ORM's bookkeeping (a
    national list has a million of them). Its derived values are the model's own."""

    vote_share = Nomination.vote_share
    proposed_honour_label = Nomination.proposed_honour_label


_NOMINATION_COLUMNS = tuple(Nomination.__table__.columns)
_CANDIDATE_COLUMNS = tuple(Candidate.__table__.columns)


def _light_rows(ids: list[int]):
    """The nominations of `ids` with all a row of the list shows, in one Core query."""
    query = (
        select(*_NOMINATION_COLUMNS, *_CANDIDATE_COLUMNS, Unit.name, Plan.number, Movement.name, AwardType.name)
        .join(Candidate, Candidate.id == Nomination.candidate_id)
        .join(Unit, Unit.id == Nomination.unit_id)
        .join(Plan, Plan.id == Nomination.plan_id)
        .outerjoin(Movement, Movement.id == Nomination.movement_id)
        .outerjoin(AwardType, AwardType.id == Nomination.proposed_award_type_id)
        .where(Nomination.id.in_(ids))
    )
    nomination_keys = [c.key for c in _NOMINATION_COLUMNS]
    candidate_keys = [c.key for c in _CANDIDATE_COLUMNS]
    split = len(nomination_keys)
    end = split + len(candidate_keys)
    for row in db.session.connection().execute(query):  # plain rows: no ORM bookkeeping
        unit_name, plan_number, movement_name, award_name = row[end:]
        yield _LightNomination(
            **dict(zip(nomination_keys, row[:split])),
            candidate=SimpleNamespace(**dict(zip(candidate_keys, row[split:end]))),
            unit=SimpleNamespace(name=unit_name), plan=SimpleNamespace(number=plan_number),
            movement=SimpleNamespace(name=movement_name) if movement_name is not None else None,
            proposed_award_type=SimpleNamespace(name=award_name) if award_name is not None else None)


def export_params(fmt: str, filters: dict) -> dict:
    """The queue's filters as a job keeps them (plain JSON)."""
    return {
        "fmt": fmt,
        "plan_id": filters.get("plan_id"),
        "movement_id": filters.get("movement_id"),
        "unit_id": filters["unit"].id if filters.get("unit") is not None else None,
        "status": filters.get("status"),
        "kind": filters["kind"].value if filters.get("kind") is not None else None,
        "text": filters.get("text") or "",
        "sort": filters.get("sort") or "newest",
    }


def write_list(path: str, fmt: str, rows, heading: str) -> None:
    if fmt == "csv":
        write_csv(path, EXPORT_HEADERS, rows)
    else:
        write_xlsx(path, EXPORT_HEADERS, rows, title="Trích ngang", widths=EXPORT_WIDTHS, wrap_columns=EXPORT_WRAP,
                   heading=heading)


def export_filename(fmt: str, day) -> str:
    return f"danh-sach-trich-ngang-{day:%Y%m%d}.{fmt}"


def export_job(job, progress) -> Result:
    """Write the owner's filtered list of nominations (as they see it now) to a file in storage.

    Memory stays bounded whatever the list's length: the ids are read once in the list's order
    (8 bytes each), then the nominations a batch at a time, each batch in a short read of its own,
    and the rows go to a write-only workbook or a CSV file on disk. The file reaches storage whole
    (tracker.storage) and only then is the job done: a worker killed half-way leaves nothing."""

    job_id, owner, params = job.id, job.owner, dict(job.params)  # the batches below detach them
    fmt = params["fmt"]
    if not owner.active:
        raise JobFailed(_("The account that asked for this list is closed."))
    unit = db.session.get(Unit, params["unit_id"]) if params.get("unit_id") else None
    if unit is not None and not unit.is_within(owner.unit):
        raise JobFailed(_("The chosen unit is no longer in your scope."))
    filters = {"plan_id": params.get("plan_id"), "movement_id": params.get("movement_id"), "unit": unit,
               "status": params.get("status"), "text": params.get("text") or "",
               "kind": CandidateKind(params["kind"]) if params.get("kind") else None,
               "sort": params.get("sort") or "newest"}
    heading = f"{EXPORT_TITLE} – {owner.unit.name}"
    progress(0, phase="counting")
    query = queries.search_nominations(visible_unit_ids(owner), **filters)
    ids = array("q")  # 8 bytes a nomination, read a partition at a time
    for part in db.session.connection().execution_options(yield_per=20_000).execute(
            query.with_only_columns(Nomination.id)).scalars().partitions():
        ids.extend(part)
    db.session.rollback()  # the read ends here; each batch below is a read of its own
    progress(0, len(ids), phase="writing")

    def rows():
        getters = [_getter(f) for f in EXPORT_FIELDS]  # in the list's language (see below)
        number = 0
        for start in range(0, len(ids), EXPORT_BATCH):
            batch = ids[start:start + EXPORT_BATCH]
            loaded = {row.id: row for row in _light_rows(batch.tolist())}
            db.session.rollback()  # each batch a short read of its own
            for nomination_id in batch:
                nomination = loaded.get(nomination_id)
                if nomination is None:  # deleted since the list was read
                    continue
                number += 1
                yield [number, *[get(nomination) for get in getters]]
            progress(min(start + EXPORT_BATCH, len(ids)))

    suffix = f".{fmt}"
    handle, path = tempfile.mkstemp(prefix="tracker-export-", suffix=suffix)
    os.close(handle)
    try:
        with force_locale("vi"):  # a Vietnamese administrative list, whatever the owner's language
            write_list(path, fmt, rows(), heading)
        content_type = CSV_MIMETYPE if fmt == "csv" else XLSX_MIMETYPE
        progress(len(ids), phase="storing")
        key = f"exports/{job_id}-{secrets.token_hex(12)}{suffix}"
        storage.current().put_file(key, path, content_type)
        size = os.path.getsize(path)
    finally:
        os.remove(path)
    return Result(key=key, name=export_filename(fmt, clock.today()), content_type=content_type, size=size,
                  outcome={"rows": len(ids)})

"""Candidate history from a spreadsheet: one row per candidate per year, all or nothing."""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from tracker import clock
from tracker.attachments import services as files
from tracker.candidates import services as candidates
from tracker.catalogue.regimes import regime_for
from tracker.candidates.models import AwardRecord, Discipline, InitiativeLevel, Rating
from tracker.catalogue.models import AwardType
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.jobs.services import JobFailed, Result, keep_upload, kept_upload, start_job
from tracker.permissions import can_import_history
from tracker.candidates.models import Candidate
from tracker.candidates.services import name_key
from tracker.spreadsheets.reader import Limits, WorkbookRefused, open_workbook
from tracker.units.models import Unit

# The columns every file has (those of the first template, still accepted alone), then every other
# fact the eligibility rules read: a research project accepted, and a collective's members.
REQUIRED_HEADERS = ["Mã đơn vị", "Họ và tên / Tên tập thể", "Năm sinh", "Năm", "Xếp loại",
                    "Danh hiệu, khen thưởng (mã)", "Sáng kiến được công nhận (cấp)", "Số sáng kiến", "Kỷ luật"]
MORE_HEADERS = ["Đề tài khoa học được nghiệm thu (CO/KHONG)", "Tập thể: tổng số thành viên",
                "Tập thể: số hoàn thành nhiệm vụ", "Tập thể: số đạt Lao động tiên tiến",
                "Tập thể: số đạt Chiến sĩ thi đua cơ sở", "Tập thể: số bị kỷ luật",
                "Cá nhân: số tháng công tác trong năm", "Cá nhân: số ngày làm việc nghỉ (không kể thai sản)"]
HEADERS = REQUIRED_HEADERS + MORE_HEADERS
MEMBER_FIELDS = ("members_total", "members_completed", "members_ldtt", "members_cstdcs", "members_disciplined")
YES_NO = {"CO": True, "KHONG": False}
RATINGS = {"HTXSNV": Rating.EXCELLENT, "HTTNV": Rating.GOOD, "HTNV": Rating.COMPLETED, "KHTNV": Rating.FAILED}
LEVELS = {"CS": InitiativeLevel.GRASSROOTS, "TINH": InitiativeLevel.PROVINCIAL, "TQ": InitiativeLevel.NATIONAL}
DISCIPLINES = {"KHONG": None, "KHIEN_TRACH": Discipline.REPRIMAND, "CANH_CAO": Discipline.WARNING,
               "NANG_HON": Discipline.HIGHER}
EXAMPLE = ["46", "Nguyễn Văn Hòa", 1972, 2019, "HTXSNV", "LDTT, CSTDCS", "CS", 1, "KHONG", "KHONG", None, None, None,
           None, None, 12, 0]
MAX_ROWS = 2000


@dataclass
class HistoryRow:
    number: int
    candidate: Candidate
    year: int
    values: dict
    awards: list[AwardType] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[HistoryRow] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)


def template_rows() -> tuple[list[str], list[list]]:
    return HEADERS, [EXAMPLE]


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _int(value, row, column, errors, minimum=0, maximum=100000) -> int | None:
    if value is None or _text(value) == "":
        return None
    try:
        number = int(float(str(value).replace(".", "").replace(",", "."))) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        errors.append((row, column, f"Phải là số nguyên, không phải “{_text(value)}”."))
        return None
    if not minimum <= number <= maximum:
        errors.append((row, column, f"Phải trong khoảng {minimum}–{maximum}."))
        return None
    return number


def _code(value, table, row, column, errors):
    text = _text(value).upper().replace(" ", "_").replace("Đ", "D")
    if text == "":
        return False, None
    if text not in table:
        errors.append((row, column, f"“{_text(value)}” không hợp lệ; dùng một trong: {', '.join(table)}."))
        return False, None
    return True, table[text]


def read_history(data: bytes, scope: Unit, limits: Limits | None = None) -> ImportResult:
    """Check every row of the workbook; rows are only returned when the whole file is valid.

    Candidates are found by unit code, name (ignoring case and diacritics) and birth year, inside
    `scope`; award codes are those of the catalogue of the regime in force in that year. The file
    is read through the guarded reader (`limits`, else the configured ones): a workbook it refuses
    is one error, its reason, and nothing else is checked.
    """
    result = ImportResult()
    try:
        book = open_workbook(data, limits)
        rows = book.rows(book.active_sheet)
        number, values = next(rows, (0, ()))
    except WorkbookRefused as refusal:
        result.errors.append((0, "", refusal.message))
        return result
    header = [_text(v) for v in values] if number == 1 else []
    while header and header[-1] == "":
        header.pop()
    # The first template's nine columns alone, or every column of today's template.
    expected_headers = REQUIRED_HEADERS if len(header) <= len(REQUIRED_HEADERS) else HEADERS
    for index, expected in enumerate(expected_headers):
        found = header[index] if index < len(header) else ""
        if found != expected:
            result.errors.append((1, chr(65 + index), f"Cột phải là “{expected}”, đang là “{found}”."))
    if result.errors:
        return result
    try:
        _check_rows(result, rows, scope)
    except WorkbookRefused as refusal:  # a limit passed while reading: that is all the user needs
        result.errors = [(0, "", refusal.message)]
    if result.errors:
        result.rows = []
    elif not result.rows:
        result.errors.append((0, "", "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    return result


def _check_rows(result: ImportResult, rows, scope: Unit) -> None:
    """Check each data row (number, values) into `result`: its rows, or its errors by row and column."""
    units = {u.code: u for u in db.session.scalars(select(Unit).where(Unit.path.startswith(scope.path, autoescape=True)))}
    awards = {(a.regime, a.code): a for a in db.session.scalars(select(AwardType))}
    seen = set()
    for number, values in rows:
        if number - 1 > MAX_ROWS:
            result.errors.append((number, "", f"Tệp có hơn {MAX_ROWS} dòng; hãy chia thành nhiều tệp."))
            break
        values = (list(values) + [None] * len(HEADERS))[:len(HEADERS)]
        if all(_text(v) == "" for v in values[:len(HEADERS)]):
            continue
        errors = result.errors
        before = len(errors)
        unit = units.get(_text(values[0]))
        if unit is None:
            errors.append((number, "A", f"Không có đơn vị mã “{_text(values[0])}” trong phạm vi của bạn."))
        name = _text(values[1])
        if not name:
            errors.append((number, "B", "Thiếu họ và tên / tên tập thể."))
        birth_year = _int(values[2], number, "C", errors, 1900, clock.today().year)
        year = _int(values[3], number, "D", errors, 1975, 2100)
        if year is None and _text(values[3]) == "":
            errors.append((number, "D", "Thiếu năm."))
        _ok, rating = _code(values[4], RATINGS, number, "E", errors)
        codes = [c.strip().upper() for c in _text(values[5]).replace(";", ",").split(",") if c.strip()]
        _ok, level = _code(values[6], LEVELS, number, "G", errors)
        count = _int(values[7], number, "H", errors, 0, 100)
        has_discipline, discipline = _code(values[8], DISCIPLINES, number, "I", errors)
        has_research, research = _code(values[9], YES_NO, number, "J", errors)
        members = {name: _int(values[10 + index], number, chr(75 + index), errors, 0, 1_000_000)
                   for index, name in enumerate(MEMBER_FIELDS)}
        service = {"months_in_service": _int(values[15], number, "P", errors, 0, 12),
                   "leave_working_days": _int(values[16], number, "Q", errors, 0, 366)}
        candidate = None
        if unit is not None and name:
            query = select(Candidate).where(Candidate.unit_id == unit.id, Candidate.name_key == name_key(name))
            if birth_year is not None:
                query = query.where(Candidate.birth_year == birth_year)
            matches = db.session.scalars(query.limit(2)).all()
            if len(matches) != 1:
                errors.append((number, "B", "Không tìm thấy người/tập thể này trong đơn vị." if not matches
                               else "Có nhiều người trùng tên; hãy ghi năm sinh."))
            else:
                candidate = matches[0]
        if candidate is not None and candidate.kind.value == "individual":
            for index, name in enumerate(MEMBER_FIELDS):
                if members[name] is not None:
                    errors.append((number, chr(75 + index), "Chỉ ghi cho tập thể; để trống với cá nhân."))
        if candidate is not None and candidate.kind.value == "collective":
            for column, name in (("P", "months_in_service"), ("Q", "leave_working_days")):
                if service[name] is not None:
                    errors.append((number, column, "Chỉ ghi cho cá nhân; để trống với tập thể."))
        total = members["members_total"]
        for index, name in enumerate(MEMBER_FIELDS[1:], start=1):
            if total is not None and members[name] is not None and members[name] > total:
                errors.append((number, chr(75 + index), f"Lớn hơn tổng số thành viên ({total})."))
        found_awards = []
        if year is not None:
            regime = regime_for(date(year, 12, 31))
            for code in codes:
                award = awards.get((regime, code))
                if award is None:
                    errors.append((number, "F", f"Mã khen thưởng “{code}” không có trong danh mục năm {year}."))
                else:
                    found_awards.append(award)
        if candidate is not None and year is not None:
            if (candidate.id, year) in seen:
                errors.append((number, "D", "Người này đã có một dòng cho năm này trong tệp."))
            seen.add((candidate.id, year))
            for award in found_awards:
                if db.session.scalar(select(AwardRecord.id).where(
                        AwardRecord.candidate_id == candidate.id, AwardRecord.year == year,
                        AwardRecord.award_type_id == award.id, AwardRecord.revoked.is_(False))):
                    errors.append((number, "F", f"{award.name} năm {year} đã được ghi nhận trước đó."))
        if len(errors) == before:
            year_values = {"rating": rating, "initiative_level": level, "initiative_count": count}
            if has_discipline:
                year_values["discipline"] = discipline
            if has_research:
                year_values["research_accepted"] = research
            year_values.update({name: value for name, value in {**members, **service}.items() if value is not None})
            result.rows.append(HistoryRow(number, candidate, year, year_values, found_awards))


def import_history(actor, result: ImportResult) -> int:
    """Write every checked row (yearly row and award records); returns how many rows."""
    for row in result.rows:
        candidates.save_candidate_year(actor, row.candidate, row.year, **row.values)
        for award in row.awards:
            candidates.add_award_record(actor, row.candidate, award, row.year)
    return len(result.rows)


# --- the import as a background job --------------------------------------------------------


def start_history_import(actor, upload: files.Upload, max_bytes: int):
    """Keep an .xlsx (checked by its content and size) and queue its import, run as `actor`
    within their scope; a refusal names the form's file field."""
    data = upload.stream.read(max_bytes + 1)
    if not data:
        raise DomainError(_("The file is empty."), "file")
    if len(data) > max_bytes:
        raise DomainError(_("The file is larger than %(limit)s MB.", limit=max_bytes // files.MB or 1), "file")
    if files.sniff(data) != files.XLSX:
        raise DomainError(_("This is not an Excel .xlsx file. Download the template, fill it in and save it as .xlsx."),
                          "file")
    key = keep_upload(data, files.XLSX, "file")
    title = _("Import of award history from %(name)s", name=files.clean_name(upload.name or "")[:100])
    return start_job(actor, "history_import", title, {"key": key, "unit_id": actor.unit_id})


def history_job(job, progress) -> Result:
    """Check every row of the kept file and write them all, or none with every problem listed."""
    owner, params = job.owner, dict(job.params)
    if not owner.active or owner.unit_id != params["unit_id"] or not can_import_history(owner):
        raise JobFailed(_("The account that sent this file is closed or serves another unit now."))
    progress(0, phase="reading")
    data = kept_upload(params["key"])
    progress(0, phase="checking")
    result = read_history(data, owner.unit)
    if result.errors:
        return Result(failed=_("The file was not imported: correct the problems listed and upload it again."),
                      outcome={"problems": [{"row": row or None, "column": column, "message": str(message)}
                                            for row, column, message in result.errors]})
    progress(0, len(result.rows), phase="saving")
    return Result(outcome={"imported": import_history(owner, result)})

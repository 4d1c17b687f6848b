"""Nomination spreadsheets: the import template's columns and drop-downs, and the export rows."""
from dataclasses import dataclass
from typing import Iterable

from flask_babel import to_user_timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tracker.nominations.labels import NOMINATION_STATUS_LABELS
from tracker.nominations.models import CandidateKind, Gender, Nomination
from tracker.spreadsheets.writer import put


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str  # skip, text, int, date, kind, gender, movement, honour
    width: int
    max_length: int | None = None


# The headers and codes are Vietnamese constants on purpose: they are a file format (the import
# reads them back), so they do not change with the interface language.
TEMPLATE_SHEET = "Danh sách"
LISTS_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"

TEMPLATE_COLUMNS = (
    Column("number", "STT", "skip", 6),
    Column("kind", "Cá nhân/Tập thể", "kind", 14),
    Column("full_name", "Họ và tên (tên tập thể)", "text", 28, 200),
    Column("gender", "Giới tính", "gender", 10),
    Column("birth_year", "Năm sinh", "int", 10),
    Column("position", "Chức vụ", "text", 24, 200),
    Column("workplace", "Nơi công tác (đơn vị chủ quản của tập thể)", "text", 32, 300),
    Column("member_count", "Số thành viên (tập thể)", "int", 12),
    Column("movement", "Phong trào thi đua", "movement", 40),
    Column("achievements", "Tóm tắt thành tích", "text", 60, 20000),
    Column("period_start_year", "Thành tích từ năm", "int", 12),
    Column("period_end_year", "Đến năm", "int", 10),
    Column("meeting_date", "Ngày họp bình xét (dd/mm/yyyy)", "date", 16),
    Column("members_present", "Số người dự họp", "int", 12),
    Column("votes_for", "Số phiếu đồng ý", "int", 12),
    Column("proposed_honour", "Hình thức khen thưởng đề nghị", "honour", 36, 300),
)
COLUMN_BY_KEY = {c.key: c for c in TEMPLATE_COLUMNS}
# Where a field's error shows in the file when it has no column of its own.
FIELD_COLUMNS = {"proposed_award_type_id": "proposed_honour", "movement_id": "movement"}

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
EXPORT_HEADERS = (
    "STT", "Họ và tên / Tên tập thể", "Cá nhân/Tập thể", "Giới tính", "Năm sinh", "Chức vụ",
    "Nơi công tác / Đơn vị chủ quản", "Số thành viên", "Đơn vị đề nghị", "Kế hoạch", "Phong trào thi đua",
    "Tóm tắt thành tích", "Giai đoạn", "Ngày họp bình xét", "Số người dự họp", "Số phiếu đồng ý",
    "Tỷ lệ đồng ý (%)", "Hình thức khen thưởng đề nghị", "Trạng thái", "Ngày gửi",
)
EXPORT_WIDTHS = (6, 28, 12, 9, 9, 24, 30, 10, 24, 16, 36, 60, 12, 14, 10, 10, 10, 32, 14, 12)
EXPORT_WRAP = (11,)  # achievements


def _period(nomination: Nomination) -> str:
    start, end = nomination.period_start_year, nomination.period_end_year
    if start and end:
        return f"{start} - {end}" if start != end else str(start)
    return str(start or end or "")


def export_rows(nominations: Iterable[Nomination]) -> Iterable[list]:
    """One line per nomination of the list (danh sách trích ngang), numbered from 1."""
    for number, n in enumerate(nominations, start=1):
        c = n.candidate
        yield [
            number, c.full_name, KIND_NAMES[c.kind], GENDER_NAMES.get(c.gender, ""), c.birth_year,
            c.position, c.workplace, c.member_count, n.unit.name, n.plan.number,
            n.movement.name if n.movement else "", n.achievements, _period(n), n.meeting_date,
            n.members_present, n.votes_for, n.vote_share, n.proposed_honour_label,
            str(NOMINATION_STATUS_LABELS[n.status]),
            to_user_timezone(n.submitted_at).date() if n.submitted_at else None,
        ]


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
        put(lists, 1, col_index, code)
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

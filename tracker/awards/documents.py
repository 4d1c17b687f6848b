"""Proposal (tờ trình) and decision list documents laid out as Nghị định 30/2020/NĐ-CP asks.

A4, Times New Roman, margins top/bottom 20 mm, left 30 mm, right 15 mm; the issuing body and the
number and symbol on the left, the Quốc hiệu and Tiêu ngữ on the right, then place and date.
"""
import io
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tracker import clock
from tracker.rules.money import vnd
from tracker.spreadsheets.writer import put, put_row, workbook_bytes

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
FONT = "Times New Roman"
_PREFIXES = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Quận ", "Huyện ", "Thị xã ", "Đặc khu ")


def place_name(unit_name: str) -> str:
    """"Thành phố Huế" -> "Huế": the place written before the date."""
    for prefix in _PREFIXES:
        if unit_name.startswith(prefix):
            return unit_name[len(prefix):]
    return unit_name


def long_date(day: date) -> str:
    """"ngày 15 tháng 4 năm 2020" (days and months under 10 written with a leading zero only
    for 1 and 2, as the decree asks: ngày 05 tháng 02)."""
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {d} tháng {m} năm {day.year}"


def _document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return doc


def _line(cell_or_doc, text, size=13, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, first=False):
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    return paragraph


def _no_borders(table) -> None:
    borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def _header(doc, issuer_lines: list[str], number: str, place: str, day: date) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    for index, text in enumerate(issuer_lines):
        _line(left, text.upper(), size=13, bold=index == len(issuer_lines) - 1, first=index == 0)
    _line(left, "―――――", size=11)
    _line(left, f"Số: {number}", size=13)
    _line(right, QUOC_HIEU, size=12, bold=True, first=True)
    _line(right, TIEU_NGU, size=13, bold=True)
    _line(right, "―――――――――――", size=11)
    _line(right, f"{place}, {long_date(day)}", size=13, italic=True)


def _list_table(doc, headers: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, headers):
        _line(cell, text, size=13, bold=True, first=True)
    for row in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row)):
            _line(cell, text, size=13, first=True,
                  align=WD_ALIGN_PARAGRAPH.CENTER if index == 0 else WD_ALIGN_PARAGRAPH.LEFT)


def _save(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


LIST_HEADERS = ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Tiền thưởng (đồng)"]


def _rows(items, money) -> list[list[str]]:
    """One row per nominee with its reward money, and the total."""
    rows = []
    for index, item in enumerate(items, start=1):
        candidate = item.nomination.candidate
        line = money.lines.get(item.id)
        rows.append([str(index), candidate.full_name, candidate.position or "",
                     candidate.workplace or item.nomination.unit.name,
                     vnd(line.amount) if line is not None and line.known else ""])
    rows.append(["", "Tổng cộng", "", "", vnd(sum(money.lines[i.id].amount for i in items if i.id in money.lines))])
    return rows


def _money_line(money) -> str:
    known = [line for line in money.lines.values() if line.known]
    if not known:
        return ""
    base = known[0].base
    return (f"Mức tiền thưởng tính theo mức lương cơ sở {vnd(base.amount)} đồng ({base.instrument}), "
            f"làm tròn lên hàng chục nghìn đồng.")


def issuer_lines(unit_name: str) -> list[str]:
    return ["Ủy ban nhân dân", unit_name]


def proposal_docx(proposal, money, plan=None) -> bytes:
    """The tờ trình: header, title, addressee, grounds, request and the list of nominees."""
    unit = proposal.proposing_unit
    award = proposal.award_type
    day = proposal.proposal_date or clock.today()
    doc = _document()
    _header(doc, issuer_lines(unit.name), proposal.number, place_name(unit.name), day)
    doc.add_paragraph()
    _line(doc, "TỜ TRÌNH", size=14, bold=True)
    _line(doc, f"Về việc đề nghị tặng {award.name}", size=14, bold=True)
    doc.add_paragraph()
    _line(doc, f"Kính gửi: {proposal.addressed_authority}", size=14)
    grounds = [f"Căn cứ {award.legal_basis};"]
    if plan is not None:
        grounds.append(f"Căn cứ Kế hoạch số {plan.number} ngày {plan.issued_date:%d/%m/%Y} về {plan.title[0].lower()}{plan.title[1:]};")
    for text in grounds:
        _line(doc, text, size=14, align=WD_ALIGN_PARAGRAPH.JUSTIFY).paragraph_format.first_line_indent = Mm(10)
    individuals = sum(1 for i in proposal.items if i.nomination.candidate.kind.value == "individual")
    collectives = len(proposal.items) - individuals
    request = (f"Ủy ban nhân dân {unit.name} kính đề nghị {proposal.addressed_authority} xem xét, tặng {award.name} "
               f"cho {individuals} cá nhân và {collectives} tập thể đã có thành tích xuất sắc "
               f"(có danh sách kèm theo).")
    _line(doc, request, size=14, align=WD_ALIGN_PARAGRAPH.JUSTIFY).paragraph_format.first_line_indent = Mm(10)
    if money.total:
        _line(doc, f"Tổng số tiền thưởng đề nghị: {vnd(money.total)} đồng. {_money_line(money)}", size=14,
              align=WD_ALIGN_PARAGRAPH.JUSTIFY).paragraph_format.first_line_indent = Mm(10)
    doc.add_paragraph()
    _line(doc, "DANH SÁCH ĐỀ NGHỊ", size=13, bold=True)
    _list_table(doc, LIST_HEADERS, _rows(proposal.items, money))
    doc.add_paragraph()
    _line(doc, "TM. ỦY BAN NHÂN DÂN", size=13, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _line(doc, "CHỦ TỊCH", size=13, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return _save(doc)


def decision_list_docx(proposal, decision, money) -> bytes:
    """The list attached to the decision: who was awarded."""
    unit = proposal.proposing_unit
    doc = _document()
    _header(doc, issuer_lines(unit.name), decision.number, place_name(unit.name), decision.decision_date)
    doc.add_paragraph()
    _line(doc, "DANH SÁCH", size=14, bold=True)
    _line(doc, f"cá nhân, tập thể được tặng {proposal.award_type.name}", size=14, bold=True)
    _line(doc, f"(Kèm theo Quyết định số {decision.number} {long_date(decision.decision_date)} "
               f"của Chủ tịch Ủy ban nhân dân {unit.name})", size=14, italic=True)
    doc.add_paragraph()
    _list_table(doc, LIST_HEADERS, _rows([i for i in proposal.items if i.awarded], money))
    if money.total:
        _line(doc, _money_line(money), size=13, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    doc.add_paragraph()
    _line(doc, "CHỦ TỊCH", size=13, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _line(doc, decision.signer, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    return _save(doc)


def proposal_xlsx(proposal, money, verdicts: dict[int, str] | None = None) -> bytes:
    """The list as a spreadsheet: one row per nominee, with the result when decided. Every cell
    goes through the spreadsheet writer, so an imported name such as "=HYPERLINK(...)" stays text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    put(sheet, 1, 1, f"Danh sách đề nghị tặng {proposal.award_type.name} – Tờ trình số {proposal.number}",
        font=Font(bold=True, size=13))
    headers = ["STT", "Họ và tên / Tên tập thể", "Cá nhân / Tập thể", "Chức vụ", "Đơn vị", "Hình thức khen thưởng",
               "Kết quả", "Tiền thưởng (đồng)"]
    put_row(sheet, 2, headers, font=Font(bold=True),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
    for index, item in enumerate(proposal.items, start=1):
        candidate = item.nomination.candidate
        result = "" if item.awarded is None else ("Được khen thưởng" if item.awarded else "Không được khen thưởng")
        put_row(sheet, index + 2, [index, candidate.full_name, "Cá nhân" if candidate.kind.value == "individual"
                                   else "Tập thể", candidate.position or "",
                                   candidate.workplace or item.nomination.unit.name, proposal.award_type.name, result,
                                   money.lines[item.id].amount if money.lines[item.id].known else None])
    put_row(sheet, len(proposal.items) + 3, [None, "Tổng cộng", None, None, None, None, None, money.total],
            font=Font(bold=True))
    for column, width in zip("ABCDEFGH", (6, 32, 14, 28, 32, 34, 22, 18)):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(workbook)

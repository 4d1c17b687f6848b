"""The layout of an administrative document under Nghị định 30/2020/NĐ-CP (Phụ lục I), for
python-docx: A4, Times New Roman, margins 20/20/30/15 mm; the issuing body and the number on the
left, the national name on one line and the motto on the right, each underlined by a real
border of the decree's length; the place and date; page numbers from page 2, centred at the top;
the recipients (Nơi nhận) and a signature block centred in its column with room to sign."""
import io
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
FONT = "Times New Roman"
TEXT_WIDTH_MM = 165  # 210 - 30 - 15
LEFT_MM, RIGHT_MM = 66, 99  # the header's columns: the national name fits its column on one line
CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)
_KINDS = ("Thành phố", "Tỉnh", "Phường", "Xã", "Quận", "Huyện", "Thị xã", "Đặc khu", "Thị trấn")


def running_name(unit_name: str) -> str:
    """A unit's name as running text writes it (Phụ lục II): "Thành phố Huế" -> "thành phố Huế"."""
    for kind in _KINDS:
        if unit_name.startswith(kind + " "):
            return kind.lower() + unit_name[len(kind):]
    return unit_name


def place_name(unit_name: str) -> str:
    """"Thành phố Huế" -> "Huế": the place written before the date."""
    for kind in _KINDS:
        if unit_name.startswith(kind + " "):
            return unit_name[len(kind) + 1:]
    return unit_name


def long_date(day: date) -> str:
    """"ngày 15 tháng 4 năm 2020" (a day under 10, and the months 1 and 2, with a leading zero)."""
    d = f"{day.day:02d}" if day.day < 10 else str(day.day)
    m = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {d} tháng {m} năm {day.year}"


def new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    _page_numbers(section)
    return doc


def _page_numbers(section) -> None:
    """Page numbers centred at the top, from the second page (the first page has none)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), FONT)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "28")
    properties.extend([fonts, size])
    text = OxmlElement("w:t")
    text.text = "2"
    run.extend([properties, text])
    field.append(run)
    paragraph._p.append(field)


def line(container, text: str, size: int = 14, bold: bool = False, italic: bool = False, align=CENTER,
         first: bool = False, indent_mm: float = 0, after: float = 0, before: float = 0):
    """One paragraph of one run (the container's first paragraph when `first`); spacing in points."""
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    if indent_mm:
        paragraph.paragraph_format.first_line_indent = Mm(indent_mm)
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    return paragraph


def rule(container, length_mm: float, column_mm: float) -> None:
    """A horizontal line of `length_mm`, centred in a column of `column_mm`: a paragraph's bottom
    border between indents (a real line, not dash characters)."""
    paragraph = container.add_paragraph()
    side = max((column_mm - length_mm) / 2, 0)
    formatting = paragraph.paragraph_format
    formatting.left_indent = formatting.right_indent = Mm(side)
    formatting.space_before = formatting.space_after = Pt(0)
    formatting.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    formatting.line_spacing = Pt(3)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def text_width_mm(text: str, size: int, bold: bool = False) -> float:
    """A rough width of a line of Times New Roman (what the lines under it are sized from)."""
    per_char = (0.52 if text.isupper() else 0.44) * size * 0.3528 * (1.06 if bold else 1)
    return len(text) * per_char


def fixed_table(doc_or_cell, widths_mm: list[float], borders: bool):
    """A table of fixed column widths (Word and LibreOffice both keep them)."""
    table = doc_or_cell.add_table(rows=1, cols=len(widths_mm))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    if borders:
        table.style = "Table Grid"
    else:
        existing = properties.first_child_found_in("w:tblBorders")
        if existing is not None:
            properties.remove(existing)
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for cell, width in zip(table.rows[0].cells, widths_mm):
        cell.width = Mm(width)
    return table


def keep_together(row) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))


def size_row(row, widths_mm: list[float]) -> None:
    for cell, width in zip(row.cells, widths_mm):
        cell.width = Mm(width)


def header(doc, parent_body: str | None, issuing_body: list[str], number: str, place: str, day: date) -> None:
    """The heading block: the parent body (not bold) and the issuing body's whole name (bold) with
    a line under it and the number; the national name on one line and the motto underlined by a
    line of its own length; the place and date (italic)."""
    table = fixed_table(doc, [LEFT_MM, RIGHT_MM], borders=False)
    left, right = table.rows[0].cells
    first = True
    if parent_body:
        line(left, parent_body.upper(), size=13, first=True)
        first = False
    for text in issuing_body:
        line(left, text.upper(), size=13, bold=True, first=first)
        first = False
    longest = max(text_width_mm(t.upper(), 13, True) for t in issuing_body)
    rule(left, max(min(longest * 0.45, LEFT_MM), 18), LEFT_MM)
    line(left, f"Số: {number}", size=13, before=6)
    line(right, QUOC_HIEU, size=12, bold=True, first=True)
    line(right, TIEU_NGU, size=13, bold=True)
    rule(right, text_width_mm(TIEU_NGU, 13, True), RIGHT_MM)
    line(right, f"{place}, {long_date(day)}", size=14, italic=True, before=6)


def title(doc, kind: str, summary: str) -> None:
    """The document's kind ("QUYẾT ĐỊNH") and its trích yếu, with a line under it."""
    line(doc, "", before=6)
    line(doc, kind, size=14, bold=True)
    line(doc, summary, size=14, bold=True)
    rule(doc, max(text_width_mm(summary, 14, True) * 0.4, 30), TEXT_WIDTH_MM)
    line(doc, "")


def body(doc, text: str, italic: bool = False, bold: bool = False) -> None:
    line(doc, text, size=14, italic=italic, bold=bold, align=JUSTIFY, indent_mm=10, after=6)


def signature(doc, recipients: list[str], authority_lines: list[str], signer: str) -> None:
    """Nơi nhận on the left; on the right, centred, the signing authority, room to sign, the name."""
    widths = [75, TEXT_WIDTH_MM - 75]
    table = fixed_table(doc, widths, borders=False)
    keep_together(table.rows[0])  # the signature never splits from its title across a page
    left, right = table.rows[0].cells
    line(left, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT, first=True)
    for recipient in recipients:
        line(left, f"- {recipient}", size=11, align=LEFT)
    for index, text in enumerate(authority_lines):
        line(right, text, size=14, bold=True, first=index == 0)
    for _ in range(4):  # room for the signature and the seal
        line(right, "")
    line(right, signer or "", size=14, bold=True)


def signatures(doc, blocks: list[tuple[list[str], str]]) -> None:
    """Signature blocks side by side (the minutes: the secretary left, the chair right), each
    centred in its column: its title lines, room to sign, the name."""
    width = TEXT_WIDTH_MM / len(blocks)
    table = fixed_table(doc, [width] * len(blocks), borders=False)
    keep_together(table.rows[0])
    for cell, (titles, name) in zip(table.rows[0].cells, blocks):
        for index, text in enumerate(titles):
            line(cell, text, size=14, bold=True, first=index == 0)
        for _ in range(4):
            line(cell, "")
        line(cell, name or "", size=14, bold=True)


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def grid(doc, headers: list[str], widths_mm: list[float], rows: list[list[str]], align: list | None = None) -> None:
    """A bordered table of fixed widths: bold centred headers, one row per line; a row given as
    a single string is a section heading across the table (I. CÁ NHÂN)."""
    table = fixed_table(doc, widths_mm, borders=True)
    heading = table.rows[0]._tr.get_or_add_trPr()  # the header row repeats on every page, whole
    heading.append(OxmlElement("w:tblHeader"))
    heading.append(OxmlElement("w:cantSplit"))
    for cell, text in zip(table.rows[0].cells, headers):
        line(cell, text, size=13, bold=True, first=True)
    align = align or [CENTER] + [LEFT] * (len(headers) - 1)
    for row in rows:
        cells = table.add_row().cells
        size_row(table.rows[-1], widths_mm)
        keep_together(table.rows[-1])  # a row never splits across two pages
        if isinstance(row, str):
            merged = cells[0].merge(cells[-1])
            line(merged, row, size=13, bold=True, align=LEFT, first=True)
            continue
        for cell, text, how in zip(cells, row, align):
            line(cell, text, size=13, first=True, align=how)


def to_bytes(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

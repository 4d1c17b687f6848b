"""The writer of long lists as .xlsx: the parts of the package written as a stream, cell by cell.

A national list has a million rows of twenty columns. openpyxl's write-only mode costs about
10 µs a cell and XlsxWriter's constant-memory mode about 5 µs (both build an object or a call
chain per cell), that is two to three and a half minutes of the worker's time for the cells
alone, on top of reading the rows. A list has a fixed shape: an optional heading line, a header
row, then rows of text, numbers and dates. So this module writes that shape's SpreadsheetML
itself, in about 1 µs a cell, straight into the ZIP archive (nothing is held in memory but one
block of rows):

- one fixed style sheet (the header row, the heading, wrapped columns, text flagged with Excel's
  quote prefix, dates dd/mm/yyyy and dd/mm/yyyy hh:mm);
- text as inline strings (`t="inlineStr"`): never a formula, shown exactly as stored;
- the package's content types name the workbook and the styles and give every other XML part
  the worksheet type, so the sheets can be streamed before their number is known.

Which text is formula-like, and what a value becomes, is decided by tracker.spreadsheets.writer
(the one writer); every workbook that is not such a list (templates with drop-down lists, the
dashboard matrix) is built with openpyxl there. The files are read back in the tests by openpyxl
and by the tracker's own reader (tracker.spreadsheets.reader).
"""
import math
import zipfile
from datetime import date, datetime
from typing import Any, Callable, Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

# Style indexes (cellXfs below).
PLAIN, HEADER, HEADING, WRAP, QUOTED, WRAP_QUOTED, DAY, TIME, HEADER_QUOTED, HEADING_QUOTED = range(10)
# The same style with Excel's quote prefix, for formula-like text.
QUOTED_STYLE = {PLAIN: QUOTED, WRAP: WRAP_QUOTED, HEADER: HEADER_QUOTED, HEADING: HEADING_QUOTED}
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="DD/MM/YYYY"/><numFmt numFmtId="165" formatCode="DD/MM/YYYY HH:MM"/></numFmts>
<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="13"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="10">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1" quotePrefix="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1" quotePrefix="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" quotePrefix="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Characters a sheet name cannot hold.
NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
# A carriage return as a character reference: XML reads a bare one as a line feed.
_CARRIAGE_RETURN = {"\r": "&#13;"}
ROWS_PER_BLOCK = 500  # rows joined into one write to the archive


class ListWorkbook:
    """A workbook being written to `target` (a path or a binary file), sheet by sheet.

    Use: `with ListWorkbook(target, formula_like) as book: book.sheet(...)`; `formula_like` is the
    caller's rule for text that must carry the quote prefix. The workbook part is written when the
    block ends without an error.
    """

    def __init__(self, target, text_rule: Callable[[str], bool]):
        self.archive = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self.formula_like = text_rule
        self.names: list[str] = []
        self.archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        self.archive.writestr("_rels/.rels", PACKAGE_RELS)
        self.archive.writestr("xl/styles.xml", STYLES)

    def __enter__(self) -> "ListWorkbook":
        return self

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                self._finish()
        finally:
            self.archive.close()

    def sheet(self, name: str, rows: Iterable[Sequence[Any]], *, widths: Sequence[float] = (),
              wrap_columns: Sequence[int] = (), frozen_rows: int = 0, row_styles: dict[int, int] | None = None) -> None:
        """Write one sheet named `name` holding `rows`: `row_styles` maps a row number (from 1) to
        the style of the whole row (HEADER, HEADING); the columns in `wrap_columns` (from 0) wrap
        their text; the first `frozen_rows` stay in view when scrolling."""
        number = len(self.names) + 1
        self.names.append(name.translate(NAME_FORBIDDEN)[:31] or f"Sheet{number}")
        wrap = frozenset(wrap_columns)
        row_styles = row_styles or {}
        letters: list[str] = []
        formula_like = self.formula_like
        with self.archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as part:
            part.write(_sheet_start(number == 1, widths, frozen_rows).encode())
            block: list[str] = []
            for row_number, values in enumerate(rows, start=1):
                while len(letters) < len(values):
                    letters.append(get_column_letter(len(letters) + 1))
                row_style = row_styles.get(row_number)
                cells = "".join(
                    _cell(f"{letters[column]}{row_number}", value,
                          row_style if row_style is not None else WRAP if column in wrap else PLAIN, formula_like)
                    for column, value in enumerate(values))
                block.append(f'<row r="{row_number}">{cells}</row>')
                if len(block) >= ROWS_PER_BLOCK:
                    part.write("".join(block).encode())
                    block.clear()
            part.write(("".join(block) + "</sheetData></worksheet>").encode())

    def _finish(self) -> None:
        sheets = "".join(f"<sheet name={quoteattr(name)} sheetId=\"{i}\" r:id=\"rId{i}\"/>"
                         for i, name in enumerate(self.names, start=1))
        self.archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" '
            f'xmlns:r="{RELATIONSHIPS}"><bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets></workbook>"))
        links = "".join(
            f'<Relationship Id="rId{i}" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self.names) + 1))
        styles_id = len(self.names) + 1
        self.archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'{links}<Relationship Id="rId{styles_id}" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>'
            "</Relationships>"))


def _sheet_start(selected: bool, widths: Sequence[float], frozen_rows: int) -> str:
    if frozen_rows:
        view = (f'<pane ySplit="{frozen_rows}" topLeftCell="A{frozen_rows + 1}" activePane="bottomLeft" '
                'state="frozen"/><selection pane="bottomLeft"/>')
    else:
        view = ""
    columns = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                      for i, w in enumerate(widths, start=1))
    selection = ' tabSelected="1"' if selected else ""
    columns = f"<cols>{columns}</cols>" if columns else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" '
            f'xmlns:r="{RELATIONSHIPS}"><sheetViews><sheetView workbookViewId="0"{selection}>{view}'
            f'</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>{columns}<sheetData>')


def _cell(reference: str, value: Any, style: int, formula_like) -> str:
    kind = type(value)
    if kind is str:
        if not value:
            return ""
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        if formula_like(text):
            style = QUOTED_STYLE[style]
        text = escape(text, _CARRIAGE_RETURN) if "\r" in text else escape(text)
        return f'<c r="{reference}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if value is None:
        return ""
    if kind is bool:
        return f'<c r="{reference}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if kind is int or kind is float:
        if kind is float and not math.isfinite(value):
            return _cell(reference, str(value), style, formula_like)
        return f'<c r="{reference}" s="{style}"><v>{value!r}</v></c>'
    if kind is datetime or kind is date:
        if kind is datetime:
            value = value.replace(tzinfo=None)
        serial = to_excel(value)
        return f'<c r="{reference}" s="{TIME if kind is datetime else DAY}"><v>{serial!r}</v></c>'
    raise TypeError(f"a list cell cannot hold {kind.__name__}")

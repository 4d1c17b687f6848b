"""Spreadsheet downloads: (headers, rows) written as .xlsx or as CSV in UTF-8 with a BOM."""
import csv
import io
from datetime import date, datetime
from typing import Any, Iterable, Sequence

from flask import Response, send_file
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
DAY_FORMAT = "DD/MM/YYYY"
# Characters that make a spreadsheet read a cell as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


def plain(value: Any) -> Any:
    """A value a spreadsheet can hold: None -> "", lazy strings and enums -> text."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, date, datetime)):
        return value
    if hasattr(value, "value") and not isinstance(value, str):  # enums
        return str(value.value)
    return str(value)


def _is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or (len(text) > 1 and text[0] == "-" and not text[1].isspace())


def _xlsx_cell(sheet, value: Any, *, header: bool = False, wrap: bool = False) -> WriteOnlyCell:
    value = plain(value)
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    if isinstance(value, (date, datetime)):
        cell.number_format = DAY_FORMAT if not isinstance(value, datetime) else "DD/MM/YYYY HH:MM"
    if header:
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    elif wrap:
        cell.alignment = WRAP
    return cell


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Danh sách",
               widths: Sequence[int] | None = None, wrap_columns: Sequence[int] = (),
               heading: str = "") -> bytes:
    """A one-sheet workbook: an optional heading line, a bold header row (frozen), the rows.

    Rows are streamed (write-only mode), so long lists stay cheap. Dates are real date cells
    shown dd/mm/yyyy; text beginning with "=" stays text.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for index, width in enumerate(widths or (), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_row = 1
    if heading:
        title_cell = WriteOnlyCell(sheet, value=heading)
        title_cell.font = Font(bold=True, size=13)
        sheet.append([title_cell])
        sheet.append([])
        header_row = 3
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.append([_xlsx_cell(sheet, h, header=True) for h in headers])
    wrap = set(wrap_columns)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v, wrap=i in wrap) for i, v in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_value(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and _is_formula_like(value):
        return "'" + value
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel shows Vietnamese diacritics; dates dd/mm/yyyy;
    text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect="excel")
    writer.writerow([_csv_value(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def send_bytes(data: bytes, filename: str, mimetype: str) -> Response:
    """`data` as a download named `filename` (non-ASCII names are sent RFC 5987-encoded)."""
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename,
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], **options) -> Response:
    """The rows as an .xlsx download; `options` go to xlsx_bytes (title, widths, heading, ...)."""
    return send_bytes(xlsx_bytes(headers, rows, **options), filename, XLSX_MIMETYPE)


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """The rows as a CSV download (UTF-8 with BOM)."""
    return send_bytes(csv_bytes(headers, rows), filename, CSV_MIMETYPE)


def workbook_response(workbook: Workbook, filename: str) -> Response:
    """A workbook built elsewhere (a template with drop-down lists, say) as an .xlsx download."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return send_bytes(buffer.getvalue(), filename, XLSX_MIMETYPE)

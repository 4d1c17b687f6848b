"""The one writer of spreadsheet downloads (.xlsx, and CSV in UTF-8 with a BOM): text stays text.

Every workbook and CSV the tracker writes puts its values through here, because a spreadsheet
program runs text as a formula when it starts with "=", "+", "-" or "@" (also after spaces, or
in the full-width forms "＝＋－＠" some input methods type) or with a tab or carriage return: a
name imported as `=HYPERLINK("http://x","y")`, or a DDE payload, must never become a live link
or command in the file a committee member opens.

- In .xlsx, text is always a string cell (inline string, data type "s" or "inlineStr"), which Excel and
  LibreOffice show exactly as typed and never evaluate. Formula-like text also carries Excel's
  "quote prefix" flag, what typing an apostrophe first does, so that editing the cell keeps it
  text. The value itself is not changed: the file reads back as the user typed it.
- CSV has no types: formula-like text is written with an apostrophe in front ('=1+1), which the
  spreadsheet shows and never runs.

Numbers, dates and booleans stay what they are: a negative number is still a number.
"""
import csv
import io
from itertools import chain, islice
from datetime import date, datetime
from typing import Any, Iterable, Sequence

from flask import Response, send_file
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill

from tracker.spreadsheets import lists

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv"  # Flask adds "; charset=utf-8" to a text type
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")
DAY_FORMAT = "DD/MM/YYYY"
TIME_FORMAT = "DD/MM/YYYY HH:MM"
# What makes a spreadsheet read text as a formula, first thing or after blanks (formula injection).
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
CONTROL_STARTS = ("\t", "\r", "\n")
BLANKS = " \t\r\n\u00a0\u3000"
CSV_NEUTRALISER = "'"


def plain(value: Any) -> Any:
    """A value a spreadsheet can hold: None -> "", lazy strings and enums -> text."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, date, datetime)):
        return value
    if hasattr(value, "value") and not isinstance(value, str):  # enums
        return str(value.value)
    return str(value)


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could take `text` for a formula or a command."""
    return text.startswith(CONTROL_STARTS) or text.lstrip(BLANKS)[:1] in FORMULA_STARTS


def store(cell, value: Any, **style):
    """Put `value` in an openpyxl cell (of an ordinary or a write-only sheet) by the rules above:
    text as a string cell, flagged when formula-like; dates shown dd/mm/yyyy. `style` sets cell
    attributes (font, fill, alignment, number_format). Returns the cell."""
    value = plain(value)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters a workbook cannot hold
        cell.value = text
        cell.data_type = "s"  # never a formula, nor an error code such as "#N/A"
        if is_formula_like(text):
            cell.quotePrefix = True
    else:
        if isinstance(value, datetime):
            value = value.replace(tzinfo=None)
        cell.value = value
        if isinstance(value, datetime):
            cell.number_format = TIME_FORMAT
        elif isinstance(value, date):
            cell.number_format = DAY_FORMAT
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def cell(sheet, value: Any, **style) -> WriteOnlyCell:
    """A cell for a write-only sheet's append(), written by store()."""
    return store(WriteOnlyCell(sheet), value, **style)


def put(sheet, row: int, column: int, value: Any, **style):
    """Write `value` at (row, column) of an ordinary sheet through store(); returns the cell."""
    return store(sheet.cell(row=row, column=column), value, **style)


def put_row(sheet, row: int, values: Sequence[Any], **style) -> None:
    """Write `values` from column A of `row` of an ordinary sheet through store()."""
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value, **style)


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]], **options) -> bytes:
    """A one-sheet workbook (see write_xlsx) as bytes."""
    buffer = io.BytesIO()
    write_xlsx(buffer, headers, rows, **options)
    return buffer.getvalue()


EXCEL_MAX_ROWS = 1_048_576  # rows a sheet can hold


def write_xlsx(target, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Danh sách",
               widths: Sequence[int] | None = None, wrap_columns: Sequence[int] = (),
               heading: str = "", max_sheet_rows: int = EXCEL_MAX_ROWS) -> None:
    """A list as a workbook written to `target` (a path or a binary file): an optional heading
    line, a bold header row (frozen), the rows. A list longer than a sheet holds goes on in
    further sheets ("Danh sách (2)", ...), each with the header row again.

    Rows are streamed into the file (tracker.spreadsheets.lists), so a list of a million rows costs
    no more memory than one of ten. Dates are real date cells shown dd/mm/yyyy; text stays text
    (see the module's rules).
    """
    top = ([[heading], []] if heading else []) + [list(headers)]
    row_styles = {len(top): lists.HEADER}
    if heading:
        row_styles[1] = lists.HEADING
    capacity = max_sheet_rows - len(top)
    iterator = iter(rows)
    with lists.ListWorkbook(target, is_formula_like) as book:
        number = 1
        while True:
            first = next(iterator, _END)
            if first is _END and number > 1:
                break
            body = () if first is _END else chain([first], islice(iterator, capacity - 1))
            book.sheet(title if number == 1 else f"{title[:25]} ({number})",
                       chain(top, (_list_values(row) for row in body)), widths=widths or (),
                       wrap_columns=wrap_columns, frozen_rows=len(top), row_styles=row_styles)
            if first is _END:
                break
            number += 1


_END = object()


def _list_values(row: Sequence[Any]) -> list:
    """A row's values as the list writer takes them (see plain())."""
    return [v if type(v) in _PLAIN_TYPES else plain(v) for v in row]


_PLAIN_TYPES = frozenset((str, int, float, bool, date, datetime, type(None)))


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_value(value: Any) -> Any:
    """A value as CSV writes it: dates dd/mm/yyyy, formula-like text behind an apostrophe."""
    value = plain(value)
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and is_formula_like(value):
        return CSV_NEUTRALISER + value
    return value


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so Excel shows Vietnamese diacritics; dates dd/mm/yyyy;
    text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    buffer = io.StringIO()
    _write_csv(buffer, headers, rows)
    return buffer.getvalue().encode("utf-8-sig")


def write_csv(path: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """The same CSV as csv_bytes, written row by row to the file at `path`."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        _write_csv(handle, headers, rows)


def _write_csv(handle, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(handle, dialect="excel")
    writer.writerow([csv_value(h) for h in headers])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])


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
    """The rows as a CSV download (UTF-8 with BOM), sent as "text/csv; charset=utf-8"."""
    return send_bytes(csv_bytes(headers, rows), filename, CSV_MIMETYPE)


def workbook_response(workbook: Workbook, filename: str) -> Response:
    """A workbook built elsewhere with this module's cells (a template with drop-down lists, say)
    as an .xlsx download."""
    return send_bytes(workbook_bytes(workbook), filename, XLSX_MIMETYPE)

"""The guarded reader: ordinary workbooks read as openpyxl reads them; hostile ones are refused
with a message for the user, and refusing them costs little memory (measured, not timed)."""
import io
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from tests.spreadsheets import hostile
from tracker.spreadsheets.reader import Limits, WorkbookRefused, open_workbook

SMALL_MEMORY_MB = 20  # what refusing any hostile workbook may allocate at its peak


@pytest.fixture(autouse=True)
def untimed(app, monkeypatch):
    """The configured limits, except time, which has a test of its own (a slow machine must not
    turn a "too many cells" into a "too slow")."""
    monkeypatch.setitem(app.config, "SPREADSHEET_MAX_SECONDS", 600)


def read(data: bytes, limits: Limits | None = None, sheet: str | None = None):
    book = open_workbook(data, limits)
    return list(book.rows(sheet or book.active_sheet))


def refused(data: bytes, limits: Limits | None = None) -> tuple[WorkbookRefused, float]:
    """The refusal of `data` and the peak memory (MB) spent reaching it."""
    result, peak = hostile.peak_memory(lambda: read(data, limits))
    assert isinstance(result, WorkbookRefused), result
    result.message = str(result.message)  # in Vietnamese, the default language
    return result, peak


def test_an_ordinary_workbook_reads_as_openpyxl_reads_it():
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(["STT", "Họ và tên", "Ngày họp", "Tỷ lệ", "Đạt", "Công thức"])
    sheet.append([1, "Nguyễn Văn Hòa", datetime(2020, 3, 10), 0.92, True, "=1+1"])
    sheet["C2"].number_format = "DD/MM/YYYY"
    sheet["B4"] = CellRichText([TextBlock(InlineFont(b=True), "Trần "), "Thị Mai"])
    sheet["F5"] = -3
    book.create_sheet("Khác")["B2"] = "ở trang khác"
    book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()

    uploaded = open_workbook(data)
    assert uploaded.sheet_names == ["Danh sách", "Khác"] and uploaded.active_sheet == "Khác"
    rows = list(uploaded.rows("Danh sách"))
    assert rows == [
        (1, ("STT", "Họ và tên", "Ngày họp", "Tỷ lệ", "Đạt", "Công thức")),
        (2, (1, "Nguyễn Văn Hòa", datetime(2020, 3, 10), 0.92, True)),  # a formula never calculated: empty
        (4, (None, "Trần Thị Mai")),  # row 3 holds nothing: not given
        (5, (None, None, None, None, None, -3)),
    ]
    expected = load_workbook(io.BytesIO(data), read_only=True, data_only=True)["Danh sách"]
    by_openpyxl = [tuple(v for v in row) for row in expected.iter_rows(values_only=True)]
    for number, values in rows:
        assert by_openpyxl[number - 1][:len(values)] == values
    assert list(uploaded.rows("Khác")) == [(2, (None, "ở trang khác"))]


def test_a_cell_bomb_is_refused_from_the_archive_directory():
    data = hostile.cell_bomb()
    assert len(data) < 100 * 1024  # six million cells in under 100 KB
    refusal, peak = refused(data)
    assert refusal.reason == "part_size"
    assert "xl/worksheets/sheet1.xml" in refusal.message and "20 MB" in refusal.message
    assert peak < SMALL_MEMORY_MB


def test_millions_of_cells_within_the_size_are_counted_and_refused():
    refusal, peak = refused(hostile.dense_cells())
    assert refusal.reason == "cells" and "200000" in refusal.message
    assert peak < SMALL_MEMORY_MB


def test_a_shared_strings_part_of_hundreds_of_mb_is_refused_unread():
    refusal, peak = refused(hostile.huge_shared_strings())
    assert refusal.reason == "part_size" and "xl/sharedStrings.xml" in refusal.message
    assert peak < SMALL_MEMORY_MB


def test_parts_small_one_by_one_but_too_large_together(app):
    limits = Limits.from_config({**app.config, "SPREADSHEET_MAX_UNPACKED_MB": 10})
    refusal, peak = refused(hostile.many_strings(), limits)  # its shared strings alone: 17 MB
    assert refusal.reason == "unpacked_size" and "10 MB" in refusal.message
    assert peak < SMALL_MEMORY_MB


def test_more_texts_than_cells_are_refused_while_streaming():
    refusal, peak = refused(hostile.many_strings())
    assert refusal.reason == "texts" and "200000" in refusal.message
    assert peak < SMALL_MEMORY_MB


def test_a_header_of_thousands_of_columns():
    refusal, peak = refused(hostile.wide_header())
    assert refusal.reason == "columns"
    assert "CV" in refusal.message and "CW1" in refusal.message  # the last column allowed, the first cell beyond
    assert peak < SMALL_MEMORY_MB


@pytest.mark.parametrize("reference,reason,named", [
    ("XFD1", "columns", "XFD1"),  # the last column of the grid
    ("XFD1048576", "rows", "1048576"),  # the last cell of the grid
    ("A10001", "rows", "10001"),
])
def test_a_single_cell_far_away(reference, reason, named):
    refusal, peak = refused(hostile.far_cell(reference))
    assert refusal.reason == reason and named in refusal.message
    assert peak < SMALL_MEMORY_MB


def test_a_dimension_lie_costs_nothing():
    """The declared <dimension> is never read (openpyxl pads every row to it): the rows come as
    the sheet holds them."""
    rows, peak = hostile.peak_memory(lambda: read(hostile.dimension_lie()))
    assert rows == [(1, hostile.HEADERS), (2, (1, "Nguyễn Văn Hòa"))]
    assert peak < SMALL_MEMORY_MB


def test_entities_are_never_expanded():
    refusal, peak = refused(hostile.entity_bomb())
    assert refusal.reason == "unreadable"
    assert peak < SMALL_MEMORY_MB


def test_too_many_cell_formats():
    styles = (f'<?xml version="1.0"?><styleSheet xmlns="{hostile.MAIN}"><cellXfs>'
              + '<xf numFmtId="14"/>' * 70_000 + "</cellXfs></styleSheet>")
    refusal, peak = refused(hostile.workbook(hostile.sheet_xml([hostile.header_row()]), styles=styles))
    assert refusal.reason == "formats" and "64000" in refusal.message
    assert peak < SMALL_MEMORY_MB


def test_the_time_spent_reading_is_limited(app):
    limits = Limits.from_config({**app.config, "SPREADSHEET_MAX_SECONDS": 0})
    refusal, _peak = refused(hostile.dense_cells(), limits)
    assert refusal.reason == "time" and "0 " in refusal.message


def test_the_time_between_rows_is_the_caller_s(app, monkeypatch):
    """Only the reader's own work counts: a caller looking up each row in the database does not
    make a good file "too slow"."""
    from tracker.spreadsheets import limits as reader

    now = [0.0]
    monkeypatch.setattr(reader, "_now", lambda: now[0])
    book = open_workbook(hostile.dimension_lie(), Limits.from_config({**app.config, "SPREADSHEET_MAX_SECONDS": 1}))
    rows = []
    for row in book.rows(book.active_sheet):
        now[0] += 10  # the caller's work
        rows.append(row)
    assert len(rows) == 2


@pytest.mark.parametrize("data", [b"", b"not a zip", b"PK\x03\x04 damaged", hostile.cell_bomb()[:5000]])
def test_what_is_no_workbook_is_unreadable(data):
    refusal, _peak = refused(data)
    assert refusal.reason == "unreadable" and ".xlsx" in refusal.message


def test_the_limits_are_settings(app):
    from config import Config

    assert (Config.SPREADSHEET_MAX_UNPACKED_MB, Config.SPREADSHEET_MAX_PART_MB) == (50, 20)
    assert (Config.SPREADSHEET_MAX_ROWS, Config.SPREADSHEET_MAX_COLUMNS, Config.SPREADSHEET_MAX_CELLS) == \
        (10_000, 100, 200_000)
    assert Config.SPREADSHEET_MAX_SECONDS == 5
    limits = Limits.from_config({**app.config, "SPREADSHEET_MAX_COLUMNS": 3})
    assert limits.columns == 3 and limits.part_bytes == 20 * 1024 * 1024
    refusal, _peak = refused(hostile.far_cell("D1"), limits)
    assert refusal.reason == "columns"

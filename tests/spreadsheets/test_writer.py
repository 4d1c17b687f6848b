"""The one writer: text stays text in .xlsx and CSV, whatever it starts with; numbers stay numbers."""
import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from tests.spreadsheets.formulas import HOSTILE, assert_csv_neutralised, assert_text_only
from tracker.spreadsheets import writer

MORE = ("＋1", "－1", "＠x", "\r=1", "\n=1", "\u3000=1", "- gạch đầu dòng", "-")


@pytest.mark.parametrize("text", HOSTILE + MORE)
def test_formula_like_text_is_recognised(text):
    assert writer.is_formula_like(text)


@pytest.mark.parametrize("text", ["Nguyễn Văn Hòa", "Tổ dân phố 5", "1+1", "a=b", "", " ", "Hòa - Mai", "'=1"])
def test_ordinary_text_is_left_alone(text):
    assert not writer.is_formula_like(text)
    assert writer.csv_value(text) == text


def test_the_list_writer():
    data = writer.xlsx_bytes(list(HOSTILE[:2]) + ["Số"], [[*HOSTILE, *MORE, -5, -2.5, date(2020, 3, 10)]],
                             heading=HOSTILE[0])
    assert_text_only(data, HOSTILE + MORE)
    sheet = load_workbook(io.BytesIO(data)).active
    numbers = [c for c in sheet[4] if isinstance(c.value, (int, float))]
    assert [(c.value, c.data_type) for c in numbers] == [(-5, "n"), (-2.5, "n")]  # real numbers stay numbers
    assert sheet.cell(row=4, column=len(HOSTILE + MORE) + 3).number_format == "DD/MM/YYYY"


def test_the_csv_writer():
    rows = assert_csv_neutralised(writer.csv_bytes(["Tên", "Số"], [[value, -5] for value in HOSTILE + MORE]),
                                  HOSTILE + MORE)
    assert {row[1] for row in rows[1:]} == {"-5"}  # a negative number is written as a number


def test_cells_on_an_ordinary_sheet():
    book = Workbook()
    writer.put_row(book.active, 1, HOSTILE)
    writer.put(book.active, 2, 1, "#N/A")  # an error code typed as text stays text
    writer.put(book.active, 2, 2, "Hòa\x00\x07")  # a character no workbook can hold is dropped, not a 500
    data = writer.workbook_bytes(book)
    assert_text_only(data)
    sheet = load_workbook(io.BytesIO(data)).active
    assert (sheet["A2"].value, sheet["A2"].data_type, sheet["B2"].value) == ("#N/A", "s", "Hòa")
    assert not sheet["B2"].quotePrefix  # only formula-like text carries the flag


def test_the_csv_content_type_is_sent_once(app):
    with app.test_request_context():
        response = writer.csv_response("danh-sach.csv", ["Tên"], [["Hòa"]])
    response.direct_passthrough = False
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")))) == [["Tên"], ["Hòa"]]


def test_a_written_list_reads_back_as_written(app):
    """The list writer's package opens in openpyxl and in the tracker's own reader (what an
    import of an exported list goes through), with its sheet, styles and values intact."""
    from datetime import datetime

    from tracker.spreadsheets.reader import open_workbook

    rows = [["Nguyễn Thị Hòa", 1980, 91.7, date(2020, 3, 10), datetime(2020, 3, 10, 8, 30), True, "a < b & c"],
            ["  khoảng trắng  ", None, "", None, None, False, "dòng 1\ndòng 2\r"]]
    data = writer.xlsx_bytes(["Tên", "Năm", "Tỷ lệ", "Ngày", "Lúc", "Có", "Ghi chú"], rows, title="Trích ngang",
                             heading="DANH SÁCH", widths=[30, 8, 8, 12, 16, 6, 40], wrap_columns=[6])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Trích ngang" and sheet.freeze_panes == "A4"
    assert sheet["A1"].font.b and sheet["A3"].font.b and sheet["A3"].fill.fgColor.rgb == "FFDDEBF7"
    assert sheet.column_dimensions["A"].width == 30 and sheet["G4"].alignment.wrap_text
    read = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert read[0] == ["Nguyễn Thị Hòa", 1980, 91.7, datetime(2020, 3, 10), datetime(2020, 3, 10, 8, 30), True,
                       "a < b & c"]
    assert read[1] == ["  khoảng trắng  ", None, None, None, None, False, "dòng 1\ndòng 2\r"]
    assert (sheet["D4"].number_format, sheet["E4"].number_format) == ("DD/MM/YYYY", "DD/MM/YYYY HH:MM")
    with app.app_context():
        book = open_workbook(data)
        assert book.sheet_names == ["Trích ngang"]
        values = [values for _number, values in book.rows("Trích ngang")]
    assert values[0] == ("DANH SÁCH",)
    assert values[2][:5] == ("Nguyễn Thị Hòa", 1980, 91.7, datetime(2020, 3, 10), datetime(2020, 3, 10, 8, 30))

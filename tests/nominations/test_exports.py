"""Exports: the filtered list as .xlsx (danh sách trích ngang) and CSV (UTF-8 with BOM)."""
import csv
import io
from datetime import date

from openpyxl import load_workbook

from tests.factories import exported, make_nomination
from tests.spreadsheets.formulas import HOSTILE, assert_csv_neutralised, assert_text_only
from tracker.spreadsheets.writer import csv_bytes, xlsx_bytes
from tracker.nominations.exports import EXPORT_HEADERS
from tracker.commit import commit

HEADER_ROW = 3  # a heading line, a blank line, then the headers


def sheet_rows(data: bytes):
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    return sheet, rows


NAME = "Họ và tên / Tên tập thể"


def column(header: str) -> int:
    """A column of the exported list, found by its header (the order is the declarations')."""
    return EXPORT_HEADERS.index(header)


def test_the_xlsx_lists_the_filtered_nominations(client, login_as, users, plan, db):
    hoa = make_nomination(users["officer"], plan, status="accepted", reviewer=users["committee"],
                          proposed_honour="Giấy khen")
    make_nomination(users["officer"], plan, kind="collective", name="Chi hội Phụ nữ tổ dân phố 3", status="submitted")
    make_nomination(users["officer_a2"], plan, name="Trần Thị Mai", birth_year=1985)
    commit()
    login_as(users["committee"])
    response = exported(client, "/nominations/export.xlsx?status=accepted")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment; filename=danh-sach-trich-ngang-" in response.headers["Content-Disposition"]
    sheet, rows = sheet_rows(response.data)
    assert "DANH SÁCH TRÍCH NGANG" in rows[0][0]
    assert tuple(rows[HEADER_ROW - 1]) == EXPORT_HEADERS
    data = [dict(zip(EXPORT_HEADERS, r)) for r in rows[HEADER_ROW:]]
    assert len(data) == 1
    line = data[0]
    assert line["STT"] == 1 and line["Họ và tên / Tên tập thể"] == "Nguyễn Văn Hòa"
    assert line["Cá nhân/Tập thể"] == "Cá nhân" and line["Giới tính"] == "Nam" and line["Năm sinh"] == 1972
    assert line["Đơn vị đề nghị"] == "Phường A1" and line["Kế hoạch"] == "156/KH-UBND"
    assert (line["Số người dự họp"], line["Số phiếu đồng ý"], line["Tỷ lệ đồng ý (%)"]) == (25, 23, 92)
    assert line["Ngày họp bình xét"].date() == date(2020, 3, 10)
    assert sheet.cell(row=HEADER_ROW + 1, column=column("Ngày họp bình xét") + 1).number_format == "DD/MM/YYYY"
    assert line["Hình thức khen thưởng đề nghị"] == "Giấy khen" and line["Giai đoạn"] == "2015 - 2020"
    assert line["Trạng thái"] == "Đã chấp nhận"  # in Vietnamese whatever the interface language
    assert hoa.id


def test_the_csv_starts_with_a_bom_and_keeps_diacritics(client, login_as, users, plan, db):
    make_nomination(users["officer"], plan, status="submitted", achievements="=HYPERLINK(\"http://x\")")
    make_nomination(users["officer"], plan, kind="collective", name="Chi hội Phụ nữ tổ dân phố 3")
    commit()
    login_as(users["committee"])
    response = exported(client, "/nominations/export.csv?sort=name")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == EXPORT_HEADERS
    names = [r[column(NAME)] for r in rows[1:]]
    assert names == ["Chi hội Phụ nữ tổ dân phố 3", "Nguyễn Văn Hòa"]
    assert rows[2][column("Tóm tắt thành tích")].startswith("'=")  # a formula typed as achievements stays text
    assert rows[2][column("Ngày họp bình xét")] == "10/03/2020"


def test_a_ward_officer_exports_only_their_ward(client, login_as, users, plan, db, tree):
    make_nomination(users["officer"], plan, name="Người phường A1")
    make_nomination(users["officer_a2"], plan, name="Người xã A2")
    commit()
    login_as(users["officer"])
    rows = list(csv.reader(io.StringIO(exported(client, "/nominations/export.csv").data.decode("utf-8-sig"))))
    assert [r[column(NAME)] for r in rows[1:]] == ["Người phường A1"]
    assert exported(client, f"/nominations/export.csv?unit={tree['ward_a2'].id}").status_code == 404
    _sheet, xrows = sheet_rows(exported(client, "/nominations/export.xlsx").data)
    assert [r[column(NAME)] for r in xrows[HEADER_ROW:]] == ["Người phường A1"]


def test_an_empty_list_is_still_a_file(client, login_as, users, plan):
    login_as(users["leader"])
    response = exported(client, "/nominations/export.xlsx?q=khong+co+ai")
    _sheet, rows = sheet_rows(response.data)
    assert tuple(rows[HEADER_ROW - 1]) == EXPORT_HEADERS and len(rows) == HEADER_ROW


def test_the_generic_writers():
    data = xlsx_bytes(["Tên", "Ngày"], [["=1+1", date(2020, 3, 10)], ["Hòa", None]], title="Thử")
    sheet, rows = sheet_rows(data)
    assert sheet.title == "Thử" and rows[0] == ["Tên", "Ngày"]
    assert rows[1][0] == "=1+1" and sheet["A2"].data_type == "s"  # text, not a formula
    assert rows[2] == ["Hòa", None]
    text = csv_bytes(["Tên", "Ghi chú"], [["Hòa", "-Cảnh báo"], ["Mai", "- gạch đầu dòng"], ["@x", 5]])
    assert text.startswith(b"\xef\xbb\xbf")
    # "- x" is neutralised too: Excel reads "- 2+3+cmd|..." as a formula just as it reads "-2+3+cmd|...".
    assert list(csv.reader(io.StringIO(text.decode("utf-8-sig")))) == [
        ["Tên", "Ghi chú"], ["Hòa", "'-Cảnh báo"], ["Mai", "'- gạch đầu dòng"], ["'@x", "5"]]


def test_no_formula_reaches_an_exported_list(client, login_as, users, plan, db):
    nominations = [make_nomination(users["officer"], plan, name=f"Người số {i}", status="submitted")
                   for i in range(len(HOSTILE))]
    for nomination, value in zip(nominations, HOSTILE):  # as stored, whatever let it through
        nomination.candidate.full_name = value
        nomination.candidate.workplace = value
        nomination.achievements = value
    commit()
    login_as(users["committee"])
    response = exported(client, "/nominations/export.xlsx")
    assert response.status_code == 200
    assert_text_only(response.data)
    response = exported(client, "/nominations/export.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # once, not "...; charset=utf-8" twice
    rows = assert_csv_neutralised(response.data)
    assert sorted(r[column(NAME)] for r in rows[1:]) == sorted("'" + value for value in HOSTILE)


def test_no_formula_reaches_the_import_template(client, login_as, users, plan, db):
    from tracker.plans.services import add_movement

    for index, value in enumerate(HOSTILE):
        add_movement(None, plan, f"Phong trào {index}").name = value
    commit()
    login_as(users["officer"])
    assert_text_only(client.get(f"/nominations/import/template?plan={plan.id}").data)


def test_a_list_longer_than_a_sheet_goes_on_in_the_next_sheet():
    from tracker.spreadsheets.writer import write_xlsx

    buffer = io.BytesIO()
    write_xlsx(buffer, ["Tên"], ([f"Người {i}"] for i in range(7)), title="Trích ngang", heading="DANH SÁCH",
               max_sheet_rows=5)  # a heading, a blank line, the headers, then two rows a sheet
    book = load_workbook(buffer)
    assert book.sheetnames == ["Trích ngang", "Trích ngang (2)", "Trích ngang (3)", "Trích ngang (4)"]
    assert all(sheet["A3"].value == "Tên" for sheet in book.worksheets)
    names = [[row[0] for row in sheet.iter_rows(min_row=4, values_only=True)] for sheet in book.worksheets]
    assert names == [["Người 0", "Người 1"], ["Người 2", "Người 3"], ["Người 4", "Người 5"], ["Người 6"]]

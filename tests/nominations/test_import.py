"""Spreadsheet import: the template, a good file, and each kind of bad file (nothing half-imported)."""
import io
import time
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tracker.nominations import imports
from tests.factories import make_nomination, pdf_bytes
from tests.nominations.conftest import TODAY
from tests.spreadsheets import hostile
from tracker.attachments.services import Upload
from tracker.nominations.exports import TEMPLATE_COLUMNS
from tracker.nominations.imports import ImportRefused
from tracker.candidates.models import Candidate, CandidateKind
from tracker.nominations.models import Nomination, NominationStatus as S

HEADERS = [c.header for c in TEMPLATE_COLUMNS]
MOVEMENT = "Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau"


def row(**values):
    base = {
        "number": 1, "kind": "Cá nhân", "full_name": "Nguyễn Văn Hòa", "gender": "Nam", "birth_year": 1972,
        "position": "Tổ trưởng tổ dân phố", "workplace": "Tổ dân phố 5", "member_count": None,
        "movement_id": MOVEMENT, "achievements": "Vận động hiến đất làm đường.", "period_start_year": 2015,
        "period_end_year": 2020, "meeting_date": datetime(2020, 3, 10), "members_present": 25, "votes_for": 23,
        "proposed_honour": "Giấy khen",
    }
    base.update(values)
    return [base[c.key] for c in TEMPLATE_COLUMNS]


COLLECTIVE = dict(kind="Tập thể", full_name="Chi hội Phụ nữ tổ dân phố 3", gender=None, birth_year=None, position="",
                  workplace="Hội Liên hiệp Phụ nữ phường", member_count=42,
                  proposed_honour="Tập thể lao động tiên tiến")


def workbook(rows, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách"
    sheet.append(list(headers))
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(users, plan, data: bytes, max_rows=2000, max_bytes=5 * 1024 * 1024):
    officer = users["officer"]
    return imports.import_nominations(officer, plan, officer.unit, Upload("danh-sach.xlsx", io.BytesIO(data)),
                                today=TODAY, max_rows=max_rows, max_bytes=max_bytes)


def refused(users, plan, data, **limits):
    with pytest.raises(ImportRefused) as error:
        run(users, plan, data, **limits)
    return [(p.row, p.column) for p in error.value.problems], error.value.problems


def nothing_imported(db):
    return db.session.scalar(select(func.count(Nomination.id))) == 0


# --- the template ------------------------------------------------------------------------


def test_the_template_has_the_headers_and_drop_downs(client, login_as, users, plan):
    login_as(users["officer"])
    response = client.get(f"/nominations/import/template?plan={plan.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    sheet = book["Danh sách"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert "Năm sinh" in HEADERS and "Số phiếu đồng ý" in HEADERS
    lists = book["Danh mục"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists[1]] == ["Cá nhân/Tập thể", "Giới tính", "Phong trào thi đua", "Hình thức khen thưởng"]
    assert [c.value for c in lists["C"] if c.value][1:] == [m.name for m in plan.movements]
    validated = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    letters = {c.key: chr(ord("A") + i) for i, c in enumerate(TEMPLATE_COLUMNS)}
    for key in ("kind", "gender", "movement_id", "proposed_honour"):
        assert f"{letters[key]}2" in validated, key
        assert validated[f"{letters[key]}2"].type == "list"
    assert validated[f"{letters['proposed_honour']}2"].showErrorMessage is False  # free text allowed
    assert "Giấy khen" in [c.value for c in lists["D"]]
    assert plan.number in book["Hướng dẫn"]["A1"].value


def test_the_filled_template_imports(client, login_as, users, plan, db):
    login_as(users["officer"])
    book = load_workbook(io.BytesIO(client.get(f"/nominations/import/template?plan={plan.id}").data))
    sheet = book["Danh sách"]
    sheet.append(row())
    sheet.append(row(number=2, **COLLECTIVE))
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post("/nominations/import", data={"plan_id": str(plan.id),
                                                         "file": (io.BytesIO(buffer.getvalue()), "danh-sach.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].startswith("/jobs/")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã nhập 2 hồ sơ đề cử dưới dạng bản nháp" in html
    assert f'href="/nominations/?plan={plan.id}&amp;status=draft"' in html
    nominations = db.session.scalars(select(Nomination).order_by(Nomination.id)).all()
    assert [n.candidate.full_name for n in nominations] == ["Nguyễn Văn Hòa", "Chi hội Phụ nữ tổ dân phố 3"]
    assert all(n.status is S.DRAFT and n.unit_id == users["officer"].unit_id for n in nominations)


# --- good files --------------------------------------------------------------------------


def test_a_good_file(users, plan, db):
    existing = make_nomination(users["officer"], plan, name="Nguyễn Văn Hòa", birth_year=1972)
    result = run(users, plan, workbook([
        row(full_name="nguyen van hoa"),  # registered already: no twin
        row(number=2, full_name="Trần Thị Mai", gender="Nữ", birth_year="1985", members_present="30",
            votes_for="28", meeting_date="12/03/2020", proposed_honour="Một hình thức riêng của phường"),
        row(number=3, **COLLECTIVE),
        [4] + [None] * (len(HEADERS) - 1),  # a numbered but empty row
        [],
        row(number=5, full_name="Trần Thị Mai", gender="Nữ", birth_year=1985, movement_id=MOVEMENT.upper()),
    ]))
    assert len(result.nominations) == 4 and result.known_candidates == 1
    hoa, mai, chi_hoi, mai_again = result.nominations
    assert hoa.candidate_id == existing.candidate_id
    assert mai.candidate_id == mai_again.candidate_id  # the same new person twice: one candidate
    assert mai.meeting_date.isoformat() == "2020-03-12" and (mai.members_present, mai.votes_for) == (30, 28)
    assert mai.proposed_honour == "Một hình thức riêng của phường" and mai.proposed_award_type_id is None
    assert hoa.proposed_honour_label == "Giấy khen" and hoa.proposed_award_type_id is not None
    assert chi_hoi.candidate.kind is CandidateKind.COLLECTIVE and chi_hoi.candidate.member_count == 42
    assert chi_hoi.proposed_award_type.code == "TTLDTT"
    assert all(n.movement_id == plan.movements[0].id and n.search_key for n in result.nominations)
    assert db.session.scalar(select(func.count(Candidate.id))) == 3


# --- bad files ---------------------------------------------------------------------------


def test_a_wrong_column(users, plan, db):
    headers = list(HEADERS)
    headers[4] = "Tuổi"
    cells, problems = refused(users, plan, workbook([row()], headers=headers))
    assert cells == [(1, "Năm sinh")]
    assert "E" in str(problems[0].message) and "Tuổi" in str(problems[0].message)
    assert nothing_imported(db)


def test_missing_and_extra_columns(users, plan, db):
    cells, _ = refused(users, plan, workbook([row()[:-1]], headers=HEADERS[:-1]))
    assert cells == [(1, HEADERS[-1])]
    cells, _ = refused(users, plan, workbook([row() + ["x"]], headers=HEADERS + ["Ghi chú"]))
    assert cells == [(1, "Ghi chú")]
    assert nothing_imported(db)


def test_headers_are_read_without_case_or_spacing(users, plan):
    headers = [f"  {h.upper()} " for h in HEADERS]
    assert len(run(users, plan, workbook([row()], headers=headers)).nominations) == 1


def test_text_in_a_number_column(users, plan, db):
    cells, problems = refused(users, plan, workbook([
        row(),
        row(number=2, full_name="Trần Thị Mai", birth_year="một chín tám lăm"),
        row(number=3, full_name="Lê Quang Minh", members_present="hai mươi", votes_for=2.5),
    ]))
    assert cells == [(3, "Năm sinh"), (4, "Số người dự họp"), (4, "Số phiếu đồng ý")]
    assert "một chín tám lăm" in str(problems[0].message)
    assert nothing_imported(db)


@pytest.mark.parametrize("values,column", [
    ({"votes_for": 30}, "Số phiếu đồng ý"),  # more votes than the 25 present
    ({"birth_year": 2012}, "Năm sinh"),  # under 15
    ({"birth_year": 2030}, "Năm sinh"),  # in the future
    ({"kind": "Hộ gia đình"}, "Cá nhân/Tập thể"),
    ({"gender": "Khác"}, "Giới tính"),
    ({"movement_id": "Phong trào không có"}, "Phong trào thi đua"),
    ({"movement_id": None}, "Phong trào thi đua"),
    ({"achievements": ""}, "Tóm tắt thành tích"),
    ({"full_name": None}, "Họ và tên (tên tập thể)"),
    ({"meeting_date": "31/02/2020"}, "Ngày họp bình xét (dd/mm/yyyy)"),
    ({"meeting_date": 43900}, "Ngày họp bình xét (dd/mm/yyyy)"),
    ({"period_start_year": 2019, "period_end_year": 2016}, "Đến năm"),
    ({"proposed_honour": "Tập thể lao động tiên tiến"}, "Hình thức khen thưởng đề nghị"),  # not for a person
    ({"achievements": "x" * 20001}, "Tóm tắt thành tích"),
])
def test_each_bad_cell_is_named_by_row_and_column(users, plan, db, values, column):
    cells, problems = refused(users, plan, workbook([row(), row(**{"number": 2, "full_name": "Trần Thị Mai", **values})]))
    assert (3, column) in cells, [(p.row, p.column, str(p.message)) for p in problems]
    assert {r for r, _c in cells} == {3}  # the good row has nothing to say
    assert nothing_imported(db)


def test_too_many_rows_is_refused_fast(users, plan, db):
    data = workbook([row(number=i, full_name=f"Người số {i}") for i in range(10_000)])
    started = time.monotonic()
    cells, problems = refused(users, plan, data, max_rows=2000)
    assert time.monotonic() - started < 15
    assert cells == [(None, "")] and "2000" in str(problems[0].message)
    assert nothing_imported(db)


def test_the_row_limit_is_configurable(client, login_as, app, users, plan, db, monkeypatch):
    monkeypatch.setitem(app.config, "NOMINATION_IMPORT_MAX_ROWS", 3)
    login_as(users["officer"])
    data = workbook([row(number=i, full_name=f"Người số {i}") for i in range(4)])
    response = client.post("/nominations/import", data={"plan_id": str(plan.id),
                                                         "file": (io.BytesIO(data), "danh-sach.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="import-refused"' in html
    assert html.count('data-testid="import-problem"') == 1
    assert nothing_imported(db)


@pytest.mark.parametrize("data", [
    pdf_bytes(),  # a PDF named .xlsx
    "Họ và tên,Năm sinh\nNguyễn Văn Hòa,1972\n".encode("utf-8-sig"),  # a CSV
    b"PK\x03\x04 damaged zip",
    b"",
])
def test_files_that_are_no_workbook(users, plan, db, data):
    cells, _ = refused(users, plan, data)
    assert cells == [(None, "")]
    assert nothing_imported(db)


def test_a_workbook_without_rows_or_too_large(users, plan, db):
    cells, _ = refused(users, plan, workbook([]))
    assert cells == [(None, "")]
    cells, _ = refused(users, plan, workbook([row()]), max_bytes=1000)
    assert cells == [(None, "")]
    assert nothing_imported(db)


def test_import_over_http_lists_problems_and_keeps_nothing(client, login_as, users, plan, db):
    login_as(users["officer"])
    data = workbook([row(), row(number=2, full_name="Trần Thị Mai", birth_year="abc")])
    response = client.post("/nominations/import", data={"plan_id": str(plan.id),
                                                         "file": (io.BytesIO(data), "danh-sach.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-row="3" data-column="Năm sinh"' in html
    assert nothing_imported(db)
    response = client.post("/nominations/import", data={"plan_id": str(plan.id)}, content_type="multipart/form-data")
    assert response.status_code == 200 and 'data-field-error="file"' in response.get_data(as_text=True)


def test_only_ward_officers_import(client, login_as, users, plan, other_plan):
    for role in ("committee", "leader", "admin"):
        login_as(users[role])
        assert client.get("/nominations/import").status_code == 403
        assert client.get(f"/nominations/import/template?plan={plan.id}").status_code == 403
    login_as(users["officer"])
    assert client.get(f"/nominations/import/template?plan={other_plan.id}").status_code == 404


# --- hostile workbooks (tracker.spreadsheets.reader) ---------------------------------------

HOSTILE_FILES = [
    pytest.param(hostile.huge_shared_strings, "xl/sharedStrings.xml", id="shared strings of 120 MB"),
    pytest.param(hostile.cell_bomb, "xl/worksheets/sheet1.xml", id="six million cells in 82 KB"),
    pytest.param(lambda: hostile.dense_cells(tuple(HEADERS)), "200000", id="1.2 million empty cells"),
    pytest.param(hostile.wide_header, "CW1", id="thousands of header columns"),
    pytest.param(lambda: hostile.far_cell("XFD1048576", tuple(HEADERS)), "1048576", id="a cell at XFD1048576"),
    pytest.param(hostile.entity_bomb, ".xlsx", id="entity expansion"),
]


@pytest.fixture
def untimed(app, monkeypatch):
    """A slow machine must not turn "too many cells" into "too slow" (time has its own test)."""
    monkeypatch.setitem(app.config, "SPREADSHEET_MAX_SECONDS", 600)


@pytest.mark.parametrize("build,named", HOSTILE_FILES)
def test_a_hostile_workbook_is_refused_with_little_memory(users, plan, db, untimed, build, named):
    data = build()
    refusal, peak = hostile.peak_memory(lambda: run(users, plan, data))
    assert isinstance(refusal, ImportRefused), refusal
    assert [(p.row, p.column) for p in refusal.problems] == [(None, "")] and named in str(refusal.problems[0].message)
    assert peak < 20  # MB
    assert nothing_imported(db)


@pytest.mark.parametrize("build,named", HOSTILE_FILES)
def test_a_hostile_workbook_gets_the_message_over_http(client, login_as, users, plan, db, untimed, build, named):
    login_as(users["officer"])
    response = client.post("/nominations/import", data={"plan_id": str(plan.id),
                                                         "file": (io.BytesIO(build()), "danh-sach.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="import-refused"' in html
    assert html.count('data-testid="import-problem"') == 1 and named in html
    assert nothing_imported(db)


def test_a_dimension_lie_imports_as_the_rows_are(users, plan, db):
    """A sheet declaring the whole grid (A1:XFD1048576) costs nothing: the reader never pads to it."""
    cells = "".join(hostile.text_cell(v) if isinstance(v, str) else "<c/>" if v is None else f"<c><v>{v}</v></c>"
                    for v in row(meeting_date="10/03/2020"))
    data = hostile.workbook(hostile.sheet_xml([hostile.header_row(tuple(HEADERS)), f'<row r="2">{cells}</row>'],
                                              head='<dimension ref="A1:XFD1048576"/>'))
    result, peak = hostile.peak_memory(lambda: run(users, plan, data))
    assert [n.candidate.full_name for n in result.nominations] == ["Nguyễn Văn Hòa"]
    assert peak < 20


def test_the_reading_time_is_limited(client, login_as, app, users, plan, db, monkeypatch):
    monkeypatch.setitem(app.config, "SPREADSHEET_MAX_SECONDS", 0)
    login_as(users["officer"])
    response = client.post("/nominations/import", data={"plan_id": str(plan.id),
                                                         "file": (io.BytesIO(workbook([row()])), "danh-sach.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="import-refused"' in html and "0 giây" in html
    assert nothing_imported(db)

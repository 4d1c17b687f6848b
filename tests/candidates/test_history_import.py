"""Award history from a spreadsheet: a good file, and each kind of bad one (nothing imported)."""
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.factories import make_accepted_nomination, make_plan
from tests.spreadsheets import hostile
from tracker.candidates import history_import
from tracker.candidates import services as candidates
from tracker.candidates.models import AwardRecord, CandidateYear
from tracker.catalogue import services as catalogue_services
from tracker.extensions import db
from tracker.commit import commit


def _xlsx(rows, headers=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers or history_import.HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def person(tree):
    catalogue_services.load_catalogue(None)
    nomination = make_accepted_nomination(make_plan(tree["city_a"]), tree["ward_a1"], "Nguyễn Văn Hòa")
    commit()
    return nomination.candidate


def _row(tree, **changes):
    row = [tree["ward_a1"].code, "nguyen van hoa", 1980, 2019, "HTXSNV", "LDTT, CSTDCS", "CS", 1, "KHONG", "CO",
           None, None, None, None, None, 12, 3]
    for index, value in changes.items():
        row[int(index[1:])] = value
    return row


def test_good_file(tree, person, users):
    result = history_import.read_history(_xlsx([_row(tree), _row(tree, c3=2018, c5="LDTT")]), tree["city_a"])
    assert result.errors == []
    assert history_import.import_history(users["committee"], result) == 2
    assert db.session.scalar(select(func.count(CandidateYear.id))) == 2
    assert db.session.scalar(select(func.count(AwardRecord.id))) == 3
    history = candidates.history_of([person.id], {person.id: "individual"})[person.id]
    assert history.years[2019].awards == frozenset({"LDTT", "CSTDCS"}) and history.years[2019].rating == "excellent"


@pytest.mark.parametrize("changes,column", [
    ({"c4": "GIOI"}, "E"),
    ({"c3": "hai nghìn"}, "D"),
    ({"c5": "XYZ"}, "F"),
    ({"c0": "NOPE"}, "A"),
    ({"c1": "Người Lạ"}, "B"),
    ({"c7": -1}, "H"),
    ({"c8": "NHE"}, "I"),
    ({"c9": "CÓ LẼ"}, "J"),
    ({"c10": 30}, "K"),  # members of an individual
    ({"c15": 13}, "P"),
])
def test_bad_row_imports_nothing(tree, person, users, changes, column):
    result = history_import.read_history(_xlsx([_row(tree), _row(tree, **{"c3": 2018, **changes})]), tree["city_a"])
    assert result.rows == []
    assert (3, column) in [(row, col) for row, col, _message in result.errors]


def test_every_fact_the_rules_read_is_imported(tree, person, users):
    """The research project and a collective's members reach the history the rules read: a
    CSTĐCS of regime 2024 passes by an accepted research project alone, and a collective's
    members decide its title."""
    from datetime import date

    from tracker.awards.services import eligibility
    from tracker.catalogue.models import AwardType

    team = make_accepted_nomination(make_plan(tree["city_a"]), tree["ward_a1"], "Tổ dân phố 5", kind="collective")
    commit()
    rows = [_row(tree, c4="HTTNV", c5="LDTT", c6=None, c7=None, c9="CO"),
            _row(tree, c3=2023, c4="HTTNV", c5="LDTT", c6=None, c7=None, c9="CO"),
            [tree["ward_a1"].code, "to dan pho 5", None, 2019, None, "", None, None, "KHONG", None, 40, 40, 30, 2, 0,
             None, None]]
    result = history_import.read_history(_xlsx(rows), tree["city_a"])
    assert result.errors == []
    history_import.import_history(users["committee"], result)
    commit()
    history = candidates.history_of([person.id, team.candidate_id],
                                    {person.id: "individual", team.candidate_id: "collective"})
    assert history[person.id].years[2019].research_accepted is True
    assert (history[person.id].years[2019].months_in_service, history[person.id].years[2019].leave_working_days) == (12, 3)
    assert (history[team.candidate_id].years[2019].members_total, history[team.candidate_id].years[2019].members_ldtt) \
        == (40, 30)
    cstdcs = db.session.scalar(select(AwardType).where(AwardType.code == "CSTDCS", AwardType.regime == "2024"))
    verdict = eligibility(person, cstdcs, date(2024, 3, 1))  # judges 2023: LĐTT and a research project
    assert verdict.year == 2023 and verdict.result.value == "pass", [c.message for c in verdict.checks]
    verdict = eligibility(person, cstdcs, date(2020, 3, 1))
    assert verdict.regime == "2017" and verdict.result.value != "pass"  # 2017 wanted an initiative
    ttldtt = db.session.scalar(select(AwardType).where(AwardType.code == "TTLDTT", AwardType.regime == "2017"))
    assert eligibility(team.candidate, ttldtt, date(2020, 3, 1)).result.value == "pass"  # 30 of 40 LĐTT


def test_the_first_templates_nine_columns_still_import(tree, person, users):
    result = history_import.read_history(_xlsx([_row(tree)[:9]], history_import.REQUIRED_HEADERS), tree["city_a"])
    assert result.errors == [] and len(result.rows) == 1


def test_wrong_columns(tree, person):
    headers = list(history_import.HEADERS)
    headers[4] = "Xếp hạng"
    result = history_import.read_history(_xlsx([_row(tree)], headers), tree["city_a"])
    assert result.errors and result.errors[0][:2] == (1, "E")


def test_not_a_workbook_and_candidate_outside_scope(tree, person):
    assert history_import.read_history(b"not a zip", tree["city_a"]).errors
    result = history_import.read_history(_xlsx([_row(tree)]), tree["city_b"])
    assert result.errors and result.errors[0][1] == "A"


def test_import_page(client, login_as, users, tree, person):
    login_as(users["committee"])
    template = client.get("/awards/history/template.xlsx")
    assert template.status_code == 200
    bad = client.post("/awards/history/import", data={"file": (io.BytesIO(_xlsx([_row(tree, c4="X")])), "h.xlsx")},
                      content_type="multipart/form-data", follow_redirects=True)
    html = bad.get_data(as_text=True)
    assert 'data-testid="import-problem" data-row="2" data-column="E"' in html
    assert db.session.scalar(select(func.count(CandidateYear.id))) == 0
    good = client.post("/awards/history/import", data={"file": (io.BytesIO(_xlsx([_row(tree)])), "h.xlsx")},
                       content_type="multipart/form-data")
    assert good.status_code == 302 and good.headers["Location"].startswith("/jobs/")
    assert "Đã nhập 1 dòng dữ liệu quá trình thi đua, khen thưởng." in client.get(good.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(CandidateYear.id))) == 1


# --- hostile workbooks (tracker.spreadsheets.reader) ---------------------------------------

HOSTILE_FILES = [
    pytest.param(hostile.huge_shared_strings, "xl/sharedStrings.xml", id="shared strings of 120 MB"),
    pytest.param(hostile.cell_bomb, "xl/worksheets/sheet1.xml", id="six million cells in 82 KB"),
    pytest.param(lambda: hostile.dense_cells(tuple(history_import.HEADERS)), "200000", id="1.2 million empty cells"),
    pytest.param(hostile.wide_header, "CW1", id="thousands of header columns"),
    pytest.param(lambda: hostile.far_cell("XFD1048576", tuple(history_import.HEADERS)), "1048576",
                 id="a cell at XFD1048576"),
]


@pytest.fixture
def untimed(app, monkeypatch):
    """A slow machine must not turn "too many cells" into "too slow" (time has its own test)."""
    monkeypatch.setitem(app.config, "SPREADSHEET_MAX_SECONDS", 600)


@pytest.mark.parametrize("build,named", HOSTILE_FILES)
def test_a_hostile_workbook_is_one_error_found_with_little_memory(tree, person, untimed, build, named):
    data = build()
    result, peak = hostile.peak_memory(lambda: history_import.read_history(data, tree["city_a"]))
    assert result.rows == [] and len(result.errors) == 1
    row, column, message = result.errors[0]
    assert (row, column) == (0, "") and named in str(message)
    assert peak < 20  # MB


@pytest.mark.parametrize("build,named", HOSTILE_FILES)
def test_a_hostile_workbook_gets_the_message_over_http(client, login_as, users, tree, person, untimed, build, named):
    login_as(users["committee"])
    response = client.post("/awards/history/import", data={"file": (io.BytesIO(build()), "h.xlsx")},
                           content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'data-testid="import-refused"' in html and named in html
    assert db.session.scalar(select(func.count(CandidateYear.id))) == 0

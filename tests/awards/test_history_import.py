"""Award history from a spreadsheet: a good file, and each kind of bad one (nothing imported)."""
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.factories import make_accepted_nomination, make_plan
from tracker.awards import history_import, services
from tracker.awards.models import AwardRecord, CandidateYear
from tracker.extensions import db


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
    services.load_catalogue(None)
    nomination = make_accepted_nomination(make_plan(tree["city_a"]), tree["ward_a1"], "Nguyễn Văn Hòa")
    db.session.commit()
    return nomination.candidate


def _row(tree, **changes):
    row = [tree["ward_a1"].code, "nguyen van hoa", 1980, 2019, "HTXSNV", "LDTT, CSTDCS", "CS", 1, "KHONG"]
    for index, value in changes.items():
        row[int(index[1:])] = value
    return row


def test_good_file(tree, person, users):
    result = history_import.read_history(_xlsx([_row(tree), _row(tree, c3=2018, c5="LDTT")]), tree["city_a"])
    assert result.errors == []
    assert history_import.import_history(users["committee"], result) == 2
    assert db.session.scalar(select(func.count(CandidateYear.id))) == 2
    assert db.session.scalar(select(func.count(AwardRecord.id))) == 3
    history = services.history_of([person.id], {person.id: "individual"})[person.id]
    assert history.years[2019].awards == frozenset({"LDTT", "CSTDCS"}) and history.years[2019].rating == "excellent"


@pytest.mark.parametrize("changes,column", [
    ({"c4": "GIOI"}, "E"),
    ({"c3": "hai nghìn"}, "D"),
    ({"c5": "XYZ"}, "F"),
    ({"c0": "NOPE"}, "A"),
    ({"c1": "Người Lạ"}, "B"),
    ({"c7": -1}, "H"),
    ({"c8": "NHE"}, "I"),
])
def test_bad_row_imports_nothing(tree, person, users, changes, column):
    result = history_import.read_history(_xlsx([_row(tree), _row(tree, **{"c3": 2018, **changes})]), tree["city_a"])
    assert result.rows == []
    assert (3, column) in [(row, col) for row, col, _message in result.errors]


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
                      content_type="multipart/form-data")
    assert 'data-testid="import-errors"' in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CandidateYear.id))) == 0
    good = client.post("/awards/history/import", data={"file": (io.BytesIO(_xlsx([_row(tree)])), "h.xlsx")},
                       content_type="multipart/form-data")
    assert good.status_code == 302
    assert db.session.scalar(select(func.count(CandidateYear.id))) == 1

"""Single-line fields lose line breaks and control characters; multi-line fields keep their line
breaks; numbers and dates no column or calendar can hold are field errors. One filter in
forms_base, seen through the forms."""
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import make_plan
from tracker.inputs import multi_line, parse_enum, parse_id, parse_int, query_text, single_line
from tracker.candidates.models import Candidate
from tracker.nominations.models import Nomination
from tracker.plans.models import Milestone, Movement, Plan
from tracker.units.models import Unit, UnitKind
from tracker.users.models import Role, User
from tracker.commit import commit

DIRTY = "Hội nghị\r\nđiển hình\x00 tiên\ttiến\x1b\x7f\x9b\u2028"


@pytest.mark.parametrize("value,expected", [
    (DIRTY, "Hội nghị điển hình tiên tiến"),
    ("156/KH-UBND\r\n", "156/KH-UBND"),
    ("  Phường A1  ", "Phường A1"),
    ("a\x00b", "ab"),
    (None, None),
    (12, 12),
])
def test_single_line(value, expected):
    assert single_line(value) == expected


def test_multi_line_keeps_line_breaks_and_tabs():
    assert multi_line("Dòng 1\r\n\tDòng 2\x00\x1b\x0b\nDòng 3") == "Dòng 1\r\n\tDòng 2\nDòng 3"


@pytest.mark.parametrize("value,expected", [
    ("12", 12), (" 12 ", 12), (12, 12), ("2147483647", 2147483647), ("2147483648", None), ("0", None),
    ("-1", None), ("１２", None), ("²", None), ("1_0", None), ("1.0", None), ("1e3", None), ("", None),
    (None, None), ("x", None), ("9" * 400, None), (True, None), ("12\x00", None),
])
def test_parse_id(value, expected):
    assert parse_id(value) == expected


def test_parse_int_keeps_its_range_and_sign():
    assert parse_int("-5", -10, 10) == -5 and parse_int("11", -10, 10) is None


def test_parse_enum_and_query_text():
    assert parse_enum("ward", UnitKind) is UnitKind.WARD and parse_enum("x", UnitKind) is None
    assert parse_enum(None, UnitKind) is None
    assert query_text("a\x00b" + "x" * 500) == "ab" + "x" * 198
    assert query_text(None) == ""


# --- through the forms -------------------------------------------------------------------


def _plan_form(**overrides):
    data = {"number": "156/KH-UBND", "title": "Kế hoạch", "issued_date": "2019-10-15", "period_start_year": "2020",
            "period_end_year": "2025", "legal_basis": "", "summary": "", "body": "", "parent_id": "0"}
    data.update(overrides)
    return data


def test_plan_number_and_title_are_one_line_its_summary_keeps_its_lines(client, login_as, users, db):
    login_as(users["committee"])
    response = client.post("/plans/new", data=_plan_form(number="156/KH-UBND\r\n", title=DIRTY,
                                                         summary="Mục đích:\r\n- Biểu dương\x00\r\n- Nhân rộng"))
    assert response.status_code == 302
    plan = db.session.scalar(select(Plan))
    assert plan.number == "156/KH-UBND"
    assert plan.title == "Hội nghị điển hình tiên tiến"
    assert plan.summary.replace("\r\n", "\n") == "Mục đích:\n- Biểu dương\n- Nhân rộng"


def test_movement_and_milestone_titles_are_one_line(client, login_as, users, tree, db):
    plan = make_plan(tree["city_a"])
    commit()
    login_as(users["committee"])
    client.post(f"/plans/{plan.id}/movements/new", data={"name": "Cả nước chung tay\r\nvì người nghèo\x00",
                                                          "description": "Dòng 1\r\nDòng 2"})
    movement = db.session.scalar(select(Movement))
    assert movement.name == "Cả nước chung tay vì người nghèo"
    assert movement.description.replace("\r\n", "\n") == "Dòng 1\nDòng 2"
    client.post(f"/plans/{plan.id}/milestones/new", data={
        "title": "Hội nghị\ncấp xã,\x0b phường", "quarter": "Q1/2020", "scope": "subunits",
        "unit_kinds": ["ward"], "requires_report": "y", "description": "", "note": ""})
    assert db.session.scalar(select(Milestone.title)) == "Hội nghị cấp xã, phường"


def test_unit_and_user_names_are_one_line(client, login_as, users, tree, db):
    login_as(users["admin"])
    response = client.post("/admin/units/new", data={"name": "Phường\r\nMới\x00", "code": "\tPM-01\r\n",
                                                     "kind": "ward", "parent_id": tree["city_a"].id})
    assert response.status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.code == "PM-01"))
    assert unit.name == "Phường Mới"
    response = client.post("/admin/users/new", data={
        "username": "moi\r\n", "full_name": "Người\r\nMới\x1b", "email": "", "role": "ward_officer",
        "unit_id": unit.id, "password": "Hoi-nghi-2020-x", "confirm": "Hoi-nghi-2020-x"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "moi"))
    assert user.full_name == "Người Mới" and user.role is Role.WARD_OFFICER


def test_a_nomination_keeps_the_lines_of_its_achievements_only(client, login_as, users, tree, db):
    from tracker.plans.services import add_movement

    plan = make_plan(tree["city_a"])
    add_movement(None, plan, "Phong trào A")
    commit()
    login_as(users["officer"])
    response = client.post("/nominations/new", data={
        "plan_id": str(plan.id), "movement_id": str(plan.movements[0].id), "kind": "individual",
        "full_name": "Nguyễn\r\nVăn Hòa\x00", "gender": "male", "birth_year": "1972",
        "position": "Tổ trưởng\ttổ dân phố\r\n", "workplace": "Tổ dân phố 5\x1b", "member_count": "",
        "achievements": "Năm 2019:\r\n- Vận động hiến đất\x00\r\n- Làm đường", "period_start_year": "2015",
        "period_end_year": "2020", "meeting_date": "2020-03-10", "members_present": "25", "votes_for": "23",
        "proposed_award_type_id": "", "proposed_honour": "Giấy\r\nkhen", "category": "achievements", "save": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    candidate = db.session.scalar(select(Candidate))
    assert (candidate.full_name, candidate.position, candidate.workplace) == (
        "Nguyễn Văn Hòa", "Tổ trưởng tổ dân phố", "Tổ dân phố 5")
    nomination = db.session.scalar(select(Nomination))
    assert nomination.achievements.replace("\r\n", "\n") == "Năm 2019:\n- Vận động hiến đất\n- Làm đường"
    assert nomination.proposed_honour == "Giấy khen"


@pytest.mark.parametrize("field,value", [("period_start_year", "9" * 30), ("period_end_year", "-" + "9" * 25)])
def test_a_number_no_column_holds_is_a_field_error(client, login_as, users, db, field, value):
    login_as(users["committee"])
    response = client.post("/plans/new", data=_plan_form(**{field: value}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'data-field-error="{field}"' in html and "Số này quá lớn" in html
    assert db.session.scalar(select(Plan)) is None


def test_a_date_beyond_any_calendar_is_a_field_error(client, login_as, users, db):
    login_as(users["committee"])
    html = client.post("/plans/new", data=_plan_form(issued_date="9999-12-31")).get_data(as_text=True)
    assert 'data-field-error="issued_date"' in html and "01/01/1900" in html
    assert db.session.scalar(select(Plan)) is None
    client.post("/plans/new", data=_plan_form(issued_date="2999-12-31"))
    assert db.session.scalar(select(Plan.issued_date)) == date(2999, 12, 31)


def test_every_form_gets_the_filters():
    """The clean-up lives in TrackerForm.Meta: a form built on FlaskForm directly would miss it."""
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import tracker
    from tracker.forms_base import TrackerForm

    for module in pkgutil.walk_packages(tracker.__path__, "tracker."):
        importlib.import_module(module.name)
    forms, todo = [], [FlaskForm]
    while todo:
        cls = todo.pop()
        forms.append(cls)
        todo.extend(cls.__subclasses__())
    outside = [f"{f.__module__}.{f.__name__}" for f in forms
               if f.__module__.startswith("tracker.") and not issubclass(f, TrackerForm)]
    assert not outside, outside
    assert len([f for f in forms if f.__module__.startswith("tracker.")]) > 20

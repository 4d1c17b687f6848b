"""Planning over HTTP: bad input gets field messages and saves nothing."""
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.factories import make_milestone, make_plan
from tracker.plans.models import Milestone, Plan, PlanStatus
from tracker.commit import commit


def _plan_form(**overrides):
    data = {"number": "156/KH-UBND", "title": "Kế hoạch tổ chức Hội nghị điển hình tiên tiến",
            "issued_date": "2019-10-15", "period_start_year": "2020", "period_end_year": "2025",
            "legal_basis": "Chỉ thị 34-CT/TW ngày 07/4/2014", "summary": "", "body": "", "parent_id": "0"}
    data.update(overrides)
    return data


def _count(db):
    return db.session.scalar(select(func.count(Plan.id)))


def test_committee_creates_a_draft_plan(client, login_as, users, db, tree):
    login_as(users["committee"])
    response = client.post("/plans/new", data=_plan_form())
    assert response.status_code == 302
    plan = db.session.scalar(select(Plan))
    assert plan.status is PlanStatus.DRAFT and plan.issuing_unit_id == tree["city_a"].id
    assert plan.issued_date == date(2019, 10, 15)


@pytest.mark.parametrize("field,value,message", [
    ("number", "156-KH-UBND", "156/KH-UBND"),
    ("number", "KH-UBND", "156/KH-UBND"),
    ("number", "156/kh", "156/KH-UBND"),
    ("issued_date", "2019-02-31", None),
    ("issued_date", "15/10/2019x", None),
    ("period_end_year", "2019", None),
    ("period_start_year", "abc", None),
    ("title", "", None),
])
def test_bad_plan_input(client, login_as, users, db, field, value, message):
    login_as(users["committee"])
    response = client.post("/plans/new", data=_plan_form(**{field: value}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'data-field-error="{field}"' in html
    if message:
        assert message in html
    assert 'value="Kế hoạch tổ chức Hội nghị điển hình tiên tiến"' in html or field == "title"
    assert _count(db) == 0


def test_duplicate_number_is_a_field_error(client, login_as, users, db, tree):
    make_plan(tree["city_a"], number="156/KH-UBND")
    commit()
    login_as(users["committee"])
    html = client.post("/plans/new", data=_plan_form()).get_data(as_text=True)
    assert 'data-field-error="number"' in html
    assert _count(db) == 1


def test_ward_officer_and_leader_cannot_plan(client, login_as, users, tree, db):
    plan = make_plan(tree["city_a"])
    commit()
    for role in ("officer", "leader"):
        login_as(users[role])
        assert client.get("/plans/new").status_code == 403
        assert client.post("/plans/new", data=_plan_form(number="1/KH-UBND")).status_code == 403
        assert client.post(f"/plans/{plan.id}/edit", data=_plan_form()).status_code == 403
        assert client.post(f"/plans/{plan.id}/close").status_code == 403
    assert _count(db) == 1


def test_committee_of_city_b_cannot_see_city_a_plan(client, login_as, users, tree, db):
    plan = make_plan(tree["city_a"])
    commit()
    login_as(users["committee_b"])
    assert client.get(f"/plans/{plan.id}").status_code == 404
    assert client.post(f"/plans/{plan.id}/edit", data=_plan_form()).status_code == 404


def _milestone_form(**overrides):
    data = {"title": "Hội nghị cấp xã, phường", "quarter": "", "start_date": "2020-01-01", "due_date": "2020-03-31",
            "scope": "subunits", "unit_kinds": ["ward", "commune"], "requires_report": "y", "description": "", "note": ""}
    data.update(overrides)
    return data


@pytest.fixture
def plan(tree, db):
    plan = make_plan(tree["city_a"])
    commit()
    return plan


def test_milestone_from_a_quarter(client, login_as, users, plan, db):
    login_as(users["committee"])
    response = client.post(f"/plans/{plan.id}/milestones/new",
                           data=_milestone_form(quarter="Q1/2020", start_date="", due_date=""))
    assert response.status_code == 302
    milestone = db.session.scalar(select(Milestone))
    assert (milestone.start_date, milestone.due_date) == (date(2020, 1, 1), date(2020, 3, 31))
    assert milestone.kinds == ["ward", "commune"]


@pytest.mark.parametrize("overrides,field", [
    ({"due_date": "2019-12-31"}, "due_date"),
    ({"start_date": "2020-02-30"}, "start_date"),
    ({"start_date": "", "due_date": ""}, "start_date"),
    ({"quarter": "Q7/2020"}, "quarter"),
    ({"unit_kinds": []}, "unit_kinds"),
    ({"title": ""}, "title"),
])
def test_bad_milestone_input(client, login_as, users, plan, db, overrides, field):
    login_as(users["committee"])
    response = client.post(f"/plans/{plan.id}/milestones/new", data=_milestone_form(**overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f'data-field-error="{field}"' in html
    assert db.session.scalar(select(func.count(Milestone.id))) == 0


def test_milestone_outside_period_is_saved_with_a_warning(client, login_as, users, plan, db):
    login_as(users["committee"])
    response = client.post(f"/plans/{plan.id}/milestones/new",
                           data=_milestone_form(start_date="2026-01-01", due_date="2026-03-31"), follow_redirects=True)
    assert "alert-warning" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Milestone.id))) == 1


def test_issuing_unit_milestone(client, login_as, users, plan, db):
    login_as(users["committee"])
    client.post(f"/plans/{plan.id}/milestones/new", data=_milestone_form(
        title="Hội nghị thành phố", scope="issuing_unit", unit_kinds=[], start_date="2020-04-20", due_date="2020-04-25"))
    milestone = db.session.scalar(select(Milestone))
    assert milestone.unit_kinds == "" and milestone.scope.value == "issuing_unit"


def test_closed_plan_is_read_only_over_http(client, login_as, users, plan, db):
    login_as(users["committee"])
    assert client.post(f"/plans/{plan.id}/close").status_code == 302
    assert client.get(f"/plans/{plan.id}/edit").status_code == 403
    assert client.post(f"/plans/{plan.id}/milestones/new", data=_milestone_form()).status_code == 403
    html = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert f"/plans/{plan.id}/edit" not in html


def test_movement_add_edit_delete(client, login_as, users, plan, db):
    login_as(users["committee"])
    client.post(f"/plans/{plan.id}/movements/new", data={"name": "Cả nước chung tay vì người nghèo", "description": ""})
    db.session.expire_all()
    assert [m.name for m in plan.movements] == ["Cả nước chung tay vì người nghèo"]
    movement = plan.movements[0]
    client.post(f"/plans/{plan.id}/movements/{movement.id}/edit", data={"name": "Tên mới", "description": ""})
    db.session.expire_all()
    assert plan.movements[0].name == "Tên mới"
    client.post(f"/plans/{plan.id}/movements/{movement.id}/delete")
    db.session.expire_all()
    assert plan.movements == []


def test_milestone_of_another_plan_is_404(client, login_as, users, plan, tree, db):
    other = make_plan(tree["city_a"])
    milestone = make_milestone(other)
    commit()
    login_as(users["committee"])
    assert client.get(f"/plans/{plan.id}/milestones/{milestone.id}/edit").status_code == 404

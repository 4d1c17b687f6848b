"""No lost update on plans, movements and milestones: a form from before someone else's save is refused."""
import pytest
from sqlalchemy import text

from tests.editing import assert_conflict, hidden, open_form, session_of
from tests.factories import make_milestone, make_plan
from tracker.errors import ConflictError
from tracker.plans import services
from tracker.plans.models import Milestone, Movement, Plan
from tracker.commit import commit, rollback


@pytest.fixture
def plan(tree, db):
    plan = make_plan(tree["city_a"], number="156/KH-UBND", title="Kế hoạch tổ chức Hội nghị điển hình tiên tiến")
    services.add_movement(None, plan, "Cả nước chung tay vì người nghèo")
    make_milestone(plan, title="Hội nghị cấp xã, phường")
    commit()
    return plan


def _plan_form(version, **overrides):
    data = {"version": version, "number": "156/KH-UBND", "title": "Kế hoạch tổ chức Hội nghị điển hình tiên tiến",
            "issued_date": "2019-10-15", "period_start_year": "2020", "period_end_year": "2025",
            "legal_basis": "Chỉ thị 34-CT/TW ngày 07/4/2014", "summary": "", "body": "", "parent_id": "0"}
    return {**data, **overrides}


def _milestone_form(version, **overrides):
    data = {"version": version, "title": "Hội nghị cấp xã, phường", "description": "", "quarter": "",
            "start_date": "2020-01-01", "due_date": "2020-03-31", "scope": "subunits",
            "unit_kinds": ["ward", "commune"], "requires_report": "y", "note": ""}
    return {**data, **overrides}


# --- services ----------------------------------------------------------------------------


def test_a_plan_saved_from_a_stale_version_is_refused(users, plan, db):
    opened = plan.version
    services.update_plan(users["committee"], plan, expected_version=opened, title="Người thứ nhất", number=plan.number)
    with pytest.raises(ConflictError):
        services.update_plan(users["committee"], plan, expected_version=opened, title="Người thứ hai",
                             number=plan.number)
    assert plan.title == "Người thứ nhất" and plan.version == opened + 1


def test_saving_nothing_new_keeps_the_version(users, plan):
    opened = plan.version
    services.update_plan(users["committee"], plan, expected_version=opened, title=plan.title, number=plan.number)
    assert plan.version == opened


def test_a_movement_or_milestone_saved_from_a_stale_version_is_refused(users, plan):
    movement, milestone = plan.movements[0], plan.milestones[0]
    opened_movement, opened_milestone = movement.version, milestone.version
    services.update_movement(users["committee"], movement, "Tên mới", expected_version=opened_movement)
    with pytest.raises(ConflictError):
        services.update_movement(users["committee"], movement, "Tên khác", expected_version=opened_movement)
    assert movement.name == "Tên mới"
    values = {name: getattr(milestone, name) for name in services.MILESTONE_FIELDS}
    services.update_milestone(users["committee"], milestone, expected_version=opened_milestone,
                              **{**values, "note": "Ghi chú thứ nhất"})
    with pytest.raises(ConflictError):
        services.update_milestone(users["committee"], milestone, expected_version=opened_milestone,
                                  **{**values, "note": "Ghi chú thứ hai"})
    assert milestone.note == "Ghi chú thứ nhất"


def test_a_race_past_the_check_is_caught_by_the_database(users, plan, db):
    """Another request saved between our read and our write: the guarded UPDATE matches no row."""
    version = plan.version  # loaded now, as a request would
    with db.engine.connect() as other:
        other.execute(text("UPDATE plans SET version = version + 1, title = 'Khác' WHERE id = :id"), {"id": plan.id})
        other.commit()
    with pytest.raises(ConflictError):
        services.update_plan(users["committee"], plan, expected_version=version, title="Của tôi", number=plan.number)
    rollback()
    assert plan.title == "Khác"


# --- over HTTP: two sessions open the same form ------------------------------------------


def test_two_sessions_edit_the_same_plan(app, users, plan, db):
    first, second = session_of(app, users["committee"]), session_of(app, users["committee"])
    url = f"/plans/{plan.id}/edit"
    mine, theirs = hidden(open_form(first, url)), hidden(open_form(second, url))
    assert first.post(url, data=_plan_form(mine, title="Tiêu đề đã sửa lần đầu")).status_code == 302
    response = second.post(url, data=_plan_form(theirs, title="Tiêu đề lần hai", summary="Tóm tắt lần hai"))
    assert_conflict(response, 'value="Tiêu đề lần hai"', "Tóm tắt lần hai")
    db.session.expire_all()
    stored = db.session.get(Plan, plan.id)
    assert stored.title == "Tiêu đề đã sửa lần đầu" and stored.summary == ""


def test_two_sessions_edit_the_same_movement(app, users, plan, db):
    movement = plan.movements[0]
    first, second = session_of(app, users["committee"]), session_of(app, users["committee"])
    url = f"/plans/{plan.id}/movements/{movement.id}/edit"
    mine, theirs = hidden(open_form(first, url)), hidden(open_form(second, url))
    assert first.post(url, data={"version": mine, "name": "Tên lần đầu", "description": ""}).status_code == 302
    response = second.post(url, data={"version": theirs, "name": "Tên lần hai", "description": "Mô tả lần hai"})
    assert_conflict(response, 'value="Tên lần hai"', "Mô tả lần hai")
    db.session.expire_all()
    assert db.session.get(Movement, movement.id).name == "Tên lần đầu"


def test_two_sessions_edit_the_same_milestone(app, users, plan, db):
    milestone = plan.milestones[0]
    first, second = session_of(app, users["committee"]), session_of(app, users["committee"])
    url = f"/plans/{plan.id}/milestones/{milestone.id}/edit"
    mine, theirs = hidden(open_form(first, url)), hidden(open_form(second, url))
    assert first.post(url, data=_milestone_form(mine, due_date="2020-03-15")).status_code == 302
    response = second.post(url, data=_milestone_form(theirs, title="Tiêu đề lần hai", note="Ghi chú lần hai"))
    assert_conflict(response, 'value="Tiêu đề lần hai"', "Ghi chú lần hai")
    db.session.expire_all()
    stored = db.session.get(Milestone, milestone.id)
    assert (stored.title, stored.due_date.isoformat(), stored.note) == ("Hội nghị cấp xã, phường", "2020-03-15", "")


def test_a_save_that_loses_a_race_anywhere_is_a_409_page_not_a_500(app, users, plan, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    def lost(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'plans' expected to update 1 row(s); 0 were matched.")

    monkeypatch.setattr(services, "update_plan", lost)
    client = session_of(app, users["committee"])
    url = f"/plans/{plan.id}/edit"
    response = client.post(url, data=_plan_form(hidden(open_form(client, url))))
    assert_conflict(response)

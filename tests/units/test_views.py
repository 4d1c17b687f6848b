"""Unit administration over HTTP."""
from sqlalchemy import select

from tracker.units.models import Unit


def test_index_lists_the_subtree_only(client, login_as, users):
    login_as(users["admin"])
    html = client.get("/admin/units/").get_data(as_text=True)
    assert "Phường A1" in html and "Xã A2" in html
    assert "Phường B1" not in html and "Tỉnh Thử Nghiệm" not in html


def test_filter_by_name(client, login_as, users):
    login_as(users["admin"])
    html = client.get("/admin/units/?q=A2").get_data(as_text=True)
    assert "Xã A2" in html and "Phường A1" not in html


def test_create_unit(client, login_as, users, tree, db):
    login_as(users["admin"])
    response = client.post("/admin/units/new", data={
        "name": "Phường A3", "code": "A3", "kind": "ward", "parent_id": tree["city_a"].id})
    assert response.status_code == 302
    unit = db.session.scalar(select(Unit).where(Unit.code == "A3"))
    assert unit.path.startswith(tree["city_a"].path)


def test_create_unit_bad_input_keeps_what_was_typed(client, login_as, users, tree, db):
    login_as(users["admin"])
    response = client.post("/admin/units/new", data={
        "name": "Phường Mới", "code": tree["ward_a1"].code, "kind": "ward", "parent_id": tree["city_a"].id})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-field-error="code"' in html and "Mã này đã được một đơn vị khác sử dụng" in html
    assert 'value="Phường Mới"' in html
    assert db.session.scalar(select(Unit).where(Unit.name == "Phường Mới")) is None


def test_create_unit_under_a_unit_outside_scope_is_refused(client, login_as, users, tree, db):
    login_as(users["admin"])
    response = client.post("/admin/units/new", data={
        "name": "Lạ", "code": "LA1", "kind": "ward", "parent_id": tree["city_b"].id})
    assert response.status_code == 200  # not a valid choice: shown as a field error
    assert 'data-field-error="parent_id"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Unit).where(Unit.code == "LA1")) is None


def test_invalid_code_characters(client, login_as, users, tree):
    login_as(users["admin"])
    html = client.post("/admin/units/new", data={
        "name": "X", "code": "mã có dấu", "kind": "ward", "parent_id": tree["city_a"].id}).get_data(as_text=True)
    assert 'data-field-error="code"' in html


def test_edit_unit_moves_it(client, login_as, users, tree, db):
    from tests.factories import make_nomination, make_plan
    from tracker.commit import commit
    from tracker.nominations.models import Nomination

    nominated = make_nomination(users["officer_a2"], make_plan(tree["province"]), status="submitted")
    commit()
    login_as(users["admin"])
    response = client.post(f"/admin/units/{tree['ward_a2'].id}/edit", data={
        "name": "Xã A2 mới", "code": tree["ward_a2"].code, "kind": "commune", "parent_id": tree["ward_a1"].id})
    assert response.status_code == 302
    db.session.expire_all()
    unit = db.session.get(Unit, tree["ward_a2"].id)
    assert unit.name == "Xã A2 mới" and unit.parent_id == tree["ward_a1"].id
    assert unit.path.startswith(tree["ward_a1"].path)
    assert db.session.get(Nomination, nominated.id).unit_path == unit.path  # its nominations follow

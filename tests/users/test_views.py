"""User administration over HTTP."""
from sqlalchemy import select

from tests.factories import PASSWORD
from tracker.users.models import Role, User


def _form(tree, **overrides):
    data = {"username": "moi", "full_name": "Người Mới", "email": "moi@example.vn", "role": "ward_officer",
            "unit_id": tree["ward_a1"].id, "password": "Hoi-nghi-2020-x", "confirm": "Hoi-nghi-2020-x"}
    data.update(overrides)
    return data


def test_list_is_scoped_and_filterable(client, login_as, users):
    login_as(users["admin"])
    html = client.get("/admin/users/").get_data(as_text=True)
    assert "officer_a1" in html and "officer_b1" not in html
    html = client.get("/admin/users/?role=leader").get_data(as_text=True)
    assert "leader_a" in html and "officer_a1" not in html


def test_create_user(client, login_as, users, tree, db):
    login_as(users["admin"])
    response = client.post("/admin/users/new", data=_form(tree))
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.username == "moi"))
    assert user.role is Role.WARD_OFFICER and user.unit_id == tree["ward_a1"].id


def test_create_user_with_weak_password_keeps_the_input(client, login_as, users, tree, db):
    login_as(users["admin"])
    response = client.post("/admin/users/new", data=_form(tree, password="1234567890", confirm="1234567890"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-field-error="password"' in html and "quá dễ đoán" in html
    assert 'value="Người Mới"' in html and 'value="moi"' in html
    assert db.session.scalar(select(User).where(User.username == "moi")) is None


def test_create_user_with_short_password(client, login_as, users, tree):
    login_as(users["admin"])
    html = client.post("/admin/users/new", data=_form(tree, password="Ab1-xyz", confirm="Ab1-xyz")).get_data(as_text=True)
    assert "ít nhất 10 ký tự" in html


def test_mismatched_confirmation(client, login_as, users, tree):
    login_as(users["admin"])
    html = client.post("/admin/users/new", data=_form(tree, confirm="something-else")).get_data(as_text=True)
    assert 'data-field-error="confirm"' in html


def test_duplicate_username(client, login_as, users, tree):
    login_as(users["admin"])
    html = client.post("/admin/users/new", data=_form(tree, username="officer_a1")).get_data(as_text=True)
    assert 'data-field-error="username"' in html


def test_unit_outside_scope_refused(client, login_as, users, tree, db):
    login_as(users["admin"])
    html = client.post("/admin/users/new", data=_form(tree, unit_id=tree["ward_b1"].id)).get_data(as_text=True)
    assert 'data-field-error="unit_id"' in html
    assert db.session.scalar(select(User).where(User.username == "moi")) is None


def test_change_role_and_unit(client, login_as, users, tree, db):
    login_as(users["admin"])
    officer = users["officer"]
    response = client.post(f"/admin/users/{officer.id}/edit", data={
        "full_name": "Cán bộ đổi", "email": "", "role": "committee", "unit_id": tree["city_a"].id})
    assert response.status_code == 302
    db.session.expire_all()
    assert officer.role is Role.COMMITTEE and officer.unit_id == tree["city_a"].id


def test_deactivate_then_sign_in_refused(client, login_as, users, db, app):
    login_as(users["admin"])
    client.post(f"/admin/users/{users['officer'].id}/deactivate")
    db.session.expire_all()
    assert users["officer"].active is False
    other = app.test_client()
    html = other.post("/login", data={"username": "officer_a1", "password": PASSWORD}).get_data(as_text=True)
    assert "vô hiệu hóa" in html
    client.post(f"/admin/users/{users['officer'].id}/activate")
    assert other.post("/login", data={"username": "officer_a1", "password": PASSWORD}).status_code == 302


def test_reset_password(client, login_as, users, db):
    login_as(users["admin"])
    response = client.post(f"/admin/users/{users['officer'].id}/password",
                           data={"password": "Mat-khau-moi-2020", "confirm": "Mat-khau-moi-2020"})
    assert response.status_code == 302
    db.session.expire_all()
    assert users["officer"].check_password("Mat-khau-moi-2020")


def test_reset_password_with_weak_one(client, login_as, users, db):
    login_as(users["admin"])
    html = client.post(f"/admin/users/{users['officer'].id}/password",
                       data={"password": "password123", "confirm": "password123"}).get_data(as_text=True)
    assert "quá dễ đoán" in html
    db.session.expire_all()
    assert users["officer"].check_password(PASSWORD)


def test_admin_cannot_deactivate_self(client, login_as, users):
    login_as(users["admin"])
    assert client.post(f"/admin/users/{users['admin'].id}/deactivate").status_code == 403

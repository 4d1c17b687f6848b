"""Admins browse and filter the audit trail; it is scoped and append-only by construction."""
from tests.factories import PASSWORD


def test_audit_lists_sign_ins_and_changes(client, login_as, users, app):
    other = app.test_client()
    other.post("/login", data={"username": "officer_a1", "password": "wrong-password-x"})
    other.post("/login", data={"username": "officer_a1", "password": PASSWORD})
    login_as(users["admin"])
    html = client.get("/audit/").get_data(as_text=True)
    assert "auth.login_failed" in html and "auth.login" in html and "user.created" in html


def test_audit_filters(client, login_as, users, app):
    app.test_client().post("/login", data={"username": "officer_a1", "password": "wrong-password-x"})
    login_as(users["admin"])
    html = client.get("/audit/?action=auth.login_failed").get_data(as_text=True)
    assert "auth.login_failed" in html and "user.created" not in html
    html = client.get("/audit/?username=nobody-here").get_data(as_text=True)
    assert "auth.login_failed" not in html


def test_audit_is_scoped_to_the_subtree(client, login_as, users):
    login_as(users["admin"])
    html = client.get("/audit/?action=user.created").get_data(as_text=True)
    assert "officer_a1" in html and "officer_b1" not in html


def test_bad_date_filter_is_not_a_500(client, login_as, users):
    login_as(users["admin"])
    response = client.get("/audit/?date_from=31/02/2020")
    assert response.status_code == 200

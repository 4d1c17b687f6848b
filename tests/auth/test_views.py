"""The sign-in form, sign-out, CSRF, cookies and the language switch over HTTP."""
import re

import pytest
from sqlalchemy import select

from tests.conftest import sign_in_cookie
from tests.factories import PASSWORD
from tracker.audit.models import AuditEvent
from tracker.commit import commit


def test_login_form_signs_in_and_redirects_home(client, users):
    response = client.post("/login", data={"username": "officer_a1", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Phường A1" in page


def test_login_follows_only_local_next(client, users):
    response = client.post("/login?next=https://evil.example/x", data={"username": "officer_a1", "password": PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/plans/", data={"username": "officer_a1", "password": PASSWORD})
    assert response.headers["Location"] == "/plans/"


def test_wrong_password_shows_message_and_keeps_username(client, users):
    response = client.post("/login", data={"username": "officer_a1", "password": "nope-nope-nope"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in html
    assert 'value="officer_a1"' in html


def test_empty_fields_get_field_messages(client):
    html = client.post("/login", data={"username": "", "password": ""}).get_data(as_text=True)
    assert 'data-field-error="username"' in html and 'data-field-error="password"' in html


def test_throttled_after_five_failures_with_429_and_retry_after(client, users):
    for _ in range(5):
        client.post("/login", data={"username": "officer_a1", "password": "nope-nope-nope"})
    response = client.post("/login", data={"username": "officer_a1", "password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 429
    assert 14 * 60 <= int(response.headers["Retry-After"]) <= 15 * 60
    assert "Đăng nhập quá nhiều lần. Thử lại sau 15 phút." in html
    assert 'value="officer_a1"' in html  # what was typed stays
    assert client.get("/").status_code == 302  # still signed out


def test_session_cookie_is_httponly_and_samesite(client, users):
    response = client.post("/login", data={"username": "officer_a1", "password": PASSWORD})
    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout_signs_out_and_is_audited(client, users, db):
    client.post("/login", data={"username": "officer_a1", "password": PASSWORD})
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["auth.login", "auth.logout"]


def test_logout_is_post_only(client, users, login_as):
    login_as(users["officer"])
    assert client.get("/logout").status_code == 405


def test_deactivated_user_loses_the_session(client, users, login_as, db):
    login_as(users["officer"])
    assert client.get("/").status_code == 200
    users["officer"].active = False
    commit()
    assert client.get("/").status_code == 302


@pytest.fixture
def csrf_client(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    return app.test_client()


def test_post_without_csrf_token_is_refused(csrf_client, users, db):
    response = csrf_client.post("/login", data={"username": "officer_a1", "password": PASSWORD})
    assert response.status_code == 400
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "auth.login")) is None


def test_post_with_csrf_token_works(csrf_client, users):
    html = csrf_client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = csrf_client.post("/login", data={"username": "officer_a1", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_admin_post_without_csrf_changes_nothing(csrf_client, users, db):
    sign_in_cookie(csrf_client, users["admin"])
    response = csrf_client.post(f"/admin/users/{users['officer'].id}/deactivate")
    assert response.status_code == 400
    db.session.expire_all()
    assert users["officer"].active is True


def test_language_switch_is_remembered(client, users, login_as, db):
    login_as(users["officer"])
    assert "Đăng xuất" in client.get("/").get_data(as_text=True)
    client.post("/language/en", data={"next": "/plans/"})
    html = client.get("/").get_data(as_text=True)
    assert "Sign out" in html and 'lang="en"' in html
    db.session.expire_all()
    assert users["officer"].locale == "en"
    client.post("/language/vi")
    assert "Đăng xuất" in client.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(client):
    client.post("/language/xx")
    assert 'lang="vi"' in client.get("/login").get_data(as_text=True)

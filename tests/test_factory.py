"""The app factory, security headers, health check and error pages."""
from sqlalchemy.exc import OperationalError

from tracker import create_app


def test_testing_config(app):
    assert app.config["TESTING"]
    assert app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    prod = create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://")
    assert prod.config["SESSION_COOKIE_SECURE"] is True
    assert prod.config["REMEMBER_COOKIE_SECURE"] is True


def test_production_refuses_to_start_without_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    import pytest

    with pytest.raises(RuntimeError):
        create_app("production")


def test_security_headers_on_every_response(client):
    for url in ("/login", "/healthz", "/no-such-page", "/static/css/app.css"):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_script(client, users, login_as):
    login_as(users["committee"])
    html = client.get("/").get_data(as_text=True)
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag, tag
    assert " onclick=" not in html and " onsubmit=" not in html


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "redis": "not used", "storage": "ok",
                             "workers": "in process"}


def test_healthz_reports_unreachable_database(client, monkeypatch):
    from tracker.extensions import db

    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_friendly_404_in_vietnamese(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_500_page_is_friendly(app, client, monkeypatch):
    def boom():
        raise RuntimeError("boom")

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setitem(app.view_functions, "dashboard.healthz", boom)
    response = client.get("/healthz", headers={"Accept": "text/html"})
    assert response.status_code == 500
    assert "Hệ thống đã xảy ra lỗi" in response.get_data(as_text=True)


def test_ids_too_large_for_a_column_are_404(client, users, login_as):
    login_as(users["committee"])
    assert client.get("/plans/99999999999999999999").status_code == 404
    assert client.get("/deadlines/?unit=99999999999999999999").status_code == 404
    assert client.get("/awards/proposals/2147483648").status_code == 404

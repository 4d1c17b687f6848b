"""Personal access tokens: made and revoked on My account (shown once, stored hashed, with an
expiry and a scope), revoked by an admin of the subtree, throttled like sign-in; a request with a
session cookie and no token keeps the CSRF rules."""
import re
from datetime import timedelta

from sqlalchemy import select

from tracker import clock
from tracker.audit.models import AuditEvent
from tracker.commit import commit
from tracker.tokens import services as tokens
from tracker.tokens.models import ApiToken


def test_a_token_is_made_on_my_account_shown_once_and_stored_hashed(client, login_as, users, db):
    login_as(users["officer"])
    page = client.post("/account/tokens", data={"name": "Hệ thống một cửa", "scope": "write", "days": "90"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    secret = re.search(r'data-testid="new-token" value="([^"]+)"', html).group(1)
    assert secret.startswith("tdkt_") and "Hệ thống một cửa" in html
    stored = db.session.scalar(select(ApiToken))
    assert stored.token_hash != secret and secret not in stored.token_hash and stored.hint == secret[:9]
    assert stored.expires_at.date() == (clock.now() + timedelta(days=90)).date()
    # It works, and the account page never shows the secret again.
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).get_json()["username"] == \
        "officer_a1"
    again = client.get("/account").get_data(as_text=True)
    assert secret not in again and stored.hint in again


def test_a_token_form_with_no_name_says_so_and_keeps_the_choices(client, login_as, users):
    login_as(users["officer"])
    page = client.post("/account/tokens", data={"name": "  ", "scope": "read", "days": "30"})
    html = page.get_data(as_text=True)
    assert "is-invalid" in html and 'data-testid="new-token"' not in html
    assert '<option selected value="30">' in html or 'value="30" selected' in html


def test_revoked_expired_and_deactivated_tokens_stop_working(api, users, token_of, client, login_as, db):
    secret = token_of(users["officer"])
    assert api("GET", "/api/v1/me", secret).status_code == 200
    token = db.session.scalar(select(ApiToken))
    login_as(users["officer"])
    client.post(f"/account/tokens/{token.id}/revoke")
    refused = api("GET", "/api/v1/me", secret)
    assert refused.status_code == 401 and "Bearer" in refused.headers["WWW-Authenticate"]
    assert refused.content_type == "application/problem+json"

    short = token_of(users["officer"], days=30)
    token = db.session.scalar(select(ApiToken).where(ApiToken.revoked_at.is_(None)))
    token.expires_at = clock.now() - timedelta(seconds=1)
    commit()
    assert api("GET", "/api/v1/me", short).status_code == 401

    other = token_of(users["committee"])
    users["committee"].active = False
    commit()
    assert api("GET", "/api/v1/me", other).status_code == 401


def test_a_read_only_token_reads_and_never_writes(api, users, token_of, records):
    secret = token_of(users["committee"], "read")
    nomination = records["own_nomination"]
    assert api("GET", f"/api/v1/nominations/{nomination.id}", secret).status_code == 200
    refused = api("POST", f"/api/v1/nominations/{nomination.id}/accept", secret)
    assert refused.status_code == 403 and refused.content_type == "application/problem+json"


def test_an_admin_revokes_tokens_of_their_subtree_only(client, login_as, users, token_of, db, api):
    secret = token_of(users["officer"])
    token = db.session.scalar(select(ApiToken))
    login_as(users["admin_b"])  # city B's admin: city A's token is not theirs to see
    assert "officer_a1" not in client.get("/admin/users/tokens").get_data(as_text=True)
    assert client.post(f"/admin/users/tokens/{token.id}/revoke").status_code == 404
    assert api("GET", "/api/v1/me", secret).status_code == 200
    login_as(users["admin"])
    listed = client.get("/admin/users/tokens").get_data(as_text=True)
    assert "officer_a1" in listed and token.hint in listed
    client.post(f"/admin/users/tokens/{token.id}/revoke")
    assert api("GET", "/api/v1/me", secret).status_code == 401
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "token.revoked"))
    assert event.actor_id == users["admin"].id and event.unit_id == users["officer"].unit_id


def test_someone_elses_token_cannot_be_revoked_from_my_account(client, login_as, users, token_of, db):
    token_of(users["officer_a2"])
    token = db.session.scalar(select(ApiToken))
    login_as(users["officer"])
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_wrong_tokens_are_throttled_per_address_like_sign_in(api, app, monkeypatch, users, token_of):
    monkeypatch.setitem(app.config, "API_TOKEN_FAILURES_PER_ADDRESS", "3 per minute")
    for _ in range(3):
        assert api("GET", "/api/v1/me", "tdkt_wrong").status_code == 401
    good = token_of(users["officer"])
    refused = api("GET", "/api/v1/me", good)  # even a good token, from that address, waits
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.content_type == "application/problem+json"


def test_each_token_has_its_own_rate(api, app, monkeypatch, users, token_of):
    monkeypatch.setitem(app.config, "API_LIMIT_PER_TOKEN", "2 per minute")
    busy, other = token_of(users["officer"]), token_of(users["committee"])
    assert [api("GET", "/api/v1/me", busy).status_code for _ in range(3)] == [200, 200, 429]
    assert api("GET", "/api/v1/me", other).status_code == 200


def test_a_browser_session_without_a_token_keeps_the_csrf_rules(app, client, login_as, users, records, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    login_as(users["committee"])
    nomination = records["own_nomination"]
    assert client.get(f"/api/v1/nominations/{nomination.id}").status_code == 200  # reading needs none
    refused = client.post(f"/api/v1/nominations/{nomination.id}/accept")
    assert refused.status_code == 400 and refused.content_type == "application/problem+json"
    page = client.get("/account").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post(f"/api/v1/nominations/{nomination.id}/accept", headers={"X-CSRFToken": csrf})
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"


def test_a_token_request_sets_no_cookie_and_the_audit_says_api(api, users, token_of, records, db):
    secret = token_of(users["committee"])
    answer = api("POST", f"/api/v1/nominations/{records['own_nomination'].id}/accept", secret)
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "nomination.accepted",
                                                       AuditEvent.entity_id == records["own_nomination"].id))
    assert event.via == "api" and event.actor_id == users["committee"].id


def test_token_lifetimes_and_names_are_checked(users):
    import pytest

    from tracker.errors import InvalidData

    with pytest.raises(InvalidData) as refused:
        tokens.create_token(users["officer"], "", None, 7)
    assert set(refused.value.errors) == {"name", "scope", "days"}

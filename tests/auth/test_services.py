"""Signing in: password checks, lock-out after repeated failures, deactivated accounts."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD
from tracker.audit.models import AuditEvent
from tracker.users.services import SignInRefused, authenticate


def _actions(db):
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_good_password_signs_in_and_is_audited(app, db, users):
    user = authenticate("officer_a1", PASSWORD, app.config, ip="10.0.0.1")
    assert user.id == users["officer"].id
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login")).one()
    assert event.actor_id == user.id and event.ip == "10.0.0.1"


def test_username_is_case_insensitive(app, users):
    assert authenticate("  Officer_A1 ", PASSWORD, app.config).username == "officer_a1"


@pytest.mark.parametrize("username,password", [("officer_a1", "wrong-password"), ("nobody", PASSWORD)])
def test_wrong_credentials_refused_with_one_message(app, db, users, username, password):
    with pytest.raises(SignInRefused) as refusal:
        authenticate(username, password, app.config)
    assert refusal.value.message == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert _actions(db)[-1] == "auth.login_failed"


def test_five_failures_lock_the_username_for_fifteen_minutes(app, db, users):
    now = datetime.now(timezone.utc)
    for _ in range(5):
        with pytest.raises(SignInRefused):
            authenticate("officer_a1", "wrong-password", app.config, now=now)
    # Even the right password is refused while locked, with a message saying so.
    with pytest.raises(SignInRefused) as refusal:
        authenticate("officer_a1", PASSWORD, app.config, now=now + timedelta(minutes=1))
    assert "15" in refusal.value.message or "14" in refusal.value.message
    assert _actions(db)[-1] == "auth.login_locked"
    # Another username is not affected.
    assert authenticate("officer_a2", PASSWORD, app.config, now=now).username == "officer_a2"


def test_lock_ends_after_fifteen_minutes(app, db, users):
    past = datetime.now(timezone.utc) - timedelta(minutes=16)
    for _ in range(5):
        with pytest.raises(SignInRefused):
            authenticate("officer_a1", "wrong-password", app.config, now=past)
    # Backdate the failures as if they happened 16 minutes ago.
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login_failed")):
        event.created_at = past
    db.session.flush()
    assert authenticate("officer_a1", PASSWORD, app.config).username == "officer_a1"


def test_four_failures_do_not_lock(app, users):
    for _ in range(4):
        with pytest.raises(SignInRefused):
            authenticate("officer_a1", "wrong-password", app.config)
    assert authenticate("officer_a1", PASSWORD, app.config).username == "officer_a1"


def test_failures_before_a_success_do_not_count(app, users):
    for _ in range(4):
        with pytest.raises(SignInRefused):
            authenticate("officer_a1", "wrong-password", app.config)
    authenticate("officer_a1", PASSWORD, app.config)
    for _ in range(4):
        with pytest.raises(SignInRefused):
            authenticate("officer_a1", "wrong-password", app.config)
    assert authenticate("officer_a1", PASSWORD, app.config).username == "officer_a1"


def test_deactivated_user_cannot_sign_in(app, db, users):
    users["officer"].active = False
    db.session.flush()
    with pytest.raises(SignInRefused) as refusal:
        authenticate("officer_a1", PASSWORD, app.config)
    assert "vô hiệu" in refusal.value.message or "deactivated" in refusal.value.message

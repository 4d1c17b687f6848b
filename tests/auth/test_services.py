"""Signing in: password checks, throttling that cannot lock the owner out, no enumeration."""
import time
import types

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD
from tracker.audit.models import AuditEvent
from tracker.auth import services as auth
from tracker.auth.services import SignInRefused, SignInThrottled
from tracker.throttle import throttle


def _actions(db):
    return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def sign_in(app, username, password, ip="10.0.0.1"):
    return auth.authenticate(username, password, app.config, throttle(), ip=ip)


def fail(app, username, ip, times=1, password="wrong-password"):
    for _ in range(times):
        with pytest.raises(SignInRefused) as refusal:
            sign_in(app, username, password, ip)
        assert not isinstance(refusal.value, SignInThrottled)


@pytest.fixture
def clock(monkeypatch):
    """Moves the throttling counters' clock (the limits library and ours read time.time())."""
    now = [time.time()]
    fake = types.SimpleNamespace(time=lambda: now[0], monotonic=time.monotonic)
    import limits.storage.memory

    monkeypatch.setattr(limits.storage.memory, "time", fake)
    monkeypatch.setattr("tracker.throttle.time", fake)

    def advance(seconds):
        now[0] += seconds

    return advance


def test_good_password_signs_in_and_is_audited(app, db, users):
    user = sign_in(app, "officer_a1", PASSWORD, ip="10.0.0.1")
    assert user.id == users["officer"].id
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login")).one()
    assert event.actor_id == user.id and event.ip == "10.0.0.1"


def test_username_is_case_insensitive(app, users):
    assert sign_in(app, "  Officer_A1 ", PASSWORD).username == "officer_a1"


@pytest.mark.parametrize("username,password", [("officer_a1", "wrong-password"), ("nobody", PASSWORD)])
def test_wrong_credentials_refused_with_one_message(app, db, users, username, password):
    with pytest.raises(SignInRefused) as refusal:
        sign_in(app, username, password)
    assert refusal.value.message == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert _actions(db)[-1] == "auth.login_failed"


def test_unknown_and_known_usernames_take_the_same_path(app, users, monkeypatch):
    """No enumeration by timing: one password hash of the same kind is checked either way."""
    checked = []
    real = auth.check_password_hash

    def spy(pwhash, password):
        checked.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(auth, "check_password_hash", spy)
    fail(app, "officer_a1", "10.0.0.1")
    fail(app, "no_such_user", "10.0.0.1")
    assert len(checked) == 2 and checked[0] == checked[1] == app.config["PASSWORD_HASH_METHOD"]


def test_five_failures_stop_that_address_for_that_username(app, db, users):
    fail(app, "officer_a1", "203.0.113.9", times=5)
    # Even the right password is refused from that address, with a time to wait.
    with pytest.raises(SignInThrottled) as refusal:
        sign_in(app, "officer_a1", PASSWORD, ip="203.0.113.9")
    assert 14 * 60 <= refusal.value.retry_after <= 15 * 60
    assert "Thử lại sau 15 phút" in refusal.value.message
    # The owner, from elsewhere, is not locked out; another username is not affected.
    assert sign_in(app, "officer_a1", PASSWORD, ip="10.0.0.1").username == "officer_a1"
    assert sign_in(app, "officer_a2", PASSWORD, ip="203.0.113.9").username == "officer_a2"


def test_the_pair_is_free_again_after_the_window(app, users, clock):
    fail(app, "officer_a1", "203.0.113.9", times=5)
    with pytest.raises(SignInThrottled):
        sign_in(app, "officer_a1", PASSWORD, ip="203.0.113.9")
    clock(15 * 60 + 1)
    assert sign_in(app, "officer_a1", PASSWORD, ip="203.0.113.9").username == "officer_a1"


def test_nobody_can_lock_the_owner_out_of_their_own_address(app, users):
    sign_in(app, "admin_a", PASSWORD, ip="10.0.0.7")  # the admin's office
    # An attacker tries the admin's password from many addresses.
    for n in range(12):
        try:
            sign_in(app, "admin_a", "guess-%d" % n, ip=f"198.51.100.{n}")
        except SignInRefused:
            pass
    # From yet another address the username is now slowed down...
    with pytest.raises(SignInThrottled):
        sign_in(app, "admin_a", PASSWORD, ip="198.51.100.200")
    # ...but the admin, from the office they signed in from before, signs in at once.
    assert sign_in(app, "admin_a", PASSWORD, ip="10.0.0.7").username == "admin_a"


def test_username_slowdown_is_progressive(app, users, clock):
    """Ten failures in 15 minutes from unknown addresses, then twenty an hour, fifty a day."""
    for n in range(10):
        fail(app, "officer_a1", f"198.51.100.{n}")
    with pytest.raises(SignInThrottled) as first:
        sign_in(app, "officer_a1", "wrong-password", ip="198.51.100.99")
    assert first.value.retry_after <= 15 * 60
    clock(15 * 60 + 1)
    for n in range(10):
        fail(app, "officer_a1", f"198.51.101.{n}")
    with pytest.raises(SignInThrottled) as second:
        sign_in(app, "officer_a1", "wrong-password", ip="198.51.101.99")
    assert second.value.retry_after > 15 * 60  # now the hourly limit holds: a longer wait


def test_one_address_cannot_try_many_usernames(app, users):
    for n in range(30):
        fail(app, f"someone{n}", "192.0.2.50")
    with pytest.raises(SignInThrottled) as refusal:
        sign_in(app, "officer_a1", PASSWORD, ip="192.0.2.50")
    assert 0 < refusal.value.retry_after <= 60


def test_a_success_clears_the_failures_of_that_address(app, users):
    fail(app, "officer_a1", "10.0.0.1", times=4)
    sign_in(app, "officer_a1", PASSWORD, ip="10.0.0.1")
    fail(app, "officer_a1", "10.0.0.1", times=4)
    assert sign_in(app, "officer_a1", PASSWORD, ip="10.0.0.1").username == "officer_a1"


def test_deactivated_user_cannot_sign_in(app, db, users):
    users["officer"].active = False
    db.session.flush()
    with pytest.raises(SignInRefused) as refusal:
        sign_in(app, "officer_a1", PASSWORD)
    assert "vô hiệu" in refusal.value.message

"""Throttling over HTTP: exports and imports per user, proxies, counts shared through Redis."""
import os
import socket
import uuid

import pytest

from tests.conftest import another_server
from tests.factories import PASSWORD, exported
from tracker.throttle import Throttle

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_is_up() -> bool:
    if os.environ.get("CI") == "true":
        return True  # in CI Redis must be there: a missing one fails the tests instead
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_exports_are_throttled_per_user(client, users, login_as, monkeypatch, app):
    monkeypatch.setitem(app.config, "EXPORT_LIMIT_PER_USER", "3 per minute")
    login_as(users["committee"])
    for _ in range(3):
        assert exported(client, "/nominations/export.csv").status_code == 200
    response = exported(client, "/nominations/export.csv")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert "Thử lại sau 1 phút" in response.get_data(as_text=True)
    # Another user is not slowed down by the first one's exports.
    other = app.test_client()
    from tests.conftest import sign_in_cookie

    sign_in_cookie(other, users["leader"])
    assert exported(other, "/nominations/export.csv").status_code == 200


def test_imports_are_throttled_per_user(client, users, login_as, monkeypatch, app):
    monkeypatch.setitem(app.config, "IMPORT_LIMIT_PER_USER", "1 per minute")
    login_as(users["committee"])
    import io

    def upload():
        return client.post("/awards/history/import", data={"file": (io.BytesIO(b"not a workbook"), "a.xlsx")},
                           content_type="multipart/form-data")

    assert upload().status_code == 200  # refused for its content, with a message
    assert upload().status_code == 429


def test_forwarded_for_is_ignored_without_trusted_proxies(client, users):
    """Without TRUSTED_PROXIES an attacker cannot pick a fresh address per attempt."""
    for n in range(5):
        client.post("/login", data={"username": "officer_a1", "password": "nope-nope-nope"},
                    headers={"X-Forwarded-For": f"198.51.100.{n}"})
    response = client.post("/login", data={"username": "officer_a1", "password": PASSWORD},
                           headers={"X-Forwarded-For": "198.51.100.77"})
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_counts(users, app):
    with another_server(app, TRUSTED_PROXIES=1) as proxied:
        client = proxied.test_client()
        for _ in range(5):
            client.post("/login", data={"username": "officer_a1", "password": "nope-nope-nope"},
                        headers={"X-Forwarded-For": "198.51.100.1"})
        blocked = client.post("/login", data={"username": "officer_a1", "password": PASSWORD},
                              headers={"X-Forwarded-For": "198.51.100.1"})
        assert blocked.status_code == 429
        # The owner behind the same proxy, from their own address, is not affected.
        ok = client.post("/login", data={"username": "officer_a1", "password": PASSWORD},
                         headers={"X-Forwarded-For": "10.1.2.3"})
        assert ok.status_code == 302


@pytest.mark.skipif(not _redis_is_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_two_servers_share_the_counts_through_redis(users, app):
    prefix = f"tracker-test-{uuid.uuid4().hex}"
    settings = {"REDIS_URL": REDIS_URL, "THROTTLE_PREFIX": prefix}
    with another_server(app, **settings) as one, another_server(app, **settings) as two:
        try:
            first, second = one.test_client(), two.test_client()
            for n in range(5):  # failures spread over both servers
                (first if n % 2 else second).post("/login", data={"username": "officer_a1", "password": "nope-nope-x"})
            response = first.post("/login", data={"username": "officer_a1", "password": PASSWORD})
            assert response.status_code == 429
            response = second.post("/login", data={"username": "officer_a1", "password": PASSWORD})
            assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
        finally:
            one.extensions["tracker.throttle"].reset()


def test_an_unreachable_redis_falls_back_to_memory():
    """Sign-in keeps working (and keeps being throttled) while Redis is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    throttle = Throttle(f"redis://127.0.0.1:{port}/0")
    assert throttle.hit("2 per minute", "login-pair", "x", "1.2.3.4") is None
    assert throttle.hit("2 per minute", "login-pair", "x", "1.2.3.4") is None
    refusal = throttle.hit("2 per minute", "login-pair", "x", "1.2.3.4")
    assert refusal is not None and refusal.retry_after > 0


@pytest.mark.skipif(not _redis_is_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_redis_counts_survive_the_process():
    """Two throttles on one Redis (two processes' worth) see the same counts."""
    prefix = f"tracker-test-{uuid.uuid4().hex}"
    one, two = Throttle(REDIS_URL, prefix), Throttle(REDIS_URL, prefix)
    try:
        one.hit("2 per minute", "export", 7)
        two.hit("2 per minute", "export", 7)
        assert one.check("2 per minute", "export", 7) is not None
    finally:
        one.reset()

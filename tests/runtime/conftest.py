"""The production shape's real parts for the tests: an S3-compatible server (moto's standalone
server, spoken to by the real boto3 client over HTTP), the machine's Redis (a queue name and key
prefix of each test's own), real Celery worker processes, and a Redis of a test's own to stop and
start."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import DATABASE_URL
from tests.nominations.conftest import plan  # noqa: F401  (the nominations' plan fixture)

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/0"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "tracker-test", "AWS_SECRET_ACCESS_KEY": "tracker-test-secret",
           "AWS_DEFAULT_REGION": "us-east-1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port}")


def _redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return os.environ.get("CI") == "true"  # in CI a missing Redis fails the tests instead


needs_redis = pytest.mark.skipif(not _redis_is_up(), reason="Redis is not running on 127.0.0.1:6379")


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3-compatible server on a spare port, for the whole run."""
    port = free_port()
    process = subprocess.Popen([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, process)
        for name, value in S3_KEYS.items():
            os.environ.setdefault(name, value)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def shared(s3_endpoint, tmp_path):
    """The settings of one installation of the production shape: a bucket, a queue and key
    prefixes of this test's own on the machine's Redis."""
    from tracker.storage import S3Storage

    name = uuid.uuid4().hex[:12]
    bucket = f"tracker-test-{name}"
    S3Storage(f"s3://{bucket}", s3_endpoint).ensure_bucket()
    return {
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "JOB_QUEUE_NAME": f"tracker-test-{name}",
        "PAGE_CACHE_PREFIX": f"tracker-test-page-{name}:",
        "THROTTLE_PREFIX": f"tracker-test-throttle-{name}",
        "STORAGE_URL": f"s3://{bucket}/files",
        "STORAGE_ENDPOINT_URL": s3_endpoint,
        "UPLOAD_FOLDER": str(tmp_path / "unused-uploads"),
    }


@contextmanager
def worker_process(app, settings: dict, *, module: str = "worker", extra_env: dict | None = None,
                   pool: str = "prefork"):
    """A real Celery worker (`celery -A worker worker`) of the installation `settings` describes,
    on the test database; stopped (killed if need be) at the end."""
    env = {**os.environ, **S3_KEYS, **(extra_env or {}),
           "TRACKER_CONFIG": "production", "SECRET_KEY": app.config["SECRET_KEY"],
           "DATABASE_URL": DATABASE_URL, "PYTHONPATH": str(ROOT)}
    for key in ("REDIS_URL", "CELERY_BROKER_URL", "JOB_QUEUE_NAME", "STORAGE_URL", "STORAGE_ENDPOINT_URL",
                "UPLOAD_FOLDER", "JOB_STALE_SECONDS", "PAGE_CACHE_PREFIX", "THROTTLE_PREFIX"):
        if key in settings:
            env[key] = str(settings[key])
    log = tempfile.NamedTemporaryFile(prefix="tracker-worker-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [str(BIN / "celery"), "-A", module, "worker", "--loglevel=INFO", f"--pool={pool}", "--concurrency=1",
         "-Q", settings["JOB_QUEUE_NAME"], "--without-gossip", "--without-mingle", "-n", f"test-{uuid.uuid4().hex[:6]}@%h"],
        cwd=str(ROOT), env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        log.close()


@contextmanager
def own_redis():
    """A Redis server of this test's own on a spare port (never the machine's: tests stop it)."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    args = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    state = {"process": subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)}
    _wait_for_port(port, state["process"])

    class Handle:
        url = f"redis://127.0.0.1:{port}/0"

        @staticmethod
        def stop():
            state["process"].terminate()
            state["process"].wait(10)

        @staticmethod
        def start():
            state["process"] = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _wait_for_port(port, state["process"])

    try:
        yield Handle
    finally:
        if state["process"].poll() is None:
            state["process"].terminate()
            state["process"].wait(10)


def wait_until(predicate, seconds: float = 30, step: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("waited in vain")

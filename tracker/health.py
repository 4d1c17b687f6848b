"""What /healthz reports: each dependency of this server, checked quickly.

    {"status": "ok" | "degraded" | "error", "database": "ok", "redis": "ok" | "unreachable" |
     "not used", "storage": "ok" | "unreachable", "workers": 2 | "in process"}

Only a database that cannot be reached makes the server unhealthy (503): without Redis pages
render from the database and sign-in counts in memory; without storage or workers only files
and jobs wait. A load balancer takes a server out on 503 alone; monitoring reads the rest.
"""
from flask import current_app
from sqlalchemy import text

from tracker import clock, storage
from tracker.extensions import db
from tracker.tasks import WORKER_SEEN_SECONDS, WORKERS_KEY, uses_queue


def report() -> tuple[dict, int]:
    config = current_app.config
    result = {"status": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
        result["database"] = "ok"
    except Exception as error:  # any failure to reach the database is a 503
        db.session.rollback()
        return {"status": "error", "database": "unreachable", "detail": error.__class__.__name__}, 503
    result["redis"] = _redis_state(config.get("REDIS_URL") or "")
    try:
        storage.current().check()
        result["storage"] = "ok"
    except Exception:  # noqa: BLE001 (whatever the backend raises, the store is not usable)
        result["storage"] = "unreachable"
    result["workers"] = _workers(config.get("CELERY_BROKER_URL") or "") if uses_queue() else "in process"
    if result["redis"] == "unreachable" or result["storage"] != "ok" or result["workers"] in (0, "unknown"):
        result["status"] = "degraded"
    return result, 200


def _client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def _redis_state(url: str) -> str:
    if not url.startswith("redis"):
        return "not used"
    import redis

    try:
        _client(url).ping()
        return "ok"
    except redis.RedisError:
        return "unreachable"


def _workers(broker_url: str) -> int | str:
    """How many job workers beat within WORKER_SEEN_SECONDS (on the broker's Redis)."""
    if not broker_url.startswith("redis"):
        return "unknown"
    import redis

    try:
        since = clock.utcnow_real().timestamp() - WORKER_SEEN_SECONDS
        return int(_client(broker_url).zcount(WORKERS_KEY, since, "+inf"))
    except redis.RedisError:
        return "unknown"

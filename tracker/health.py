"""What /healthz reports: each dependency of this server, checked quickly.

    {"status": "ok" | "degraded" | "error", "database": "ok", "redis": "ok" | "unreachable" |
     "not used", "storage": "ok" | "unreachable", "workers": 2 | "in process"}

Only a database that cannot be reached makes the server unhealthy (503): without Redis pages
render from the database and sign-in counts in memory; without storage or workers only files
and jobs wait. A load balancer takes a server out on 503 alone; monitoring reads the rest.
"""
from flask import current_app
from sqlalchemy import text

from tracker import storage
from tracker.extensions import db
from tracker.tasks import WORKER_KEY, uses_queue


def report() -> tuple[dict, int]:
    config = current_app.config
    result = {"status": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
        result["database"] = "ok"
    except Exception as error:  # any failure to reach the database is a 503
        db.session.rollback()
        return {"status": "error", "database": "unreachable", "detail": error.__class__.__name__}, 503
    redis_url = config.get("REDIS_URL") or (config.get("CELERY_BROKER_URL") or "")
    client = None
    if redis_url.startswith("redis"):
        import redis

        client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)
        try:
            client.ping()
            result["redis"] = "ok"
        except redis.RedisError:
            result["redis"], client = "unreachable", None
    else:
        result["redis"] = "not used"
    try:
        storage.current().check()
        result["storage"] = "ok"
    except Exception:  # noqa: BLE001 (whatever the backend raises, the store is not usable)
        result["storage"] = "unreachable"
    if not uses_queue():
        result["workers"] = "in process"
    elif client is not None:
        result["workers"] = sum(1 for _key in client.scan_iter(match=WORKER_KEY + "*", count=100))
    else:
        result["workers"] = "unknown"
    if result["redis"] == "unreachable" or result["storage"] != "ok" or result["workers"] == 0:
        result["status"] = "degraded"
    return result, 200

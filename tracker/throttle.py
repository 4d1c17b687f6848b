"""Rate limits that every worker and server share: Redis when REDIS_URL is set, else memory.

Built on `limits` (the library under Flask-Limiter), called explicitly where a limit applies
(sign-in, imports, exports) rather than from a hook: a reader of the view sees the check.
Limits are written as in the limits library ("5 per 15 minutes;20 per hour"). When Redis cannot
be reached the counts go on in this process's memory (so sign-in is still throttled and still
works) until Redis answers again.
"""
import logging
import math
import time
from dataclasses import dataclass

from flask import abort, current_app
from limits import parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger(__name__)
_RETRY_PRIMARY_SECONDS = 30


@dataclass(frozen=True)
class Refusal:
    """A limit was reached; the caller may try again after `retry_after` seconds."""

    retry_after: int


class Throttle:
    def __init__(self, redis_url: str = "", prefix: str = "tracker-throttle"):
        if redis_url:
            self._primary = MovingWindowRateLimiter(storage_from_string(
                redis_url, key_prefix=prefix, socket_timeout=1, socket_connect_timeout=1))
        else:
            self._primary = MovingWindowRateLimiter(MemoryStorage())
        self._fallback = MovingWindowRateLimiter(MemoryStorage())
        self._primary_down_since: float | None = None

    def _limiter(self) -> MovingWindowRateLimiter:
        down = self._primary_down_since
        if down is not None and time.monotonic() - down < _RETRY_PRIMARY_SECONDS:
            return self._fallback
        return self._primary

    def _run(self, method: str, *args):
        limiter = self._limiter()
        try:
            result = getattr(limiter, method)(*args)
        except Exception:  # the shared store is unreachable: count in this process meanwhile
            if limiter is self._fallback:
                raise
            log.warning("throttling store unreachable; counting in this process's memory")
            self._primary_down_since = time.monotonic()
            return getattr(self._fallback, method)(*args)
        if limiter is self._primary:
            self._primary_down_since = None
        return result

    def _refusal(self, item, keys) -> Refusal:
        reset_at, _remaining = self._run("get_window_stats", item, *keys)
        return Refusal(max(1, math.ceil(reset_at - time.time())))

    def check(self, limits: str, *keys) -> Refusal | None:
        """Whether one more event under `keys` would stay within every limit (nothing counted);
        if not, the longest wait among the limits reached."""
        keys = [str(k) for k in keys]
        return self._longest([item for item in parse_many(limits) if not self._run("test", item, *keys)], keys)

    def hit(self, limits: str, *keys) -> Refusal | None:
        """Count one event under `keys`; a Refusal (the longest wait) when that went past a limit."""
        keys = [str(k) for k in keys]
        return self._longest([item for item in parse_many(limits) if not self._run("hit", item, *keys)], keys)

    def _longest(self, reached: list, keys: list[str]) -> Refusal | None:
        if not reached:
            return None
        return max((self._refusal(item, keys) for item in reached), key=lambda r: r.retry_after)

    def clear(self, limits: str, *keys) -> None:
        for item in parse_many(limits):
            self._run("clear", item, *map(str, keys))

    def reset(self) -> None:
        """Forget every count (tests)."""
        for limiter in (self._primary, self._fallback):
            try:
                limiter.storage.reset()
            except Exception:  # pragma: no cover - an unreachable store has nothing to forget here
                pass


def init_app(app) -> None:
    app.extensions["tracker.throttle"] = Throttle(app.config.get("REDIS_URL", ""),
                                                   app.config.get("THROTTLE_PREFIX", "tracker-throttle"))


def throttle() -> Throttle:
    return current_app.extensions["tracker.throttle"]


def enforce(setting: str, action: str, user) -> None:
    """Count one `action` (an export, an import) of `user` against the limit in the setting
    `setting`; past it, answer 429 with Retry-After (the tracker's own page says when)."""
    refusal = throttle().hit(current_app.config[setting], action, user.id)
    if refusal is not None:
        abort(429, retry_after=refusal.retry_after)

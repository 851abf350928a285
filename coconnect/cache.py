"""The cache on Redis, for which a Redis outage is a cache miss instead of an error page.

Every page must keep working while Redis is away: reads answer the default, writes do nothing,
`add` claims succeed (whoever asks does the work rather than waiting for a claim no one holds).
The outage is logged once; for a few seconds after a failure Redis is not asked at all, so a
request does not pay a connection timeout for every cache call.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_AWAY = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 5.0


class _Outage:
    """Shared by the per-thread cache objects of one process."""

    def __init__(self):
        self._lock = threading.Lock()
        self.forget()

    def forget(self) -> None:
        """As if Redis had never failed (tests that take Redis away end with this)."""
        self._since: float | None = None
        self._last_failure = 0.0

    def cooling_down(self) -> bool:
        return time.monotonic() - self._last_failure < RETRY_AFTER_SECONDS

    def failed(self, error: Exception) -> None:
        with self._lock:
            self._last_failure = time.monotonic()
            if self._since is not None:
                return
            self._since = self._last_failure
        logger.warning("Redis cache unreachable (%s); carrying on without the cache", error)

    def succeeded(self) -> None:
        if self._since is None:
            return
        with self._lock:
            if self._since is None:
                return
            self._since = None
        logger.warning("Redis cache reachable again")


outage = _Outage()


class ResilientRedisCache(RedisCache):
    def _guarded(self, on_outage, method, *args, **kwargs):
        if outage.cooling_down():
            return on_outage
        try:
            result = method(*args, **kwargs)
        except REDIS_AWAY as error:
            outage.failed(error)
            return on_outage
        outage.succeeded()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guarded({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._guarded(None, super().incr, key, delta, version)
        if result is None:
            # As for a key that is not there: callers already handle that.
            raise ValueError(f"Key '{key}' not found (Redis unreachable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guarded(None, super().delete_many, keys, version)

    def clear(self):
        return self._guarded(False, super().clear)

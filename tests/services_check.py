"""Which real services are missing for a CI run (used by conftest.pytest_sessionstart)."""

import shutil
from collections.abc import Callable


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def missing_services(
    *,
    database_engine: str,
    redis_url: str,
    chromium_path: str,
    redis_ping: Callable[[str], bool] = redis_reachable,
    which: Callable[[str], str | None] = shutil.which,
) -> list[str]:
    """One readable line per service CI needs but cannot reach; empty when all is there."""
    problems = []
    if database_engine != "django.db.backends.postgresql":
        problems.append("DATABASE_URL does not point at PostgreSQL")
    if not redis_url or not redis_ping(redis_url):
        problems.append(f"Redis is not reachable at REDIS_URL={redis_url!r}")
    if not which(chromium_path):
        problems.append(f"Chromium is missing at {chromium_path} (apt-get install chromium)")
    return problems

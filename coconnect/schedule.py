"""Scheduled work without a broker.

With Redis, Celery beat hands each job of CELERY_BEAT_SCHEDULE to the worker when it is due
(docker-compose.yml). In the embedded default (`make run`, no REDIS_URL) there is no beat: the
web process runs the due jobs itself, checking once a minute (coconnect/asgi.py starts it), and
`manage.py run_due_jobs` runs them once from a shell or cron.

Every job is idempotent (a second run changes and sends nothing), so when a restart forgets when a
job last ran, the cost is at most one extra run.
"""

from __future__ import annotations

import copy
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)

CHECK_SECONDS = 60
_started = threading.Event()


def _last_run_key(name: str) -> str:
    return f"schedule:last-run:{name}"


def _is_due(entry_schedule, last_run, now) -> bool:
    """Celery's own rule (crontab or interval), asked at `now` instead of the clock."""
    from celery.schedules import maybe_schedule

    from coconnect import celery_app

    schedule = copy.copy(maybe_schedule(entry_schedule, app=celery_app))
    schedule.nowfun = lambda: now
    due, _next_check = schedule.is_due(last_run)
    return due


def run_due_jobs(*, now=None) -> list[str]:
    """Run each scheduled job that is due, or that never ran here; the names of those run."""
    from coconnect import celery_app

    celery_app.loader.import_default_modules()
    now = now or timezone.now()
    ran = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        last_run = cache.get(_last_run_key(name))
        if last_run is not None and not _is_due(entry["schedule"], last_run, now):
            continue
        result = celery_app.tasks[entry["task"]].apply()
        if result.failed():
            logger.error("scheduled job %s failed: %s", name, result.result)
            continue
        cache.set(_last_run_key(name), now, None)
        logger.info("scheduled job %s ran", name)
        ran.append(name)
    return ran


def _run_forever() -> None:
    while True:
        time.sleep(CHECK_SECONDS)
        try:
            run_due_jobs()
        except Exception:  # a job's bug must not end the loop: the next minute tries again
            logger.exception("running the scheduled jobs failed")
        finally:
            close_old_connections()


def start_in_background() -> None:
    """Run due jobs in this process from now on (once per process; settings decide whether)."""
    if not settings.RUN_DUE_JOBS_IN_WEB or _started.is_set():
        return
    _started.set()
    threading.Thread(target=_run_forever, name="scheduled-jobs", daemon=True).start()

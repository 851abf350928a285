"""Running a Celery task once the current transaction has committed.

With a broker (REDIS_URL set) the task goes to a worker (`make worker`). When the broker cannot be
reached (Redis down, a network hiccup) the task runs here instead, exactly as without a broker:
the request that ordered it still answers at once and the work still gets done. Without a broker
(the embedded default, CELERY_TASK_ALWAYS_EAGER) the task runs in a thread of this process. The
test settings switch the thread off (BACKGROUND_TASKS_IN_THREAD = False): the task then runs inline
when the transaction commits, and nothing is sent to a broker that no one consumes.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)

# One quick second try for a broker that blinks; an unreachable one must not hold the request.
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0, "interval_max": 0.2}


def enqueue(task, *args) -> None:
    """Run `task(*args)` after commit: on a worker, in a thread, or inline (see module doc)."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: send_or_run_here(task, args))
    else:
        transaction.on_commit(lambda: run_here(task, args))


def send_or_run_here(task, args) -> None:
    """Hand the task to a worker through the broker; when the broker is away, run it here."""
    try:
        task.apply_async(args=args, retry=True, retry_policy=PUBLISH_RETRY)
    except (BrokerUnavailable, OSError) as exc:
        logger.warning(
            "Broker unreachable (%s): running %s%r in this process", exc, task.name, args
        )
        run_here(task, args)


def run_here(task, args) -> None:
    """Run the task in this process: in a thread of its own, or inline (the test settings)."""
    if getattr(settings, "BACKGROUND_TASKS_IN_THREAD", True):
        start_thread(task, args)
    else:
        task.apply(args=args)


def start_thread(task, args) -> threading.Thread:
    thread = threading.Thread(target=_run, args=(task, args), name=f"task-{task.name}", daemon=True)
    thread.start()
    return thread


def _run(task, args) -> None:
    close_old_connections()
    try:
        task.apply(args=args)
    except Exception:  # the task records its own failures; this only keeps the thread quiet
        logger.exception("Background task %s%r failed", task.name, args)
    finally:
        connections.close_all()

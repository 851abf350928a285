"""Running a Celery task once the current transaction has committed.

With a broker (REDIS_URL set) the task goes to a worker (`make worker`) through `delay_on_commit`.
Without one (the embedded default, CELERY_TASK_ALWAYS_EAGER) the same task runs in a thread of this
process, so the request that ordered it returns at once and the work still gets done. The test
settings switch the thread off (BACKGROUND_TASKS_IN_THREAD = False): the task then runs inline when
the transaction commits, and nothing is sent to a broker that no one consumes.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connections, transaction

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> None:
    """Run `task(*args)` after commit: on a worker, in a thread, or inline (see module doc)."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        task.delay_on_commit(*args)
    elif getattr(settings, "BACKGROUND_TASKS_IN_THREAD", True):
        transaction.on_commit(lambda: start_thread(task, args))
    else:
        transaction.on_commit(lambda: task.apply(args=args))


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

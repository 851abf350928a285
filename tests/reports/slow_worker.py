"""The Celery app the worker tests start (`celery -A tests.reports.slow_worker worker`).

It is the real app (coconnect.celery), plus one thing only a test wants: with
TEST_RENDER_DELAY=<seconds> in its environment, the first attempt of every render sleeps that long,
so a test can kill the worker in the middle of a render. Production code knows nothing of it.
"""

import os
import time

from celery.signals import worker_process_init

from coconnect.celery import app

__all__ = ["app"]


@worker_process_init.connect
def slow_down_first_attempts(**kwargs):
    delay = float(os.getenv("TEST_RENDER_DELAY") or 0)
    if not delay:
        return
    # Imported once Django is set up in the pool process (the app registry is not ready at import).
    from reports import services

    real_render = services.report_render

    def slow_render(report):
        if report.attempts == 1:
            time.sleep(delay)
        return real_render(report)

    services.report_render = slow_render

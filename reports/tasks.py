import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_ready
from django.db import DatabaseError, InterfaceError, OperationalError

from .models import RENDER_HARD_LIMIT, RENDER_SOFT_LIMIT, Report
from .services import report_build, report_fail, report_requeue_silent

logger = logging.getLogger(__name__)

# Worth another try a little later: the database or the file storage hiccuped.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
MAX_RETRIES = 4


def retry_delay(retries: int) -> int:
    """Exponential backoff: 10, 20, 40, 80 seconds."""
    return 10 * 2**retries


@shared_task(
    bind=True,
    acks_late=True,  # the message stays on the broker until the render is done …
    reject_on_worker_lost=True,  # … and goes back to the queue if the worker dies mid-render
    max_retries=MAX_RETRIES,
    soft_time_limit=RENDER_SOFT_LIMIT,
    time_limit=RENDER_HARD_LIMIT,
)
def render_report(self, report_id: int) -> str:
    try:
        return report_build(report_id=report_id)
    except SoftTimeLimitExceeded:
        report_fail(report_id=report_id, failure=Report.Failure.TIMEOUT)
        return "failed"
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < MAX_RETRIES:
            logger.warning("Report %s: transient error, retrying: %s", report_id, exc)
            raise self.retry(exc=exc, countdown=retry_delay(self.request.retries)) from exc
        _fail_quietly(report_id, Report.Failure.UNAVAILABLE, exc)
        return "failed"
    except Exception as exc:
        logger.exception("Report %s could not be rendered", report_id)
        unavailable = isinstance(exc, DatabaseError)
        _fail_quietly(
            report_id, Report.Failure.UNAVAILABLE if unavailable else Report.Failure.ERROR, exc
        )
        return "failed"


def _fail_quietly(report_id: int, failure: str, exc: Exception) -> None:
    try:
        report_fail(report_id=report_id, failure=failure, detail=f"{type(exc).__name__}: {exc}")
    except DatabaseError:
        logger.exception("Report %s: could not record the failure", report_id)


@worker_ready.connect
def requeue_silent_reports(**kwargs) -> None:
    """A worker that starts (often one restarted after a crash) takes up the reports whose worker
    died mid-render, instead of leaving them to the broker's redelivery ten minutes later."""
    try:
        for report in Report.objects.silent():
            report_requeue_silent(report=report)
    except DatabaseError:  # the requester's status page will notice them as well
        logger.exception("Could not look for reports whose worker died")

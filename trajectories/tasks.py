import logging

from celery import shared_task

from . import retention

logger = logging.getLogger(__name__)


@shared_task(name="trajectories.tasks.apply_retention")
def apply_retention() -> dict:
    """The nightly retention run (CELERY_BEAT_SCHEDULE); safe to run twice."""
    result = retention.apply_retention()
    logger.info(
        "Retention: %s anonymised, %s warned, %s failed",
        len(result.anonymised),
        len(result.warned),
        len(result.failed),
    )
    return {"anonymised": result.anonymised, "warned": result.warned, "failed": result.failed}

import logging

from celery import shared_task

from . import jobs

logger = logging.getLogger(__name__)


@shared_task(name="reminders.tasks.send_reminders")
def send_reminders() -> dict:
    """The daily reminders (CELERY_BEAT_SCHEDULE); a second run the same day sends nothing."""
    result = jobs.reminders_send()
    logger.info("Reminders: %s", result.as_dict())
    return result.as_dict()


@shared_task(name="reminders.tasks.send_weekly_digests")
def send_weekly_digests() -> dict:
    """Monday's digests: facilitators per trajectory, participants who chose a digest."""
    facilitators = jobs.facilitator_digests_send()
    participants = jobs.participant_digests_send()
    logger.info(
        "Weekly digests: facilitators %s, participants %s",
        facilitators.as_dict(),
        participants.as_dict(),
    )
    return {"facilitators": facilitators.as_dict(), "participants": participants.as_dict()}

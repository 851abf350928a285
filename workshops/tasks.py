import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from trajectories.models import Participant
from trajectories.services import invite_mail

logger = logging.getLogger(__name__)


@shared_task
def mail_knock_invite(participant_id: int, token: str, by_id: int | None) -> str:
    """Mail an admitted knocker their personal link (workshops.admission.knock_admit).

    Run in this process only (coconnect.background.run_here), never sent to the broker: the
    argument is the link's clear token.
    """
    participant = (
        Participant.objects.select_related("partner__trajectory").filter(pk=participant_id).first()
    )
    if participant is None or not participant.email:
        return "skipped"
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    try:
        invite_mail(participant=participant, token=token, by=by)
    except ValidationError as error:
        # Not sent, or the link was replaced meanwhile: the facilitator can send a new link from
        # the partner's page; the admitted person is in the room already.
        logger.warning("Invite of admitted participant %s not mailed: %s", participant_id, error)
        return "failed"
    return "sent"


@shared_task(acks_late=True)
def workshop_invitations_mail(workshop_id: int) -> int:
    """Mail a workshop's calendar invitation, its update or its cancellation to everyone who has
    not had this version yet (workshops/invitations.py); safe to run twice."""
    from .invitations import invitations_mail

    return invitations_mail(workshop_id=workshop_id)

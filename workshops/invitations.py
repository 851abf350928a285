"""Calendar invitations for a workshop: the first invitation, its updates and its cancellation.

The workshop keeps one SEQUENCE (`Workshop.invitation_sequence`); each participant's
`WorkshopInvitation` row says which SEQUENCE reached them last. The services change the workshop
and raise the SEQUENCE in their transaction; after the commit the task
`tasks.workshop_invitations_mail` (inline without a broker) brings every row up to the workshop's
SEQUENCE. A row is claimed with one conditional UPDATE before its mail goes out, so a task that
runs twice, or two that run at once, mail each person once per version.

- "Send" (`workshop_invitations_send`) reaches the participants with an address who have no row
  yet: the first time everyone, later only those added since. A double submit finds the rows.
- A change of date, time or place after invitations went out (`workshop_update`) sends everyone
  with a row an update (METHOD:REQUEST, higher SEQUENCE); other changes send nothing.
- Cancelling (`workshop_cancel`) sends METHOD:CANCEL with STATUS:CANCELLED and a higher SEQUENCE
  to those who got the invitation. Deleting a planned workshop that was sent does the same
  (`cancellations_before_delete`, connected in signals.py), from what is in memory.

Each mail's iCalendar names only its own recipient as ATTENDEE: a REQUEST listing every
participant would hand each partner the others' addresses.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coconnect import mail
from coconnect.background import enqueue
from trajectories.models import InviteLink, Participant

from . import calendar, tasks
from .models import Workshop, WorkshopInvitation
from .services import workshop_bump

logger = logging.getLogger(__name__)

# The fields whose change the partners' calendars must hear about.
CALENDAR_FIELDS = ("starts_at", "end_time", "place", "video_url")


class InvitationError(Exception):
    """Cannot be done now; `message` is shown to the facilitator."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def invitable_participants(workshop: Workshop):
    """The trajectory's participants who can get mail: an address, not erased."""
    return Participant.objects.filter(
        partner__trajectory_id=workshop.trajectory_id, erased_at__isnull=True
    ).exclude(email="")


def without_address(workshop: Workshop) -> list[Participant]:
    """The trajectory's participants no invitation can reach (no address), for the facilitator."""
    return list(
        Participant.objects.filter(
            partner__trajectory_id=workshop.trajectory_id, erased_at__isnull=True, email=""
        )
        .select_related("partner")
        .order_by("partner__name", "name")
    )


def not_invited_count(workshop: Workshop) -> int:
    return invitable_participants(workshop).exclude(workshop_invitations__workshop=workshop).count()


@transaction.atomic
def workshop_invitations_send(*, workshop: Workshop, by) -> int:
    """Invite everyone not invited yet; returns how many new people will get the mail."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if not workshop.is_planned:
        raise InvitationError(_("Only a planned workshop can be sent as an invitation."))
    new = list(invitable_participants(workshop).exclude(workshop_invitations__workshop=workshop))
    # The row lock on the workshop makes a second, simultaneous "send" wait and then find these
    # rows; the unique constraint is the last guard.
    WorkshopInvitation.objects.bulk_create(
        WorkshopInvitation(workshop=workshop, participant=participant) for participant in new
    )
    if new and workshop.invitations_sent_at is None:
        workshop.invitations_sent_at = timezone.now()
        workshop.invited_by = by
        workshop.save(update_fields=["invitations_sent_at", "invited_by", "updated_at"])
    if new:
        enqueue(tasks.workshop_invitations_mail, workshop.pk)
    return len(new)


def calendar_changed(before: dict, workshop: Workshop) -> bool:
    return any(before[name] != getattr(workshop, name) for name in CALENDAR_FIELDS)


def calendar_state(workshop: Workshop) -> dict:
    return {name: getattr(workshop, name) for name in CALENDAR_FIELDS}


@transaction.atomic
def workshop_update(*, workshop: Workshop, fields: dict) -> bool:
    """Save the workshop form's fields; True when the invited partners get an updated invitation.

    Works on the locked row; the caller's `workshop` instance is left as it was."""
    current = Workshop.objects.select_for_update().get(pk=workshop.pk)
    before = calendar_state(current)
    for name, value in fields.items():
        setattr(current, name, value)
    update = current.is_planned and current.invitations_sent and calendar_changed(before, current)
    if update:
        current.invitation_sequence += 1
    current.save(update_fields=[*fields, "invitation_sequence", "updated_at"])
    if update:
        enqueue(tasks.workshop_invitations_mail, current.pk)
    return update


@transaction.atomic
def workshop_cancel(*, workshop: Workshop) -> bool:
    """Cancel a planned workshop; True when cancellations go out to those invited."""
    current = Workshop.objects.select_for_update().get(pk=workshop.pk)
    if current.is_cancelled:
        return False
    if not current.is_planned:
        raise InvitationError(_("Only a workshop that has not started can be cancelled."))
    current.status = Workshop.Status.CANCELLED
    current.cancelled_at = timezone.now()
    notify = current.invitations_sent
    if notify:
        current.invitation_sequence += 1
    current.save(update_fields=["status", "cancelled_at", "invitation_sequence", "updated_at"])
    workshop_bump(workshop=current)
    if notify:
        enqueue(tasks.workshop_invitations_mail, current.pk)
    return notify


# --- the mails ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One version of the workshop as the partners' calendars will hold it."""

    workshop: Workshop
    items: list
    sequence: int
    method: str
    organizer_name: str


def _version(workshop: Workshop, items: list) -> Version:
    by = workshop.invited_by
    return Version(
        workshop=workshop,
        items=items,
        sequence=workshop.invitation_sequence,
        method=calendar.Method.CANCEL if workshop.is_cancelled else calendar.Method.REQUEST,
        organizer_name=(by.get_full_name() or by.get_username()) if by else "",
    )


def _mail_one(
    version: Version, recipient: mail.Recipient, *, update: bool, sign_in: bool = False
) -> bool:
    workshop = version.workshop
    with translation.override(recipient.language):
        ics = calendar.invitation_ics(
            workshop,
            items=version.items,
            method=version.method,
            sequence=version.sequence,
            attendees=[calendar.Attendee(name=recipient.name, email=recipient.email)],
            organizer_name=version.organizer_name,
        )
        ends_at = workshop.ends_at(version.items)
    cancelled = version.method == calendar.Method.CANCEL
    filename = "cancel.ics" if cancelled else "invite.ics"
    mimetype = f"{calendar.CONTENT_TYPE}; method={version.method}"
    return mail.send(
        recipient,
        kind=mail.Kind.WORKSHOP,
        template="workshops/emails/cancellation" if cancelled else "workshops/emails/invitation",
        context={
            "workshop": workshop,
            "items": version.items,
            "ends_at": ends_at,
            "update": update,
            "trajectory": workshop.trajectory,
            "workshop_url": calendar.site_url(workshop.get_absolute_url()),
        },
        # Calendar clients read the text/calendar part of the message (Outlook, Gmail) or the
        # attached file (Apple Mail, Thunderbird); both are sent.
        alternatives=[(ics.decode(), mimetype)],
        attachments=[(filename, ics, "application/ics")],
        sign_in=sign_in and not cancelled,
    )


def invitations_mail(*, workshop_id: int) -> int:
    """Bring every invited participant up to the workshop's SEQUENCE; returns mails sent.

    Run by the task `workshops.tasks.workshop_invitations_mail`, after the commit."""
    workshop = (
        Workshop.objects.select_related("trajectory", "invited_by").filter(pk=workshop_id).first()
    )
    if workshop is None or not workshop.invitations_sent:
        return 0
    items = list(workshop.items.order_by("position", "pk"))
    version = _version(workshop, items)
    behind = Q(sent_at__isnull=True) | Q(sequence__lt=version.sequence)
    rows = workshop.invitations.filter(behind).select_related("participant")
    if version.method == calendar.Method.CANCEL:
        # Nobody who never had the invitation needs its cancellation.
        rows = rows.filter(sent_at__isnull=False)
    # Each participant's opt-outs in one query for all (mail.recipient_for_participant reads them).
    rows = rows.prefetch_related(
        Prefetch("participant__mail_opt_outs", to_attr="prefetched_mail_opt_outs")
    ).annotate(
        # A sign-in link reaches only as far as a usable personal link; without one the button
        # would lead to a refusal, so the mail links to the workshop's page instead.
        can_sign_in=Exists(InviteLink.objects.usable().filter(participant=OuterRef("participant")))
    )
    sent = 0
    for row in rows:
        participant = row.participant
        if participant.erased_at is not None or not participant.email:
            continue
        # Claim the row for this version: a second run (or a simultaneous one) finds it done.
        claimed = (
            WorkshopInvitation.objects.filter(pk=row.pk)
            .filter(behind)
            .update(sequence=version.sequence, sent_at=timezone.now())
        )
        if not claimed:
            continue
        try:
            delivered = _mail_one(
                version,
                mail.recipient_for_participant(participant),
                update=row.sent_at is not None,
                sign_in=row.can_sign_in,
            )
        except Exception as error:
            # Give the row back, so the next run (the facilitator pressing send, an update) retries.
            WorkshopInvitation.objects.filter(pk=row.pk).update(
                sequence=row.sequence, sent_at=row.sent_at
            )
            if not isinstance(error, mail.MailFailed):
                raise
            logger.warning("Workshop invitation %s not mailed", row.pk)
            continue
        sent += int(delivered)
    return sent


def cancellations_before_delete(workshop: Workshop) -> None:
    """A planned workshop that was sent is being deleted: tell those invited, after the commit.

    Everything the mails need is read now, while the rows exist; the mails carry no sign-in
    link (the participant may be deleted in the same transaction, e.g. with the trajectory).
    """
    if not workshop.is_planned or not workshop.invitations_sent:
        return
    # A copy: the deletion clears the instance's primary key, which the UID and links need.
    workshop = copy.copy(workshop)
    workshop.status = Workshop.Status.CANCELLED
    workshop.invitation_sequence += 1
    items = list(workshop.items.order_by("position", "pk"))
    version = _version(workshop, items)
    rows = workshop.invitations.filter(sent_at__isnull=False).select_related("participant")
    recipients = [
        mail.recipient_for_participant(row.participant)
        for row in rows
        if row.participant.erased_at is None
    ]
    # Opt-outs are read now: the plain recipients the mails go to can no longer look them up.
    recipients = [r for r in recipients if mail.wants(r, mail.Kind.WORKSHOP)]
    trajectory = workshop.trajectory

    def mail_all():
        workshop.trajectory = trajectory
        for recipient in recipients:
            try:
                _mail_deleted(version, recipient)
            except mail.MailFailed:
                logger.warning("Cancellation of a deleted workshop not mailed")

    transaction.on_commit(mail_all)


def _mail_deleted(version: Version, recipient: mail.Recipient) -> None:
    # The unsubscribe link would name a person who may no longer exist: send as a plain recipient.
    plain = mail.Recipient(email=recipient.email, name=recipient.name, language=recipient.language)
    _mail_one(version, plain, update=True)

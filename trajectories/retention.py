"""Retention and erasure of personal data (AVG).

A completed trajectory keeps who took part and who wrote what for `retention_months` after its
closing; then `apply_retention` anonymises it: every representative becomes "Deelnemer 1, 2, …"
of their organisation without email address or mandate, invite links and requests to join are
deleted, and the links from content to its writer are cut. The content itself (interests,
contributions, proposals, positions, agreements, pulse answers) stays readable. Rows that cannot
exist without a person (attendance, dots) keep pointing at the anonymous representative, so
counts and vote results stay as they were. Memberships of facilitators and managers stay: their
accounts are not the trajectory's.

Every step is safe to repeat: a trajectory is anonymised once (`anonymised_at`), its
facilitators are warned once (`retention_warned_at`), a person is erased once (`erased_at`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import services as audit
from coconnect import mail

from .models import InviteLink, MailOptOut, Membership, Participant, SignInToken, Trajectory
from .services import invite_links_revoked

logger = logging.getLogger(__name__)

WARNING_DAYS = 30


# --- the trajectory-wide audit log -------------------------------------------------------------


def _audit(trajectory: Trajectory, action: str, *, subject=None, by=None) -> None:
    audit.record(trajectory=trajectory, action=action, subject=subject, by=by)


# --- the participant's traces ------------------------------------------------------------------


def _participant_links():
    """Every concrete foreign key to Participant in the project, split into the ones that may
    become NULL (who wrote what) and the ones that may not (a dot, an attendance).

    Read from the model registry so that a model added later is covered without a change here.
    """
    nullable, required = [], []
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if f.is_relation and f.concrete and f.many_to_one and f.related_model is Participant:
                (nullable if f.null else required).append((model, f.name))
    return nullable, required


def _anonymous_name(number: int) -> str:
    # Stored in the site's language: the anonymous name is data, not interface.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Participant %(number)d") % {"number": number}


def _scrub_admin_history(names: list[str], replacement: str = "—") -> None:
    """The admin's change history repeats an object's name (e.g. "Jan (Gemeente)")."""
    for name in {n for n in names if len(n.strip()) >= 2}:
        LogEntry.objects.filter(object_repr__contains=name).update(
            object_repr=Replace(F("object_repr"), Value(name), Value(replacement))
        )


def _name_copies(trajectory_id: int):
    """Columns that keep a copy of a representative's name as written at the time (a position's
    "updated by"), as (queryset of this trajectory, column)."""
    from improvements.models import Position, PositionChange

    return [
        (Position.objects.filter(proposal__trajectory_id=trajectory_id), "updated_by_name"),
        (
            PositionChange.objects.filter(position__proposal__trajectory_id=trajectory_id),
            "changed_by_name",
        ),
    ]


def _rename_copies(trajectory_id: int, renames: dict[str, str]) -> None:
    for queryset, column in _name_copies(trajectory_id):
        # Longest first: "Jan de Vries" before a colleague called "Jan".
        for old in sorted(renames, key=len, reverse=True):
            if len(old.strip()) < 2:
                continue
            queryset.filter(**{f"{column}__contains": old}).update(
                **{column: Replace(F(column), Value(old), Value(renames[old]))}
            )


def _erase_traces(participant_ids: list[int]) -> None:
    """Cut who-wrote-what, delete the ways in, for these participants (inside a transaction)."""
    from workshops.models import ActionItem, Knock

    # An action item owned by a person stays owned by their organisation.
    for action in ActionItem.objects.filter(
        owner_participant_id__in=participant_ids, owner_partner__isnull=True
    ).select_related("owner_participant"):
        ActionItem.objects.filter(pk=action.pk).update(
            owner_partner_id=action.owner_participant.partner_id
        )
    # Before the links are cut: an admitted request to join names the person it admitted.
    Knock.objects.filter(participant_id__in=participant_ids).delete()
    nullable, _required = _participant_links()
    for model, name in nullable:
        model._base_manager.filter(**{f"{name}__in": participant_ids}).update(**{name: None})
    for participant in Participant.objects.filter(pk__in=participant_ids):
        # Live passes opened with these links close at once (workshops/signals.py).
        participant.invite_links.revoke()
        invite_links_revoked.send(sender=Participant, participant=participant)
    InviteLink.objects.filter(participant_id__in=participant_ids).delete()
    SignInToken.objects.filter(participant_id__in=participant_ids).delete()
    MailOptOut.objects.filter(participant_id__in=participant_ids).delete()


# --- a trajectory past its period --------------------------------------------------------------


@dataclass
class RetentionResult:
    anonymised: list[int] = field(default_factory=list)
    warned: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def trajectory_anonymise(*, trajectory: Trajectory, now=None) -> bool:
    """Anonymise the trajectory's personal data; False when it already was (nothing changes)."""
    from reports.models import Report
    from workshops.models import Knock

    now = now or timezone.now()
    with transaction.atomic():
        current = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
        if current.anonymised_at is not None:
            return False
        participants = list(
            Participant.objects.filter(partner__trajectory=current).order_by("partner_id", "pk")
        )
        old_names = [p.name for p in participants] + list(
            Knock.objects.filter(workshop__trajectory=current).values_list("name", flat=True)
        )
        _erase_traces([p.pk for p in participants])
        # Knocks of people never admitted carry a typed name and address too.
        Knock.objects.filter(workshop__trajectory=current).delete()
        renames = {}
        number, partner_id = 0, None
        for participant in participants:
            number = number + 1 if participant.partner_id == partner_id else 1
            partner_id = participant.partner_id
            anonymous = _anonymous_name(number)
            renames[participant.name] = anonymous
            participant.name = anonymous
            participant.email = ""
            participant.mandate = ""
            participant.erased_at = participant.erased_at or now
        Participant.objects.bulk_update(participants, ["name", "email", "mandate", "erased_at"])
        _rename_copies(current.pk, renames)
        _scrub_admin_history(old_names)
        # Rendered reports name people; their files go when the rows do (reports/models.py).
        for report in Report.objects.filter(trajectory=current):
            report.delete()
        Trajectory.objects.filter(pk=current.pk).update(anonymised_at=now)
        # The log's own entries name people too (actor and summary).
        audit.anonymise(trajectory=current)
        _audit(current, audit.Action.RETENTION_APPLIED)
    logger.info("Trajectory %s anonymised (%s representatives)", current.pk, len(participants))
    return True


def _mail_facilitators(trajectory, template: str, context: dict) -> None:
    """A notice every facilitator needs (transactional: no unsubscribe), each in their own
    language."""
    for recipient in _facilitators(trajectory):
        mail.send(recipient, kind=mail.Kind.INVITE, template=template, context=context)


def _facilitators(trajectory: Trajectory) -> list[mail.Recipient]:
    """The facilitators with an address, as recipients in their own language. Two queries."""
    users = (
        get_user_model()
        .objects.filter(
            memberships__trajectory=trajectory,
            memberships__role=Membership.Role.FACILITATOR,
        )
        .exclude(email="")
        .select_related("account_preferences")
        .order_by("email", "pk")
    )
    return [mail.recipient_for_user(user) for user in users]


def retention_warn(*, trajectory: Trajectory, now=None) -> bool:
    """Mail the facilitators once that the anonymisation is near; False when already warned.

    The mark and the mail are one unit: a mail that fails leaves the mark unset, so the next
    daily run tries again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        marked = Trajectory.objects.filter(
            pk=trajectory.pk, retention_warned_at__isnull=True, anonymised_at__isnull=True
        ).update(retention_warned_at=now)
        if not marked:
            return False
        context = {
            "trajectory": trajectory,
            "ends_at": trajectory.retention_ends_at,
            "settings_url": settings.SITE_URL
            + reverse("trajectories:settings", args=[trajectory.pk]),
            "delete_url": settings.SITE_URL + reverse("trajectories:delete", args=[trajectory.pk]),
        }
        _mail_facilitators(trajectory, "trajectories/mail/retention_warning", context)
    return True


def apply_retention(*, now=None) -> RetentionResult:
    """Warn and anonymise every completed trajectory as its period asks; safe to run twice.

    Also forgets the sign-in links from mails a day after they expired: spent or not, they open
    nothing any more, and each is a row about a person.
    """
    now = now or timezone.now()
    result = RetentionResult()
    SignInToken.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
    candidates = Trajectory.objects.filter(
        status=Trajectory.Status.CLOSED, closed_at__isnull=False, anonymised_at__isnull=True
    ).order_by("pk")
    for trajectory in candidates:
        ends = trajectory.retention_ends_at
        try:
            if now >= ends:
                if trajectory_anonymise(trajectory=trajectory, now=now):
                    result.anonymised.append(trajectory.pk)
            elif (
                now >= ends - timedelta(days=WARNING_DAYS)
                and trajectory.retention_warned_at is None
            ):
                if retention_warn(trajectory=trajectory, now=now):
                    result.warned.append(trajectory.pk)
        except (ValidationError, OSError):
            # One trajectory's failure (a mail server away) must not stop the others.
            logger.exception("Retention failed for trajectory %s", trajectory.pk)
            result.failed.append(trajectory.pk)
    return result


# --- one person --------------------------------------------------------------------------------


def participant_erase(*, participant: Participant, by=None) -> bool:
    """Erase one representative: name and address gone, links revoked and deleted, what they
    wrote stays without their name. False when they were erased already (a double submit)."""
    now = timezone.now()
    with transaction.atomic():
        current = (
            Participant.objects.select_for_update().select_related("partner").get(pk=participant.pk)
        )
        if current.erased_at is not None:
            return False
        old_name = current.name
        _erase_traces([current.pk])
        number = Participant.objects.filter(
            partner_id=current.partner_id, pk__lte=current.pk
        ).count()
        current.name = _anonymous_name(number)
        current.email = ""
        current.mandate = ""
        current.erased_at = now
        current.save(update_fields=["name", "email", "mandate", "erased_at"])
        _rename_copies(current.partner.trajectory_id, {old_name: current.name})
        _scrub_admin_history([old_name])
        audit.anonymise(trajectory=current.partner.trajectory, participant=current)
        _audit(current.partner.trajectory, audit.Action.PERSON_ERASED, subject=current, by=by)
    return True


def removal_request(*, participant: Participant) -> bool:
    """Record that the participant asks to be removed and tell the facilitators, once.

    False when the request was recorded before (nothing is mailed again).
    """
    with transaction.atomic():
        marked = Participant.objects.filter(
            pk=participant.pk, removal_requested_at__isnull=True
        ).update(removal_requested_at=timezone.now())
        if not marked:
            return False
        trajectory = participant.partner.trajectory
        context = {
            "participant": participant,
            "partner": participant.partner,
            "trajectory": trajectory,
            "erase_url": settings.SITE_URL
            + reverse("trajectories:participant_erase", args=[trajectory.pk, participant.pk]),
        }
        _mail_facilitators(trajectory, "trajectories/mail/removal_request", context)
    return True


# --- deleting a trajectory ---------------------------------------------------------------------


def trajectory_delete(*, trajectory: Trajectory, typed_name: str) -> None:
    """Delete a completed trajectory with everything in it (report files follow on commit).

    The facilitator types the trajectory's name to confirm; a wrong name changes nothing.
    """
    if trajectory.status != Trajectory.Status.CLOSED:
        raise ValidationError(_("Only a completed trajectory can be deleted. Complete it first."))
    if " ".join(typed_name.split()).casefold() != " ".join(trajectory.name.split()).casefold():
        raise ValidationError(
            _("The name you typed is not this trajectory's name. Nothing has been deleted."),
            code="name_mismatch",
        )
    with transaction.atomic():
        # The log refuses deletes except those of a trajectory deleted in this transaction.
        audit.allow_purge(trajectory.pk)
        Trajectory.objects.filter(pk=trajectory.pk).delete()
    logger.info("Trajectory %s deleted", trajectory.pk)

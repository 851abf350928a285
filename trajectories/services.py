from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

import audit
from audit.models import AuditEntry
from coconnect import mail
from coconnect.once import create_once
from coconnect.stale import lock_current, save_new_version

from .access import CREATE_TRAJECTORY_PERMISSION
from .models import (
    AccountPreferences,
    InviteLink,
    Membership,
    Participant,
    Partner,
    SignInToken,
    Trajectory,
    hash_token,
)

logger = logging.getLogger(__name__)

# Sent with `participant` when that participant's invite links stopped working (revoked or
# replaced): the live workshop addresses they opened close at once (workshops/signals.py).
invite_links_revoked = Signal()


# --- mail --------------------------------------------------------------------------------------


# Every mail goes through coconnect/mail.py; these names stay for the code that imports them.
mail_subject = mail.mail_subject
_mail_send = mail.mail_send


# --- trajectories and members ------------------------------------------------------------------


@transaction.atomic
def trajectory_create(*, by, key: uuid.UUID | None = None, **fields) -> Trajectory:
    """Create a trajectory; its creator becomes its first facilitator.

    A second submit with the same `key` (a double click) returns the first one's trajectory.
    """
    trajectory, created = create_once(Trajectory, key=key, scope={}, **fields)
    if created:
        Membership.objects.create(trajectory=trajectory, user=by, role=Membership.Role.FACILITATOR)
    return trajectory


def _versioned_update(instance, *, seen_version: int | None, changes: dict):
    """Save `changes` unless someone saved since `seen_version` (then StaleEdit): locked."""
    current = lock_current(type(instance).objects.all(), pk=instance.pk, seen_version=seen_version)
    for name, value in changes.items():
        setattr(current, name, value)
    save_new_version(current, fields=list(changes))
    return current


@transaction.atomic
def trajectory_update(*, trajectory: Trajectory, seen_version: int | None, **changes) -> Trajectory:
    """Save the trajectory's settings; completing it starts its retention period.

    The retention clock (`closed_at`) starts when the status becomes completed and stops when
    it is reopened; a changed period or reopening asks for a new warning mail (retention.py).
    """
    now = timezone.now()
    current = Trajectory.objects.select_for_update().get(pk=trajectory.pk)
    changes = {**changes, "updated_at": now}
    closing = changes.get("status", current.status) == Trajectory.Status.CLOSED
    if closing and current.closed_at is None:
        changes["closed_at"] = now
    elif not closing and current.closed_at is not None:
        changes["closed_at"] = None
    if "closed_at" in changes or changes.get("retention_months", current.retention_months) != (
        current.retention_months
    ):
        changes["retention_warned_at"] = None
    return _versioned_update(trajectory, seen_version=seen_version, changes=changes)


@transaction.atomic
def partner_update(*, partner: Partner, seen_version: int | None, **changes) -> Partner:
    return _versioned_update(partner, seen_version=seen_version, changes=changes)


@transaction.atomic
def participant_update(
    *, participant: Participant, seen_version: int | None, by=None, **changes
) -> Participant:
    saved = _versioned_update(participant, seen_version=seen_version, changes=changes)
    audit.record(
        trajectory=participant.partner.trajectory_id,
        action=AuditEntry.Action.REPRESENTATIVE_CHANGED,
        by=by,
        subject=saved,
        summary=saved.name,
        fields=sorted(changes),
    )
    return saved


def partner_create(*, trajectory: Trajectory, key: uuid.UUID | None = None, **fields) -> Partner:
    """Add a partner organisation; a double submit with the same `key` makes one."""
    try:
        partner, _created = create_once(
            Partner, key=key, scope={"trajectory": trajectory}, **fields
        )
    except IntegrityError as error:
        # Two different submits of one name at the same moment: the database keeps one.
        raise ValidationError(
            _("An organisation with this name already takes part in this trajectory.")
        ) from error
    return partner


@transaction.atomic
def participant_create(
    *, partner: Partner, key: uuid.UUID | None = None, by=None, **fields
) -> Participant:
    """Add a representative; a double submit with the same `key` makes one."""
    participant, created = create_once(Participant, key=key, scope={"partner": partner}, **fields)
    if created:
        audit.record(
            trajectory=partner.trajectory_id,
            action=AuditEntry.Action.REPRESENTATIVE_ADDED,
            by=by,
            subject=participant,
            summary=participant.name,
        )
    return participant


@transaction.atomic
def participant_remove(*, participant: Participant, by=None) -> None:
    """Remove a representative; the audit log keeps that it happened and who did it."""
    audit.record(
        trajectory=participant.partner.trajectory_id,
        action=AuditEntry.Action.REPRESENTATIVE_REMOVED,
        by=by,
        subject=participant,
        summary=participant.name,
    )
    participant.delete()


def trajectory_creation_allow(*, user) -> None:
    """Let `user` start trajectories (the account-level permission access.py asks for)."""
    app_label, codename = CREATE_TRAJECTORY_PERMISSION.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )


def _username_for(email: str) -> str:
    User = get_user_model()
    base = email.split("@", 1)[0][:120] or "user"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


@transaction.atomic
def member_add(*, trajectory: Trajectory, email: str, role: str, by) -> tuple[Membership, bool]:
    """Add a member by email. Returns (membership, account_created).

    Without an account for the address, one is made with an unusable password and a mail with
    a set-password link goes out (Django's password-reset tokens: one use, limited validity).
    Account and mail are one unit: the mail is sent before the commit, and when it fails nothing
    is added and a ValidationError says so (an account nobody can reach helps no one).
    """
    # One add at a time per trajectory: the same address sent twice at once (a double click,
    # two facilitators) makes one account and one membership, the second add finds them.
    list(Trajectory.objects.select_for_update().filter(pk=trajectory.pk).values_list("pk"))
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    created = user is None
    if created:
        user = User(username=_username_for(email), email=email)
        user.set_unusable_password()
        user.save()
    membership, new = Membership.objects.get_or_create(
        trajectory=trajectory, user=user, defaults={"role": role}
    )
    if not new:
        return membership, False
    if role == Membership.Role.FACILITATOR:
        # Facilitators may start trajectories of their own; managers may not.
        trajectory_creation_allow(user=user)
    if created:
        _mail_new_member(membership=membership, by=by)
    audit.record(
        trajectory=trajectory,
        action=AuditEntry.Action.MEMBER_ADDED,
        by=by,
        subject=membership,
        summary=user.get_full_name() or user.email,
        role=role,
    )
    return membership, created


def set_password_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


def _mail_new_member(*, membership: Membership, by) -> None:
    user = membership.user
    context = {
        "membership": membership,
        "trajectory": membership.trajectory,
        "by": by,
        "url": set_password_url(user),
        "username": user.get_username(),
    }
    mail.send(
        mail.recipient_for_user(user),
        kind=mail.Kind.INVITE,
        template="trajectories/mail/new_member",
        context=context,
    )


def member_removable(*, membership: Membership, facilitator_pks: list[int]) -> bool:
    """The one rule: a trajectory never loses its last facilitator.

    `facilitator_pks` are the trajectory's facilitator memberships; the settings page asks this
    to offer no remove button, `member_remove` asks it under a lock.
    """
    return membership.role != Membership.Role.FACILITATOR or facilitator_pks != [membership.pk]


def member_remove(*, membership: Membership, by=None) -> None:
    """Remove a member, or raise ValidationError when it is the last facilitator."""
    with transaction.atomic():
        facilitators = list(
            Membership.objects.select_for_update()
            .filter(trajectory_id=membership.trajectory_id, role=Membership.Role.FACILITATOR)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not member_removable(membership=membership, facilitator_pks=facilitators):
            raise ValidationError(
                _("The last facilitator cannot be removed. Add another facilitator first.")
            )
        user = membership.user
        audit.record(
            trajectory=membership.trajectory_id,
            action=AuditEntry.Action.MEMBER_REMOVED,
            by=by,
            subject=membership,
            summary=user.get_full_name() or user.email,
            role=membership.role,
        )
        membership.delete()


# --- invite links ------------------------------------------------------------------------------


@transaction.atomic
def invite_issue(*, participant: Participant, by=None, expires_at=None) -> tuple[InviteLink, str]:
    """Issue a fresh invite link; every earlier link of the participant stops working at once.

    Returns the link and the clear token, which exists only in this return value.
    """
    participant.invite_links.revoke()
    invite_links_revoked.send(sender=Participant, participant=participant)
    token = InviteLink.new_token()
    link = InviteLink.objects.create(
        participant=participant,
        token_hash=hash_token(token),
        expires_at=expires_at or InviteLink.default_expiry(),
        created_by=by,
    )
    audit.record(
        trajectory=participant.partner.trajectory_id,
        action=AuditEntry.Action.INVITE_ISSUED,
        by=by,
        subject=participant,
        summary=participant.name,
        expires_at=link.expires_at,
    )
    return link, token


def invite_revoke(*, participant: Participant, by=None) -> int:
    with transaction.atomic():
        count = participant.invite_links.revoke()
        if count:
            audit.record(
                trajectory=participant.partner.trajectory_id,
                action=AuditEntry.Action.INVITE_REVOKED,
                by=by,
                subject=participant,
                summary=participant.name,
                links=count,
            )
    invite_links_revoked.send(sender=Participant, participant=participant)
    return count


def invite_lookup(token: str) -> InviteLink | None:
    """The link behind a clear token, usable or not (the caller explains why it refuses)."""
    if not token or len(token) > 200:
        return None
    return (
        InviteLink.objects.select_related("participant__partner__trajectory")
        .filter(token_hash=hash_token(token))
        .first()
    )


def invite_url(token: str) -> str:
    return f"{settings.SITE_URL}{reverse('trajectories:invite_open', args=[token])}"


def invite_current(*, participant: Participant, token: str) -> InviteLink | None:
    """The participant's usable link, if `token` is its clear token.

    For mail and QR after issuing.
    """
    link = invite_lookup(token)
    if link is None or link.participant_id != participant.pk or not link.is_usable:
        return None
    return link


def invite_mail(*, participant: Participant, token: str, by=None) -> None:
    """Mail the link to the participant, in their language."""
    if not participant.email:
        raise ValidationError(_("This representative has no email address."))
    link = invite_current(participant=participant, token=token)
    if link is None:
        raise ValidationError(_("This link no longer works. Make a new link first."))
    trajectory = participant.partner.trajectory
    context = {
        "participant": participant,
        "partner": participant.partner,
        "trajectory": trajectory,
        "url": invite_url(token),
        "expires_at": link.expires_at,
        "by": by,
    }
    # Replies reach the facilitator, not the no-reply sender.
    reply_to = [by.email] if by is not None and getattr(by, "email", "") else None
    mail.send(
        mail.recipient_for_participant(participant),
        kind=mail.Kind.INVITE,
        template="trajectories/mail/invite",
        context=context,
        reply_to=reply_to,
    )
    audit.record(
        trajectory=trajectory,
        action=AuditEntry.Action.INVITE_MAILED,
        by=by,
        subject=participant,
        summary=participant.name,
    )
    logger.info("Invite link mailed to participant %s", participant.pk)


def invite_send(*, participant: Participant, by=None) -> str:
    """Issue a fresh link and mail it, as one unit; returns the clear token.

    The new link replaces the old one only when the mail went out: a failed mail rolls the
    issue back, so the participant keeps a working link.
    """
    if not participant.email:
        raise ValidationError(_("This representative has no email address."))
    try:
        with transaction.atomic():
            _link, token = invite_issue(participant=participant, by=by)
            invite_mail(participant=participant, token=token, by=by)
    except ValidationError as error:
        if error.code != "mail_failed":
            raise
        raise ValidationError(
            _(
                "The email could not be sent, so no new link was made: the previous link still "
                "works. Please try again later."
            ),
            code="mail_failed",
        ) from error
    return token


# --- sign-in links (coconnect/mail.py) ---------------------------------------------------------


class SignInRefused(Exception):
    """Why a sign-in link does not start a session: invalid, used, expired, closed, revoked."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def sign_in_lookup(token: str) -> SignInToken | None:
    """The sign-in link behind a clear token, spent or not (the caller explains why it refuses)."""
    if not token or len(token) > 200:
        return None
    return (
        SignInToken.objects.select_related("participant__partner__trajectory")
        .filter(token_hash=hash_token(token))
        .first()
    )


def _sign_in_check(row: SignInToken | None) -> None:
    if row is None:
        raise SignInRefused("invalid")
    if row.is_used:
        raise SignInRefused("used")
    if row.is_expired:
        raise SignInRefused("expired")
    participant = row.participant
    if participant.erased_at is not None:
        raise SignInRefused("invalid")
    trajectory = participant.partner.trajectory
    if trajectory.status == Trajectory.Status.CLOSED or trajectory.anonymised_at is not None:
        raise SignInRefused("closed")


def sign_in_checked(token: str) -> SignInToken:
    """The sign-in link if it would start a session now (the confirm page), else SignInRefused."""
    row = sign_in_lookup(token)
    _sign_in_check(row)
    if not InviteLink.objects.usable().filter(participant_id=row.participant_id).exists():
        raise SignInRefused("revoked")
    return row


def sign_in_spend(*, token: str) -> InviteLink:
    """Spend a sign-in link, once: the participant's usable invite link, whose session it starts.

    A participant's session is their invite link (access.participant_invite), as for the invite
    itself and a workshop knock; a sign-in link leads to it without showing it. The row is locked,
    so two simultaneous submits spend it once. A revoked or expired invite refuses: a sign-in link
    never reaches further than the personal link the facilitator gave.
    """
    with transaction.atomic():
        row = (
            SignInToken.objects.select_for_update(of=("self",))
            .select_related("participant__partner__trajectory")
            .filter(token_hash=hash_token(token))
            .first()
            if token and len(token) <= 200
            else None
        )
        _sign_in_check(row)
        link = InviteLink.objects.usable().filter(participant_id=row.participant_id).first()
        if link is None:
            raise SignInRefused("revoked")
        now = timezone.now()
        row.used_at = now
        row.save(update_fields=["used_at"])
        link.last_used_at = now
        link.save(update_fields=["last_used_at"])
    link.participant = row.participant
    return link


def sign_in_eligible(email: str):
    """The participants behind an address who may get a sign-in link: not erased, in a trajectory
    that is not completed or anonymised, with a usable invite link. One query."""
    usable_invites = InviteLink.objects.usable().filter(participant=models.OuterRef("pk"))
    return (
        Participant.objects.filter(
            email__iexact=email.strip(),
            erased_at__isnull=True,
            partner__trajectory__anonymised_at__isnull=True,
        )
        .exclude(partner__trajectory__status=Trajectory.Status.CLOSED)
        .filter(models.Exists(usable_invites))
        .select_related("partner__trajectory")
        .order_by("partner__trajectory__name", "partner__trajectory__pk", "pk")
    )


def lost_link_send(*, email: str) -> bool:
    """Mail one sign-in mail to `email` listing each open trajectory it takes part in, each
    with its own sign-in button. False when the address belongs to no such participant.

    Written in the language of the first participant found (most addresses have one).
    """
    participants = list(sign_in_eligible(email))
    if not participants:
        return False
    urls = mail.sign_in_urls_issue(participants)
    entries = [
        {
            "participant": participant,
            "trajectory": participant.partner.trajectory,
            "partner": participant.partner,
            "url": urls[participant.pk],
        }
        for participant in participants
    ]
    first = participants[0]
    recipient = mail.recipient_for_participant(first)
    return mail.send(
        recipient,
        kind=mail.Kind.SIGN_IN,
        template="trajectories/mail/sign_in",
        context={"entries": entries, "days": settings.SIGN_IN_TOKEN_DAYS},
        sign_in_url=urls[first.pk],
    )


# --- each person's own settings ----------------------------------------------------------------


@transaction.atomic
def participant_settings_save(
    *,
    participant: Participant,
    language: str,
    wants_digest: bool,
    wanted: dict[str, bool],
) -> Participant:
    """A representative's own choices: the last save wins (they are theirs alone). The version
    moves on, so a facilitator's participant form opened before does not silently put the old
    language back (StaleEdit there)."""
    saved = _versioned_update(
        participant,
        seen_version=None,
        changes={"language": language, "wants_digest": wants_digest},
    )
    for kind, wants in wanted.items():
        mail.opt_out_set(participant=saved, kind=kind, wanted=wants)
    return saved


@transaction.atomic
def account_settings_save(
    *, user, language: str, wanted: dict[str, bool], digests: dict[int, bool]
) -> None:
    """An account's mail language, opt-outs and the weekly digest per trajectory."""
    AccountPreferences.objects.update_or_create(user=user, defaults={"language": language})
    for kind, wants in wanted.items():
        mail.opt_out_set(user=user, kind=kind, wanted=wants)
    for value in (True, False):
        pks = [pk for pk, on in digests.items() if on is value]
        Membership.objects.filter(user=user, pk__in=pks).update(weekly_digest=value)

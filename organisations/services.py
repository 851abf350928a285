"""Writes of the organisations app: linking partners, inviting coordinators, merge and split."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

import audit
from audit.models import AuditEntry
from coconnect import mail
from trajectories.access import COORDINATOR
from trajectories.models import Partner
from trajectories.services import _username_for, set_password_url

from .models import Coordinator, Organisation


def normalised_name(name: str) -> str:
    """The name as stored on an organisation: inner runs of spaces made one."""
    return " ".join(name.split())


def organisation_for(*, name: str, kind: str, trajectory_id: int | None = None) -> Organisation:
    """The organisation with this name (any case, any spacing) and kind, made when there is none.

    The rule of the data migration that linked the existing partners, applied to every new one
    (Partner.save), so one municipality stays one organisation across trajectories. An
    organisation already a partner in `trajectory_id` is passed over: a trajectory holds an
    organisation once, so a second partner of that name there is taken to be another one.
    """
    name = normalised_name(name)
    found = Organisation.objects.filter(name__iexact=name, kind=kind)
    if trajectory_id is not None:
        found = found.exclude(partners__trajectory_id=trajectory_id)
    return found.order_by("pk").first() or Organisation.objects.create(name=name, kind=kind)


def partner_link(*, partner: Partner) -> Partner:
    """Point a partner without an organisation (a row older than the link) to its organisation."""
    if partner.organisation_id is None:
        partner.save(update_fields=["organisation"])
    return partner


# --- coordinators ------------------------------------------------------------------------------


@transaction.atomic
def coordinator_invite(*, partner: Partner, email: str, name: str, by) -> tuple[Coordinator, bool]:
    """Make the person at `email` a coordinator of the partner's organisation.

    Returns (coordinator, created). An existing account is reused; otherwise one is made with an
    unusable password and the mail carries a set-password link (Django's one-use reset token, as
    for a new member). The mail goes out before the commit: when it fails, nothing is added and a
    ValidationError says so. The audit entry goes in the log of the trajectory it was done from.
    """
    partner = partner_link(partner=partner)
    # One invite at a time per organisation: the same address sent twice at once (a double click,
    # two facilitators) makes one account and one coordinator.
    organisation = Organisation.objects.select_for_update().get(pk=partner.organisation_id)
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    account_created = user is None
    if account_created:
        first, _sep, last = normalised_name(name).partition(" ")
        limit = User._meta.get_field("first_name").max_length
        user = User(
            username=_username_for(email),
            email=email,
            first_name=first[:limit],
            last_name=last[: User._meta.get_field("last_name").max_length],
        )
        user.set_unusable_password()
        user.save()
    coordinator, created = Coordinator.objects.get_or_create(
        organisation=organisation, user=user, defaults={"invited_by": getattr(by, "user", by)}
    )
    if not created:
        return coordinator, False
    _mail_new_coordinator(coordinator=coordinator, partner=partner, new_account=account_created)
    audit.record(
        trajectory=partner.trajectory_id,
        action=AuditEntry.Action.MEMBER_ADDED,
        by=by,
        partner=partner,
        subject=coordinator,
        summary=_("Coordinator of %(organisation)s: %(name)s")
        % {"organisation": organisation.name, "name": user.get_full_name() or user.email},
        role=COORDINATOR,
    )
    return coordinator, True


def _mail_new_coordinator(*, coordinator: Coordinator, partner: Partner, new_account: bool) -> None:
    user = coordinator.user
    path = reverse("organisations:portfolio", args=[coordinator.organisation_id])
    mail.send(
        mail.recipient_for_user(user),
        kind=mail.Kind.INVITE,
        template="organisations/mail/new_coordinator",
        context={
            "organisation": coordinator.organisation,
            "trajectory": partner.trajectory,
            "username": user.get_username(),
            "url": set_password_url(user) if new_account else "",
            "portfolio_url": f"{settings.SITE_URL}{path}",
        },
    )


# --- merge and split (the admin) ---------------------------------------------------------------


@transaction.atomic
def organisations_merge(*, into: Organisation, others: list[Organisation]) -> int:
    """Move every partner and coordinator of `others` to `into`, then delete `others`.

    Refused (ValidationError, nothing changed) when one trajectory would hold two partners of the
    merged organisation: those are two organisations after all, or one partner too many. Returns
    how many partners moved.
    """
    others = [o for o in others if o.pk != into.pk]
    ids = [into.pk, *(o.pk for o in others)]
    list(Organisation.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    doubled = (
        Partner.objects.filter(organisation_id__in=ids)
        .values("trajectory__name")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("trajectory__name")
    )
    names = [row["trajectory__name"] for row in doubled]
    if names:
        raise ValidationError(
            _(
                "These organisations cannot be merged: they are separate partners in "
                "%(trajectories)s. A trajectory holds an organisation once."
            )
            % {"trajectories": ", ".join(f"“{n}”" for n in names)}
        )
    other_ids = ids[1:]
    moved = Partner.objects.filter(organisation_id__in=other_ids).update(organisation=into)
    present = set(Coordinator.objects.filter(organisation=into).values_list("user_id", flat=True))
    for coordinator in Coordinator.objects.filter(organisation_id__in=other_ids).order_by("pk"):
        if coordinator.user_id in present:
            coordinator.delete()
        else:
            present.add(coordinator.user_id)
            coordinator.organisation = into
            coordinator.save(update_fields=["organisation"])
    Organisation.objects.filter(pk__in=other_ids).delete()
    return moved


@transaction.atomic
def organisation_split(
    *, organisation: Organisation, partners: list[Partner], name: str, kind: str | None = None
) -> Organisation:
    """Move the chosen partners of `organisation` to a new organisation called `name`.

    Coordinators stay with the original: who coordinates the new one is a new decision.
    """
    name = normalised_name(name)
    if not name:
        raise ValidationError(_("Give the new organisation a name."))
    chosen = [p.pk for p in partners if p.organisation_id == organisation.pk]
    if not chosen:
        raise ValidationError(_("Choose at least one partner of this organisation to move."))
    if len(chosen) == Partner.objects.filter(organisation=organisation).count():
        raise ValidationError(
            _("Choose fewer partners: moving all of them is renaming the organisation.")
        )
    new = Organisation.objects.create(name=name, kind=kind or organisation.kind)
    Partner.objects.filter(pk__in=chosen).update(organisation=new)
    return new

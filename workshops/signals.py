"""Keep live screens current when the interests app changes what an agenda item shows.

Interests, themes and rounds are edited on the interests pages too (a participant submitting, the
facilitator grouping); every live workshop whose current item shows that round then rings.
"""

from django.db.models.signals import post_delete, post_save, pre_delete

from interests.models import Interest, InterestRound, Theme
from trajectories.models import InviteLink
from trajectories.services import invite_links_revoked

from . import doorbell, invitations
from .models import Workshop
from .services import workshop_bump


def _round_changed(round_id) -> None:
    if round_id is None:
        return
    for workshop in Workshop.objects.filter(
        status=Workshop.Status.LIVE, current_item__interest_round_id=round_id
    ):
        workshop_bump(workshop=workshop)


def _interest_or_theme_changed(sender, instance, **kwargs):
    _round_changed(getattr(instance, "round_id", None))


def _round_saved(sender, instance, **kwargs):
    _round_changed(instance.pk)


def _invite_links_revoked(sender, participant, **kwargs):
    doorbell.passes_close(participant.invite_links.values_list("pk", flat=True))


def _invite_link_deleted(sender, instance, **kwargs):
    doorbell.passes_close([instance.pk])


def _invite_link_saved(sender, instance, **kwargs):
    # The admin's change form may revoke a link or move its expiry into the past.
    if not instance.is_usable:
        doorbell.passes_close([instance.pk])


def _workshop_deleting(sender, instance, **kwargs):
    # A planned workshop whose invitation went out disappears from the partners' calendars too.
    invitations.cancellations_before_delete(instance)


def connect() -> None:
    pre_delete.connect(_workshop_deleting, sender=Workshop, dispatch_uid="workshops-cancel-delete")
    # A revoked, replaced or deleted invite link closes the live addresses it opened.
    invite_links_revoked.connect(_invite_links_revoked, dispatch_uid="workshops-live-revoked")
    post_delete.connect(_invite_link_deleted, sender=InviteLink, dispatch_uid="workshops-live-inv")
    post_save.connect(_invite_link_saved, sender=InviteLink, dispatch_uid="workshops-live-inv-save")

    for model in (Interest, Theme):
        post_save.connect(
            _interest_or_theme_changed,
            sender=model,
            dispatch_uid=f"workshops-live-{model.__name__}",
        )
        post_delete.connect(
            _interest_or_theme_changed,
            sender=model,
            dispatch_uid=f"workshops-live-del-{model.__name__}",
        )
    post_save.connect(_round_saved, sender=InterestRound, dispatch_uid="workshops-live-round")

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import InviteLink, Participant, hash_token


@transaction.atomic
def invite_issue(*, participant: Participant, by=None, expires_at=None) -> tuple[InviteLink, str]:
    """Issue a fresh invite link; every earlier link of the participant stops working at once.

    Returns the link and the clear token, which exists only in this return value.
    """
    now = timezone.now()
    participant.invite_links.filter(revoked_at__isnull=True).update(revoked_at=now)
    token = InviteLink.new_token()
    link = InviteLink.objects.create(
        participant=participant,
        token_hash=hash_token(token),
        expires_at=expires_at or InviteLink.default_expiry(),
        created_by=by,
    )
    return link, token


def invite_revoke(*, participant: Participant) -> int:
    return participant.invite_links.filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def invite_lookup(token: str) -> InviteLink | None:
    """The link behind a clear token, usable or not (the caller explains why it refuses)."""
    if not token or len(token) > 200:
        return None
    return (
        InviteLink.objects.select_related("participant__partner__trajectory")
        .filter(token_hash=hash_token(token))
        .first()
    )

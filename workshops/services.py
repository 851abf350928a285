"""Writes that touch several models or ring the doorbell. Keyword-only, typed."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from . import doorbell
from .models import Workshop


def workshop_bump(*, workshop: Workshop) -> int:
    """Raise the workshop's version after any change a screen could show; every screen follows.

    Safe to call inside a transaction: the new version is announced once it is committed.
    Returns the new version (also set on `workshop.version`).
    """
    Workshop.objects.filter(pk=workshop.pk).update(version=F("version") + 1)
    version = Workshop.objects.filter(pk=workshop.pk).values_list("version", flat=True).get()
    workshop.version = version
    live_key = workshop.live_key
    transaction.on_commit(lambda: doorbell.announce(live_key, version))
    return version

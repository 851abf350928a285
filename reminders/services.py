"""Writes of the reminders app: closing dates (the mails are in jobs.py)."""

from __future__ import annotations

import datetime

from django.db import transaction

from .deadlines import Deadline


@transaction.atomic
def deadline_set(*, deadline: Deadline, obj, due_on: datetime.date | None) -> bool:
    """Set (or clear) the closing date; False when nothing changed. Locks the row so that two
    simultaneous submits end with one of the two dates, never a mix of stale other fields."""
    locked = deadline.model.objects.select_for_update().get(pk=obj.pk)
    if getattr(locked, deadline.field) == due_on:
        return False
    setattr(locked, deadline.field, due_on)
    locked.save(update_fields=[deadline.field])
    setattr(obj, deadline.field, due_on)
    return True

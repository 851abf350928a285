"""Closing dates: what is due, and how a page says so.

A date is *due* from the day it is set until it passes; a page says "due in 3 days", "due
today" or "overdue since 28 November", always in words and with a symbol, never by colour alone.
Which objects carry a closing date (an interest round, a proposal or package asking positions, a
pulse) is listed once in `DEADLINES`; the facilitator sets them through one view (views.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from health.models import Pulse
from improvements.models import ImprovementPackage, Proposal
from interests.models import InterestRound

# A deadline within this many days is "soon": the reminder rules and the pages agree on it.
SOON_DAYS = 2


@dataclass(frozen=True)
class DueState:
    """Where a date stands from today: `days` is negative once it has passed."""

    due_on: datetime.date
    days: int

    @property
    def is_overdue(self) -> bool:
        return self.days < 0

    @property
    def is_today(self) -> bool:
        return self.days == 0

    @property
    def is_soon(self) -> bool:
        return 0 <= self.days <= SOON_DAYS


def due_state(due_on: datetime.date | None, *, today: datetime.date | None = None):
    if due_on is None:
        return None
    today = today or timezone.localdate()
    return DueState(due_on=due_on, days=(due_on - today).days)


@dataclass(frozen=True)
class Deadline:
    """One kind of object that can carry a closing date, set by the facilitator."""

    model: type[models.Model]
    field: str
    label: str
    # The URL's name for the object's id, as elsewhere in the project (tests read it too).
    url_kwarg: str
    # The statuses in which the object still asks something of the partners (None: any), so a
    # date may be set: a closed pulse or an adopted package asks nothing more.
    asking: tuple[str, ...] | None = None

    def queryset(self):
        return self.model.objects.all()

    def is_settable(self, obj) -> bool:
        return self.asking is None or obj.status in self.asking


# URL segment (Dutch, as the other paths: ronde, voorstel, pakket, puls) -> the deadline.
# The view and the tests read this table.
DEADLINES = {
    "ronde": Deadline(
        InterestRound,
        "closes_on",
        _("Interests asked by"),
        "round_pk",
        (InterestRound.Status.DRAFT, InterestRound.Status.OPEN),
    ),
    "voorstel": Deadline(Proposal, "positions_due_on", _("Positions asked by"), "proposal_pk"),
    "pakket": Deadline(
        ImprovementPackage,
        "positions_due_on",
        _("Positions asked by"),
        "package_pk",
        (ImprovementPackage.Status.DRAFT,),
    ),
    "puls": Deadline(
        Pulse,
        "closes_on",
        _("Answers asked by"),
        "pulse_pk",
        (Pulse.Status.DRAFT, Pulse.Status.OPEN),
    ),
}


def slug_for(obj) -> str:
    return next(slug for slug, d in DEADLINES.items() if isinstance(obj, d.model))


def edit_url(obj) -> str:
    """Where the facilitator sets the closing date of `obj`."""
    kind = slug_for(obj)
    return reverse(f"reminders:{kind}", args=[obj.trajectory_id, obj.pk])

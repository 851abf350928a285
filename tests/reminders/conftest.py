import datetime

import pytest
from django.utils import timezone

from interests.models import Interest, InterestRound
from tests import factories


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def anouk(participant):
    participant.email = "anouk@example.org"
    participant.save(update_fields=["email"])
    return participant


def open_round(trajectory, *, closes_in: int | None = 2, asked: int = 3, title="Ronde 1"):
    closes_on = None if closes_in is None else timezone.localdate() + datetime.timedelta(closes_in)
    return InterestRound.objects.create(
        trajectory=trajectory,
        title=title,
        phase=trajectory.phase,
        status=InterestRound.Status.OPEN,
        min_per_partner=asked,
        closes_on=closes_on,
    )


def submit_interests(round, partner, n):
    for i in range(n):
        Interest.objects.create(
            round=round,
            partner=partner,
            statement=f"Belang {i}",
            status=Interest.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )


def person(partner, name, **fields):
    fields.setdefault("email", f"{name.lower().replace(' ', '.')}@example.org")
    return factories.make_participant(partner, name, **fields)

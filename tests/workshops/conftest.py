from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories
from workshops import services
from workshops.models import AgendaItem, Workshop


def make_workshop(
    trajectory, *, title="Werkbijeenkomst 1", status=Workshop.Status.PLANNED, **fields
):
    return Workshop.objects.create(
        trajectory=trajectory,
        title=title,
        starts_at=fields.pop("starts_at", timezone.now() + timedelta(days=7)),
        place=fields.pop("place", "Stadhuis, zaal 2"),
        status=status,
        **fields,
    )


def add_item(workshop, kind=AgendaItem.Kind.CHECK_IN, title=None, **fields):
    return services.agenda_item_add(
        workshop=workshop, kind=kind, title=title or str(AgendaItem.Kind(kind).label), **fields
    )


@pytest.fixture
def workshop(trajectory):
    return make_workshop(trajectory)


@pytest.fixture
def live_workshop(trajectory, participant):
    """A running workshop: check-in, dot voting with three options, check-out."""
    workshop = make_workshop(trajectory, title="Werkbijeenkomst live")
    add_item(
        workshop, AgendaItem.Kind.CHECK_IN, "Hoe komt u binnen?", notes="Wat neemt u mee vandaag?"
    )
    voting = add_item(
        workshop, AgendaItem.Kind.DOT_VOTING, "Waar beginnen we?", dots_per_participant=3
    )
    for label in ("Wachtlijst", "Woningtoewijzing", "Begeleiding thuis"):
        services.option_add(item=voting, label=label)
    add_item(workshop, AgendaItem.Kind.CHECK_OUT, "Check-out")
    services.workshop_start(workshop=workshop)
    workshop.refresh_from_db()
    return workshop


@pytest.fixture
def second_participant(partner):
    return factories.make_participant(partner, "Bram Jansen")

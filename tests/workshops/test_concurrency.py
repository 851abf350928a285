"""Fifty people voting at the same moment: no dot lost, nobody above their dots (PostgreSQL)."""

import uuid

import pytest

from tests import factories
from tests.concurrency import run_together
from tests.workshops.conftest import add_item, make_workshop
from workshops import services
from workshops.models import AgendaItem, Contribution, DotVote, VoteOption, Workshop
from workshops.services import LiveError

VOTERS = 50
DOTS = 3


@pytest.fixture
def voting(postgres, transactional_db, trajectory):
    workshop = make_workshop(trajectory)
    item = add_item(
        workshop, AgendaItem.Kind.DOT_VOTING, "Waar beginnen we?", dots_per_participant=DOTS
    )
    options = [services.option_add(item=item, label=f"Optie {n}") for n in range(4)]
    services.workshop_start(workshop=workshop)
    partner = factories.make_partner(trajectory, "Stemmers")
    people = [factories.make_participant(partner, f"Stemmer {n}") for n in range(VOTERS)]
    return item, options, people


def _place(item_pk, person, option_pk):
    def job():
        item = AgendaItem.objects.select_related("workshop").get(pk=item_pk)
        option = VoteOption.objects.get(pk=option_pk)
        try:
            services.dot_place(item=item, participant=person, option=option)
        except LiveError:
            pass  # "all your dots are placed" is the expected answer for the extra ones

    return job


def test_fifty_simultaneous_voters_lose_no_dot(voting):
    item, options, people = voting
    jobs = [
        _place(item.pk, person, options[n % len(options)].pk) for n, person in enumerate(people)
    ]
    assert run_together(jobs) == []
    assert DotVote.objects.filter(item=item).count() == VOTERS
    assert set(DotVote.objects.values_list("participant", flat=True)) == {p.pk for p in people}
    workshop = Workshop.objects.get(pk=item.workshop_id)
    assert workshop.version >= VOTERS  # every dot rang the doorbell


def test_nobody_exceeds_their_dots_when_clicking_many_times_at_once(voting):
    item, options, people = voting
    greedy = people[:10]
    # Each greedy person sends six dots at the same moment, from several "phones".
    jobs = [
        _place(item.pk, person, options[n % len(options)].pk) for person in greedy for n in range(6)
    ]
    assert run_together(jobs) == []
    for person in greedy:
        assert DotVote.objects.filter(item=item, participant=person).count() == DOTS
    assert DotVote.objects.filter(item=item).count() == DOTS * len(greedy)


def test_the_same_note_sent_twice_at_once_is_stored_once(
    postgres, transactional_db, trajectory, participant
):
    workshop = make_workshop(trajectory)
    item = add_item(workshop, AgendaItem.Kind.CHECK_IN, "Check-in")
    services.workshop_start(workshop=workshop)
    key = uuid.uuid4()

    def send():
        fresh = AgendaItem.objects.select_related("workshop").get(pk=item.pk)
        services.contribution_add(
            item=fresh, participant=participant, text="Eén keer", submission_key=key
        )

    assert run_together([send for _ in range(8)]) == []
    assert Contribution.objects.filter(item=item).count() == 1

"""Simultaneous "send", updates and "new address" (PostgreSQL): one mail, one address each."""

import pytest
from django.core import mail as outbox

from tests import factories
from tests.concurrency import run_together
from tests.workshops.conftest import make_workshop
from workshops import feeds, invitations, tasks
from workshops.models import CalendarFeed, Workshop, WorkshopInvitation

PEOPLE = 6


@pytest.fixture
def invitable(postgres, transactional_db, trajectory, facilitator):
    partner = factories.make_partner(trajectory, "Gemeente Rivierstad")
    for n in range(PEOPLE):
        factories.make_participant(partner, f"Deelnemer {n}", email=f"d{n}@rivierstad.example")
    return make_workshop(trajectory)


def test_five_simultaneous_sends_mail_each_person_once(invitable, facilitator):
    def send():
        invitations.workshop_invitations_send(
            workshop=Workshop.objects.get(pk=invitable.pk), by=facilitator
        )

    assert run_together([send] * 5) == []

    assert WorkshopInvitation.objects.filter(workshop=invitable).count() == PEOPLE
    assert sorted(m.to[0] for m in outbox.outbox) == sorted(
        f"d{n}@rivierstad.example" for n in range(PEOPLE)
    )


def test_the_mail_task_run_twice_at_once_mails_each_person_once(invitable, facilitator):
    invitations.workshop_invitations_send(workshop=invitable, by=facilitator)
    outbox.outbox.clear()
    invitable.refresh_from_db()
    invitations.workshop_update(workshop=invitable, fields={"place": "Elders"})  # sequence 1
    outbox.outbox.clear()
    WorkshopInvitation.objects.update(sequence=0)  # as if the update's mails had not gone yet

    errors = run_together([lambda: tasks.workshop_invitations_mail(invitable.pk) for _ in range(3)])

    assert errors == []
    assert len(outbox.outbox) == PEOPLE


def test_simultaneous_new_addresses_leave_one_that_works(postgres, transactional_db, facilitator):
    errors = run_together([lambda: feeds.feed_renew(user=facilitator) for _ in range(5)])

    assert errors == []
    assert CalendarFeed.objects.active().filter(user=facilitator).count() == 1

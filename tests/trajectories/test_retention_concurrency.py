"""Retention run twice at the same moment (two beat processes, a command during the job), and
a person erased by two facilitators at once: each happens once (PostgreSQL)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from tests import factories
from tests.concurrency import race
from trajectories import retention
from trajectories.models import Participant, Trajectory

RUNS = 4


@pytest.fixture
def world(postgres, transactional_db, facilitator, trajectory, partner):
    for n in range(3):
        factories.make_participant(partner, f"Persoon {n}", email=f"p{n}@example.org")
    return trajectory


def test_simultaneous_runs_anonymise_and_warn_once(world, mailoutbox):
    warned = factories.make_trajectory("Bijna verlopen", facilitator=world.memberships.first().user)
    Trajectory.objects.filter(pk=world.pk).update(
        status=Trajectory.Status.CLOSED, closed_at=timezone.now() - timedelta(days=800)
    )
    Trajectory.objects.filter(pk=warned.pk).update(
        status=Trajectory.Status.CLOSED, closed_at=timezone.now() - timedelta(days=31 * 24 - 20)
    )
    results, errors = race([retention.apply_retention for _ in range(RUNS)])
    assert errors == []
    assert sorted(pk for r in results for pk in r.anonymised) == [world.pk]
    assert sorted(pk for r in results for pk in r.warned) == [warned.pk]
    assert len(mailoutbox) == 1
    assert (
        AuditEntry.objects.filter(
            trajectory=world, action=AuditEntry.Action.RETENTION_APPLIED
        ).count()
        == 1
    )
    names = sorted(
        Participant.objects.filter(partner__trajectory=world).values_list("name", flat=True)
    )
    assert names == ["Deelnemer 1", "Deelnemer 2", "Deelnemer 3"]


def test_two_facilitators_erasing_one_person_erase_once(world):
    person = Participant.objects.filter(partner__trajectory=world).order_by("pk").first()
    results, errors = race(
        [lambda: retention.participant_erase(participant=person) for _ in range(RUNS)]
    )
    assert errors == []
    assert sorted(results) == [False] * (RUNS - 1) + [True]
    assert (
        AuditEntry.objects.filter(trajectory=world, action=AuditEntry.Action.PERSON_ERASED).count()
        == 1
    )

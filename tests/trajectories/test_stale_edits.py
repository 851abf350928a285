"""Two people edit the same trajectory, partner or representative: the second save never silently
overwrites the first (coconnect/stale.py); what the second person typed is kept."""

import pytest
from django.test import Client

from tests.concurrency import race
from trajectories.models import Participant, Partner, Trajectory

pytestmark = pytest.mark.django_db

STALE = "Iemand anders heeft dit opgeslagen"


@pytest.fixture
def edits(trajectory, partner, participant):
    t = trajectory.pk
    return {
        "settings": (
            f"/t/{t}/instellingen/",
            {"task": "T", "occasion": "start", "phase": "design", "status": "active"},
            lambda: Trajectory.objects.get(pk=t),
        ),
        "partner": (
            f"/t/{t}/partners/{partner.pk}/bewerken/",
            {"kind": "housing"},
            lambda: Partner.objects.get(pk=partner.pk),
        ),
        "participant": (
            f"/t/{t}/vertegenwoordigers/{participant.pk}/bewerken/",
            {"email": "", "level": "board", "mandate": ""},
            lambda: Participant.objects.get(pk=participant.pk),
        ),
    }


@pytest.mark.parametrize("which", ["settings", "partner", "participant"])
def test_the_second_save_of_an_old_form_is_refused_and_keeps_its_text(
    facilitator_client, edits, which
):
    url, data, current = edits[which]
    seen = current().version
    first = facilitator_client.post(url, {**data, "name": "Eerste naam", "version": seen})
    assert first.status_code == 302
    second = facilitator_client.post(url, {**data, "name": "Tweede naam", "version": seen})
    html = second.content.decode()
    assert second.status_code == 409
    assert STALE in html
    assert 'value="Tweede naam"' in html
    assert current().name == "Eerste naam"
    # The form now carries the current version: saving again is a knowing overwrite.
    again = facilitator_client.post(
        url, {**data, "name": "Tweede naam", "version": current().version}
    )
    assert again.status_code == 302
    assert current().name == "Tweede naam"


@pytest.mark.parametrize("which", ["settings", "partner", "participant"])
def test_simultaneous_saves_of_one_version_let_exactly_one_through(
    postgres, transactional_db, facilitator, edits, which
):
    url, data, current = edits[which]
    seen = current().version
    clients = [Client() for _ in range(5)]
    for client in clients:
        client.force_login(facilitator)

    def save(client, n):
        return lambda: client.post(url, {**data, "name": f"Naam {n}", "version": seen}).status_code

    statuses, errors = race([save(c, n) for n, c in enumerate(clients)])
    assert errors == []
    assert sorted(statuses) == [302] + [409] * (len(clients) - 1)
    assert current().version == seen + 1

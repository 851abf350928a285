"""The privacy pages in the browser: a participant's own data on a phone and a desk, the
facilitator's delete and erase pages; no sideways scrolling at 320 px."""

import pytest
from django.conf import settings
from django.test import Client

from interests.models import Interest, InterestRound
from tests import factories
from tests.browser import sign_in_by_session
from trajectories.models import Participant, Trajectory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(390, 844), (1280, 800)]


def _with_entries(participant):
    trajectory = participant.partner.trajectory
    Participant.objects.filter(pk=participant.pk).update(email="anouk.de.vries@rivierstad.example")
    round = InterestRound.objects.create(
        trajectory=trajectory, title="Eerste ronde", phase=trajectory.phase
    )
    for statement in ("Genoeg woningen voor uitstroom", "Snelle doorverwijzing naar zorg"):
        Interest.objects.create(
            round=round, partner=participant.partner, statement=statement, author=participant
        )


def _fits(page, width):
    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": width, "height": 800})


@pytest.mark.parametrize("size", SIZES)
def test_a_participant_sees_what_is_stored(
    live_server, new_page, screenshot, trajectory, participant, size
):
    _with_entries(participant)
    client = factories.login_participant(Client(), participant)
    page = new_page(phone=size[0] < 500)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/t/{trajectory.pk}/welkom/")
    page.get_by_role("link", name="Wat weten we van u?").click()
    page.wait_for_url(f"**/t/{trajectory.pk}/mijn-gegevens/")
    assert page.get_by_text("anouk.de.vries@rivierstad.example").is_visible()
    assert page.get_by_text("Genoeg woningen voor uitstroom").is_visible()
    _fits(page, size[0])
    screenshot(page, f"privacy-my-data-{size[0]}")
    page.get_by_role("button", name="Vraag de procesbegeleider mij te verwijderen").click()
    assert page.get_by_role("status").filter(has_text="verwijdering").count() >= 1
    screenshot(page, f"privacy-my-data-requested-{size[0]}")


@pytest.mark.parametrize("size", SIZES)
def test_the_facilitator_deletes_and_erases(
    live_server, new_page, screenshot, trajectory, participant, facilitator, size
):
    _with_entries(participant)
    page = new_page(phone=size[0] < 500)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    sign_in_by_session(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/t/{trajectory.pk}/partners/")
    page.get_by_role("link", name="Persoon wissen Anouk de Vries").click()
    page.wait_for_url(f"**/vertegenwoordigers/{participant.pk}/wissen/")
    _fits(page, size[0])
    screenshot(page, f"privacy-erase-{size[0]}")

    Trajectory.objects.filter(pk=trajectory.pk).update(status=Trajectory.Status.CLOSED)
    page.goto(f"{live_server.url}/t/{trajectory.pk}/verwijderen/")
    page.get_by_label("Typ de naam van het traject ter bevestiging").fill("Verkeerde naam")
    page.get_by_role("button", name="Definitief verwijderen").click()
    assert page.get_by_text("Er is niets verwijderd").first.is_visible()
    _fits(page, size[0])
    screenshot(page, f"privacy-delete-{size[0]}")

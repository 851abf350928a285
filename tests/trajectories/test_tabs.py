"""The active tab comes from one place (the URL), not from each view's context."""

import re

import pytest

from interests import services as interests_services
from tests.improvements.helpers import make_package, make_proposal
from tests.interests.conftest import make_interest
from tests.reports.conftest import make_report
from tests.workshops.conftest import add_item, make_workshop

pytestmark = pytest.mark.django_db


def _current_tab(html: str) -> str:
    return re.search(r'<a [^>]*aria-current="page"[^>]*>([^<]+)</a>', html).group(1)


@pytest.mark.parametrize(
    ("url", "tab"),
    [
        ("/t/{t}/", "Overzicht"),
        ("/t/{t}/partners/", "Partners"),
        ("/t/{t}/partners/{partner}/bewerken/", "Partners"),
        ("/t/{t}/vertegenwoordigers/{participant}/bewerken/", "Partners"),
        ("/t/{t}/instellingen/", "Instellingen"),
        ("/t/{t}/leden/{membership}/verwijderen/", "Instellingen"),
        ("/t/{t}/belangen/", "Belangen"),
        ("/t/{t}/bijeenkomsten/", "Bijeenkomsten"),
        ("/t/{t}/verbeteringen/", "Verbeteringen"),
        ("/t/{t}/gezondheid/", "Gezondheid"),
        ("/t/{t}/gezondheid/veranderingen/", "Gezondheid"),
        ("/t/{t}/gezondheid/veranderingen/nieuw/", "Gezondheid"),
        ("/t/{t}/gezondheid/risicos/", "Gezondheid"),
        ("/t/{t}/gezondheid/risicos/nieuw/", "Gezondheid"),
        ("/t/{t}/gezondheid/krachtenveld/", "Gezondheid"),
        ("/t/{t}/gezondheid/krachtenveld/nieuw/", "Gezondheid"),
        ("/t/{t}/rapportages/", "Rapportages"),
    ],
)
def test_each_page_marks_its_own_tab(
    facilitator_client, trajectory, partner, participant, manager, url, tab
):
    membership = trajectory.memberships.get(user=manager)
    page = facilitator_client.get(
        url.format(
            t=trajectory.pk,
            partner=partner.pk,
            participant=participant.pk,
            membership=membership.pk,
        )
    ).content.decode()
    assert _current_tab(page) == tab


@pytest.mark.parametrize(
    ("url", "tab"),
    [
        ("/t/{t}/belangen/rondes/{round}/", "Belangen"),
        ("/t/{t}/belangen/rondes/{round}/themas/", "Belangen"),
        ("/t/{t}/belangen/belang/{interest}/zichtbaarheid/", "Belangen"),
        ("/t/{t}/belangen/kaart/", "Belangen"),
        ("/t/{t}/belangen/feiten/", "Belangen"),
        ("/t/{t}/belangen/feiten/nieuw/", "Belangen"),
        ("/t/{t}/verbeteringen/voorstellen/nieuw/", "Verbeteringen"),
        ("/t/{t}/verbeteringen/voorstellen/{proposal}/", "Verbeteringen"),
        ("/t/{t}/verbeteringen/voorstellen/{proposal}/bewerken/", "Verbeteringen"),
        ("/t/{t}/verbeteringen/draagvlak/", "Verbeteringen"),
        ("/t/{t}/verbeteringen/soorten/", "Verbeteringen"),
        ("/t/{t}/verbeteringen/pakketten/nieuw/", "Verbeteringen"),
        ("/t/{t}/verbeteringen/pakketten/{package}/", "Verbeteringen"),
        ("/t/{t}/verbeteringen/pakketten/{package}/bewerken/", "Verbeteringen"),
        ("/t/{t}/verbeteringen/opvolging/", "Verbeteringen"),
    ],
)
def test_each_interests_and_improvements_page_marks_its_tab(
    facilitator_client, trajectory, facilitator, participant, url, tab
):
    round = interests_services.round_open(
        round=interests_services.round_create(trajectory=trajectory, title="R", by=facilitator),
        by=facilitator,
    )
    interest = make_interest(round, participant, tier="anonymous")
    proposal = make_proposal(trajectory)
    package = make_package(trajectory, [proposal])
    page = facilitator_client.get(
        url.format(
            t=trajectory.pk,
            round=round.pk,
            interest=interest.pk,
            proposal=proposal.pk,
            package=package.pk,
        )
    ).content.decode()
    assert _current_tab(page) == tab


def test_the_participants_interests_pages_mark_interests(participant_client, trajectory):
    for url in (f"/t/{trajectory.pk}/belangen/", f"/t/{trajectory.pk}/belangen/kaart/"):
        assert _current_tab(participant_client.get(url).content.decode()) == "Belangen"


@pytest.mark.parametrize(
    "url",
    [
        "/t/{t}/bijeenkomsten/nieuw/",
        "/t/{t}/bijeenkomsten/{workshop}/",
        "/t/{t}/bijeenkomsten/{workshop}/bewerken/",
        "/t/{t}/bijeenkomsten/{workshop}/agenda/{item}/",
    ],
)
def test_each_workshops_page_marks_workshops(facilitator_client, trajectory, url):
    workshop = make_workshop(trajectory)
    item = add_item(workshop)
    page = facilitator_client.get(url.format(t=trajectory.pk, workshop=workshop.pk, item=item.pk))
    assert _current_tab(page.content.decode()) == "Bijeenkomsten"


def test_the_participants_workshops_pages_mark_workshops(participant_client, trajectory):
    workshop = make_workshop(trajectory)
    for url in (f"/t/{trajectory.pk}/bijeenkomsten/", workshop.get_absolute_url()):
        assert _current_tab(participant_client.get(url).content.decode()) == "Bijeenkomsten"


def test_the_participants_welcome_page_marks_welcome(participant_client, trajectory):
    page = participant_client.get(f"/t/{trajectory.pk}/welkom/").content.decode()
    assert _current_tab(page) == "Welkom"


def test_the_participants_health_page_marks_health(participant_client, trajectory):
    page = participant_client.get(f"/t/{trajectory.pk}/gezondheid/").content.decode()
    assert _current_tab(page) == "Gezondheid"


def test_a_report_page_marks_reports(facilitator_client, trajectory, facilitator):
    report = make_report(trajectory, requested_by=facilitator, audience="facilitator")
    page = facilitator_client.get(f"/t/{trajectory.pk}/rapportages/{report.pk}/").content.decode()
    assert _current_tab(page) == "Rapportages"


def test_no_tab_outside_a_trajectory(facilitator_client, trajectory):
    assert 'aria-current="page"' not in facilitator_client.get("/").content.decode()

"""The portfolio page: who may read it, what it shows, its signals and its fixed query count."""

import pytest
from django.utils import timezone

from organisations.coordination import KINDS
from organisations.selectors import portfolio
from tests import factories
from trajectories.models import Partner

from .conftest import MUNICIPALITY, OTHER, OTHER_MARKER, fill_trajectory, make_coordinator

pytestmark = pytest.mark.django_db


def test_coordinator_sees_every_trajectory_of_the_organisation(coordinator_client, municipality):
    second = factories.make_trajectory("Samen sterk in de wijk")
    fill_trajectory(second)
    html = coordinator_client.get(f"/organisaties/{municipality.pk}/").content.decode()
    assert "Samen sterk in de wijk" in html
    assert factories.DEMO_TRAJECTORY_NAME in html
    assert html.count('class="panel portfolio-trajectory"') == 2


def test_the_portfolio_shows_each_line_of_the_issue(coordinator_client, municipality, trajectory):
    response = coordinator_client.get(f"/organisaties/{municipality.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Verkenning",  # phase
        "Jeroen Bakker",  # representative, level and mandate
        "Eva Jansen",
        "Betaalbare woningen",  # own interest
        "Eén wijkloket",  # position waiting for the board
        "Begroting",  # overdue action
        "Tekort wijkbudget",  # a risk assigned to the organisation
        "Pulse 2",
    ]:
        assert text in html, text


def test_the_portfolio_raises_the_seven_signals_with_reasons(municipality, coordinator_client):
    partners = list(Partner.objects.filter(organisation=municipality).select_related("trajectory"))
    [row] = portfolio(partners)
    kinds = {signal.kind for signal in row.signals}
    assert kinds == set(KINDS)
    reasons = " ".join(signal.reason for signal in row.signals)
    assert "Eén wijkloket" in reasons and "Eva Jansen" in reasons and "Begroting" in reasons
    assert "Bezuiniging" in reasons
    html = coordinator_client.get(f"/organisaties/{municipality.pk}/").content.decode()
    assert "Geen bestuurder aan tafel" in html
    assert "zit aan tafel zonder vastgelegd mandaat" in html


def test_a_calm_trajectory_raises_no_signal(trajectory):
    own = factories.make_partner(trajectory, MUNICIPALITY)
    factories.make_participant(own, "Iemand", mandate="Beslist over het wijkbudget")
    [row] = portfolio([Partner.objects.select_related("trajectory").get(pk=own.pk)])
    assert row.signals == []


def test_the_portfolio_never_shows_another_partners_content(coordinator_client, municipality):
    html = coordinator_client.get(f"/organisaties/{municipality.pk}/").content.decode()
    assert OTHER_MARKER not in html
    assert OTHER not in html


def test_the_pulse_is_hidden_below_the_anonymity_floor(client, trajectory):
    own, _other = fill_trajectory(trajectory, pulses=0)
    from health.models import Answer, Pulse, Response
    from health.statements import STATEMENTS

    pulse = Pulse.objects.create(trajectory=trajectory, title="Kleine pulse", status="closed")
    for person in own.participants.all()[:2]:
        response = Response.objects.create(
            pulse=pulse, participant=person, partner=own, level=person.level
        )
        Answer.objects.bulk_create(
            Answer(response=response, statement=s.key, score=5) for s in STATEMENTS
        )
    client.force_login(make_coordinator(own.organisation, "klein"))
    html = client.get(f"/organisaties/{own.organisation_id}/").content.decode()
    assert "verborgen: minder dan 3 antwoorden" in html
    assert "5,0" not in html


def test_nobody_else_reads_the_portfolio(client, municipality, manager, other_trajectory):
    url = f"/organisaties/{municipality.pk}/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    for user in (manager, other_trajectory.facilitator, other_trajectory.manager):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    factories.login_participant(client, factories.make_participant(municipality.partners.first()))
    assert client.get(url).status_code in (302, 404)
    assert client.get("/organisaties/999999/").status_code in (302, 404)


def test_a_facilitator_sees_only_the_trajectories_they_facilitate(
    facilitator_client, municipality, trajectory
):
    elsewhere = factories.make_trajectory("Traject zonder deze begeleider")
    fill_trajectory(elsewhere)
    html = facilitator_client.get(f"/organisaties/{municipality.pk}/").content.decode()
    assert trajectory.name in html
    assert "Traject zonder deze begeleider" not in html
    assert "Portfoliorapportage bestellen" not in html  # the report is the coordinators'


def test_index_redirects_a_coordinator_of_one_organisation(coordinator_client, municipality):
    response = coordinator_client.get("/organisaties/")
    assert response.status_code == 302
    assert response["Location"] == f"/organisaties/{municipality.pk}/"


def test_home_sends_a_coordinator_without_trajectories_to_the_portfolio(coordinator_client):
    assert coordinator_client.get("/")["Location"] == "/organisaties/"


def test_index_lists_several_organisations(client, municipality, trajectory):
    other = Partner.objects.get(trajectory=trajectory, name=OTHER).organisation
    user = make_coordinator(municipality, "twee")
    from organisations.models import Coordinator

    Coordinator.objects.create(organisation=other, user=user)
    client.force_login(user)
    html = client.get("/organisaties/").content.decode()
    assert MUNICIPALITY in html and OTHER in html


def _grow(count):
    """`count` trajectories of one municipality, each full."""
    organisation = None
    for n in range(count):
        trajectory = factories.make_trajectory(f"Traject {n:02d}")
        own, _other = fill_trajectory(trajectory)
        organisation = own.organisation
    return organisation


def test_the_portfolio_costs_the_same_for_1_and_20_trajectories(client, django_assert_num_queries):
    one = _grow(1)
    client.force_login(make_coordinator(one, "een"))
    client.get(f"/organisaties/{one.pk}/")  # warm the session
    with django_assert_num_queries(15) as small:
        assert client.get(f"/organisaties/{one.pk}/").status_code == 200
    # Nineteen more trajectories of the same municipality (same name and kind).
    _grow(19)
    one.refresh_from_db()
    assert one.partners.count() == 20
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(f"/organisaties/{one.pk}/").content.decode()
    assert html.count('class="panel portfolio-trajectory"') == 20


def test_signals_use_today(trajectory):
    own, _other = fill_trajectory(trajectory)
    partner = Partner.objects.select_related("trajectory").get(pk=own.pk)
    long_ago = timezone.localdate().replace(year=2000)
    [row] = portfolio([partner], today=long_ago)
    assert "overdue_actions" not in {s.kind for s in row.signals}

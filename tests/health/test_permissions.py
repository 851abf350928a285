"""Every health route: strangers to the login page, outsiders 404, a wrong role 403, the rightful
user through."""

import pytest
from django.utils import timezone

from health.models import InterimChange, Pulse, Risk, Stakeholder
from tests import factories
from workshops.models import AgendaItem, Workshop

from .helpers import form_data, make_risk

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(trajectory, partner):
    pulse = Pulse.objects.create(trajectory=trajectory, title="Peiling", status=Pulse.Status.OPEN)
    change = InterimChange.objects.create(
        trajectory=trajectory,
        kind="budget_cuts",
        title="Bezuiniging",
        occurred_on=timezone.localdate(),
    )
    risk = Risk.objects.create(
        trajectory=trajectory,
        category="financial",
        title="Tekort",
        likelihood=3,
        impact=3,
        review_on=timezone.localdate(),
    )
    stakeholder = Stakeholder.objects.create(trajectory=trajectory, name="Raad")
    workshop = Workshop.objects.create(
        trajectory=trajectory, title="Bijeenkomst", starts_at=timezone.now()
    )
    item = AgendaItem.objects.create(
        workshop=workshop, kind=AgendaItem.Kind.PULSE, title="Peiling live"
    )
    return {
        "pulse": pulse,
        "change": change,
        "risk": risk,
        "stakeholder": stakeholder,
        "item": item,
    }


def routes(t, o):
    """(method, url, data, roles that may use it)."""
    base = f"/t/{t.pk}/gezondheid"
    p = o["pulse"].pk
    members = {"facilitator", "manager"}
    fac = {"facilitator"}
    return [
        ("get", f"{base}/", None, {"facilitator", "manager", "participant"}),
        ("post", f"{base}/pulsen/nieuw/", {"title": "Nieuwe"}, fac),
        ("get", f"{base}/pulsen/{p}/", None, members),
        ("post", f"{base}/pulsen/{p}/status/", {"action": "close"}, fac),
        ("get", f"{base}/pulsen/{p}/invullen/", None, {"participant"}),
        ("post", f"{base}/pulsen/{p}/invullen/", form_data(), {"participant"}),
        ("post", f"{base}/pulsen/{p}/bevindingen/sham/", {"status": "confirmed", "note": ""}, fac),
        ("post", f"{base}/agendapunt/{o['item'].pk}/puls/", {"action": "open"}, fac),
        ("get", f"{base}/veranderingen/", None, members),
        ("get", f"{base}/veranderingen/nieuw/", None, fac),
        ("get", f"{base}/veranderingen/{o['change'].pk}/", None, fac),
        ("get", f"{base}/risicos/", None, members),
        ("get", f"{base}/risicos/nieuw/", None, fac),
        ("get", f"{base}/risicos/{o['risk'].pk}/", None, fac),
        ("get", f"{base}/krachtenveld/", None, members),
        ("get", f"{base}/krachtenveld/nieuw/", None, fac),
        ("get", f"{base}/krachtenveld/{o['stakeholder'].pk}/", None, fac),
        (
            "post",
            f"{base}/veranderingen/{o['change'].pk}/vervolg/",
            {"follow_up_status": "done"},
            fac,
        ),
        ("post", f"{base}/veranderingen/{o['change'].pk}/verwijderen/", {}, fac),
        ("post", f"{base}/risicos/{o['risk'].pk}/verwijderen/", {}, fac),
        ("post", f"{base}/krachtenveld/{o['stakeholder'].pk}/verwijderen/", {}, fac),
    ]


def _call(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data or {})


def test_strangers_are_sent_to_the_login_page(client, trajectory, objects):
    for method, url, data, _roles in routes(trajectory, objects):
        response = _call(client, method, url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_facilitator_of_another_trajectory_gets_404(
    client, trajectory, objects, other_trajectory
):
    client.force_login(other_trajectory.facilitator)
    for method, url, data, _roles in routes(trajectory, objects):
        assert _call(client, method, url, data).status_code == 404, url


def test_a_participant_of_another_trajectory_gets_404(
    client, trajectory, objects, other_trajectory
):
    factories.login_participant(client, other_trajectory.participant)
    for method, url, data, _roles in routes(trajectory, objects):
        assert _call(client, method, url, data).status_code == 404, url


@pytest.mark.parametrize("role", ["facilitator", "manager", "participant"])
def test_each_role_may_use_exactly_its_routes(
    client, trajectory, objects, role, facilitator, manager, participant
):
    if role == "participant":
        factories.login_participant(client, participant)
    else:
        client.force_login(facilitator if role == "facilitator" else manager)
    for method, url, data, roles in routes(trajectory, objects):
        status = _call(client, method, url, data).status_code
        if role in roles:
            assert status in (200, 302), (url, status)
        else:
            assert status == 403, (url, status)


def test_ids_of_another_trajectory_give_404(facilitator_client, trajectory, other_trajectory):
    pulse = Pulse.objects.create(
        trajectory=other_trajectory, title="Elders", status=Pulse.Status.OPEN
    )
    risk = Risk.objects.create(
        trajectory=other_trajectory,
        category="policy",
        title="Elders",
        likelihood=1,
        impact=1,
        review_on=timezone.localdate(),
    )
    change = InterimChange.objects.create(
        trajectory=other_trajectory, kind="other", title="Elders", occurred_on=timezone.localdate()
    )
    stakeholder = Stakeholder.objects.create(trajectory=other_trajectory, name="Elders")
    workshop = Workshop.objects.create(
        trajectory=other_trajectory, title="Elders", starts_at=timezone.now()
    )
    item = AgendaItem.objects.create(workshop=workshop, kind=AgendaItem.Kind.PULSE, title="Elders")
    base = f"/t/{trajectory.pk}/gezondheid"
    assert facilitator_client.get(f"{base}/pulsen/{pulse.pk}/").status_code == 404
    assert (
        facilitator_client.post(
            f"{base}/pulsen/{pulse.pk}/status/", {"action": "close"}
        ).status_code
        == 404
    )
    assert (
        facilitator_client.post(
            f"{base}/pulsen/{pulse.pk}/bevindingen/sham/", {"status": "confirmed"}
        ).status_code
        == 404
    )
    assert facilitator_client.get(f"{base}/risicos/{risk.pk}/").status_code == 404
    assert facilitator_client.post(f"{base}/risicos/{risk.pk}/", {"title": "x"}).status_code == 404
    assert facilitator_client.get(f"{base}/veranderingen/{change.pk}/").status_code == 404
    assert facilitator_client.get(f"{base}/krachtenveld/{stakeholder.pk}/").status_code == 404
    assert facilitator_client.post(f"{base}/risicos/{risk.pk}/verwijderen/").status_code == 404
    assert (
        facilitator_client.post(f"{base}/veranderingen/{change.pk}/verwijderen/").status_code == 404
    )
    assert (
        facilitator_client.post(
            f"{base}/veranderingen/{change.pk}/vervolg/", {"follow_up_status": "done"}
        ).status_code
        == 404
    )
    assert (
        facilitator_client.post(f"{base}/krachtenveld/{stakeholder.pk}/verwijderen/").status_code
        == 404
    )
    assert (
        Risk.objects.filter(pk=risk.pk).exists()
        and Stakeholder.objects.filter(pk=stakeholder.pk).exists()
    )
    assert (
        facilitator_client.post(
            f"{base}/agendapunt/{item.pk}/puls/", {"action": "open"}
        ).status_code
        == 404
    )
    pulse.refresh_from_db()
    assert pulse.is_open
    assert not Pulse.objects.filter(agenda_item=item).exists()


def test_a_participant_cannot_answer_another_trajectorys_pulse(
    participant_client, trajectory, other_trajectory
):
    pulse = Pulse.objects.create(
        trajectory=other_trajectory, title="Elders", status=Pulse.Status.OPEN
    )
    response = participant_client.post(
        f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/invullen/", form_data()
    )
    assert response.status_code == 404
    assert not pulse.responses.exists()


def test_an_unknown_finding_gives_404(facilitator_client, trajectory):
    pulse = Pulse.objects.create(trajectory=trajectory, title="P")
    url = f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/bevindingen/nonsense/"
    assert facilitator_client.post(url, {"status": "confirmed"}).status_code == 404


def test_an_agenda_item_of_another_kind_is_no_pulse(facilitator_client, trajectory):
    workshop = Workshop.objects.create(trajectory=trajectory, title="B", starts_at=timezone.now())
    item = AgendaItem.objects.create(
        workshop=workshop, kind=AgendaItem.Kind.CHECK_IN, title="Check-in"
    )
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/gezondheid/agendapunt/{item.pk}/puls/", {"action": "open"}
    )
    assert response.status_code == 404


def test_removing_an_unknown_id_answers_as_for_another_trajectorys_id(
    facilitator_client, trajectory, other_trajectory
):
    elsewhere = make_risk(other_trajectory, title="Elders")
    base = f"/t/{trajectory.pk}/gezondheid/risicos"
    unknown = facilitator_client.post(f"{base}/{elsewhere.pk + 1000}/verwijderen/")
    foreign = facilitator_client.post(f"{base}/{elsewhere.pk}/verwijderen/")

    assert unknown.status_code == foreign.status_code == 404
    assert Risk.objects.filter(pk=elsewhere.pk).exists()

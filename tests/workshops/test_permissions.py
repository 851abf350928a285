"""Every workshops route against every kind of visitor."""

import pytest

from tests import factories
from tests.workshops.conftest import add_item, make_workshop
from workshops.models import AgendaItem, Contribution

pytestmark = pytest.mark.django_db

F, M, P = "facilitator", "manager", "participant"


def _routes(w, item, option, note):
    t = w.trajectory_id
    base = f"/t/{t}/bijeenkomsten"
    return [
        ("get", f"{base}/", {F, M, P}, {}),
        ("get", f"{base}/nieuw/", {F}, {}),
        (
            "post",
            f"{base}/nieuw/",
            {F},
            {"title": "X", "starts_at": "2030-01-01T10:00", "place": "Hier"},
        ),
        ("get", f"{base}/{w.pk}/", {F, M, P}, {}),
        ("get", f"{base}/{w.pk}/bewerken/", {F}, {}),
        (
            "post",
            f"{base}/{w.pk}/agenda/toevoegen/",
            {F},
            {
                "new-kind": "check_in",
                "new-title": "Extra",
                "new-timebox_minutes": 5,
                "new-dots_per_participant": 3,
            },
        ),
        ("post", f"{base}/{w.pk}/agenda/kopieren/", {F}, {}),
        ("get", f"{base}/{w.pk}/agenda/{item.pk}/", {F}, {}),
        ("post", f"{base}/{w.pk}/agenda/{item.pk}/verplaatsen/", {F}, {"direction": "up"}),
        ("post", f"{base}/{w.pk}/agenda/{option.item_id}/opties/", {F}, {"label": "Nieuw"}),
        ("post", f"{base}/{w.pk}/agenda/{option.item_id}/opties/{option.pk}/verwijderen/", {F}, {}),
        ("post", f"{base}/{w.pk}/aanwezigheid/", {F}, {}),
        ("get", f"{base}/{w.pk}/regie/", {F}, {}),
        ("post", f"{base}/{w.pk}/regie/timer-start/", {F}, {}),
        ("post", f"{base}/{w.pk}/bijdragen/{note.pk}/", {F}, {"status": "hidden"}),
        ("post", f"{base}/{w.pk}/afspraken/", {F}, {"agreement-text": "Afspraak"}),
        ("post", f"{base}/{w.pk}/acties/", {F}, {"action-title": "Actie"}),
        ("get", f"{base}/{w.pk}/scherm/", {F, M}, {}),
        ("get", f"{base}/{w.pk}/qr.svg", {F, M}, {}),
        ("get", f"{base}/{w.pk}/live/", {P}, {}),
        ("post", f"{base}/{w.pk}/live/bijdrage/", {P}, {"text": "Hallo", "item": item.pk}),
        ("post", f"{base}/{w.pk}/live/stip/", {P}, {"option": option.pk}),
        ("post", f"{base}/{w.pk}/live/hier/", {P}, {}),
        ("post", f"{base}/{w.pk}/agenda/{item.pk}/verwijderen/", {F}, {}),
    ]


@pytest.fixture
def setup(live_workshop, participant):
    item = live_workshop.items.get(kind=AgendaItem.Kind.CHECK_IN)
    option = live_workshop.items.get(kind=AgendaItem.Kind.DOT_VOTING).options.first()
    note = Contribution.objects.create(
        item=item, participant=participant, partner=participant.partner, text="Eerste"
    )
    return live_workshop, item, option, note


def _call(client, method, url, data):
    return getattr(client, method)(url, data)


def test_strangers_are_sent_to_login(client, setup):
    for method, url, _roles, data in _routes(*setup):
        response = _call(client, method, url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_facilitator_of_another_trajectory_gets_404(client, setup, other_trajectory):
    client.force_login(other_trajectory.facilitator)
    for method, url, _roles, data in _routes(*setup):
        assert _call(client, method, url, data).status_code == 404, url


def test_participant_of_another_trajectory_gets_404(client, setup, other_trajectory):
    factories.login_participant(client, other_trajectory.participant)
    for method, url, _roles, data in _routes(*setup):
        assert _call(client, method, url, data).status_code == 404, url


def test_manager_reads_but_never_changes(manager_client, setup):
    for method, url, roles, data in _routes(*setup):
        status = _call(manager_client, method, url, data).status_code
        assert status == (200 if M in roles else 403), url


def test_participant_only_reaches_their_own_screens(participant_client, setup):
    for method, url, roles, data in _routes(*setup):
        status = _call(participant_client, method, url, data).status_code
        if P in roles:
            assert status in (200, 204, 302), url
        else:
            assert status == 403, url


def test_facilitator_reaches_every_facilitator_route(facilitator_client, setup):
    for method, url, roles, data in _routes(*setup):
        status = _call(facilitator_client, method, url, data).status_code
        if F in roles:
            assert status in (200, 302, 422), url
        else:
            assert status == 403, url


def test_another_trajectorys_item_in_my_workshop_url_gives_404(
    facilitator_client, live_workshop, other_trajectory
):
    foreign = add_item(make_workshop(other_trajectory), AgendaItem.Kind.CHECK_IN, "Elders")
    base = f"/t/{live_workshop.trajectory_id}/bijeenkomsten/{live_workshop.pk}"
    assert facilitator_client.get(f"{base}/agenda/{foreign.pk}/").status_code == 404
    assert facilitator_client.post(f"{base}/agenda/{foreign.pk}/verwijderen/").status_code == 404
    assert AgendaItem.objects.filter(pk=foreign.pk).exists()
    assert facilitator_client.post(f"{base}/regie/goto/", {"item": foreign.pk}).status_code == 404


def test_a_workshop_of_another_trajectory_in_my_trajectory_url_gives_404(
    facilitator_client, trajectory, other_trajectory
):
    foreign = make_workshop(other_trajectory)
    assert (
        facilitator_client.get(f"/t/{trajectory.pk}/bijeenkomsten/{foreign.pk}/").status_code == 404
    )
    assert (
        facilitator_client.get(f"/t/{trajectory.pk}/bijeenkomsten/{foreign.pk}/regie/").status_code
        == 404
    )

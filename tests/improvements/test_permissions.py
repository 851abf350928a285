"""Every route against every kind of visitor: strangers, outsiders, a wrong role, the rightful
user."""

import pytest
from django.utils import timezone

from improvements.models import ImprovementKind
from improvements.selectors import kinds_for
from tests import factories
from tests.improvements.helpers import adopt, make_action, make_package, make_proposal, support_all
from trajectories.access import Viewer
from workshops.models import AgendaItem, Workshop

pytestmark = pytest.mark.django_db

F, M, P = "facilitator", "manager", "participant"
EVERYONE = {F, M, P}


@pytest.fixture
def world(trajectory, partner, participant, facilitator):
    proposal = make_proposal(trajectory, proposer_partner=partner)
    draft = make_package(trajectory, [proposal], title="Concept")
    support_all(make_proposal(trajectory, "Samen één wachtlijst"), [partner])
    adopted_proposal = make_proposal(trajectory, "Gezamenlijk woonbudget")
    support_all(adopted_proposal, [partner])
    adopted = adopt(make_package(trajectory, [adopted_proposal], title="Vastgesteld"), facilitator)
    kinds_for(trajectory)
    workshop = Workshop.objects.create(
        trajectory=trajectory, title="Werkbijeenkomst", starts_at=timezone.now(), status="live"
    )
    item = AgendaItem.objects.create(workshop=workshop, kind="proposals", title="Voorstellen")
    return {
        "t": trajectory.pk,
        "partner": partner.pk,
        "proposal": proposal.pk,
        "draft": draft.pk,
        "adopted": adopted.pk,
        "kind": ImprovementKind.objects.filter(trajectory=trajectory).first().pk,
        "action": make_action(trajectory, partner).pk,
        "item": item.pk,
    }


VALID_PROPOSAL = {"title": "Vaste contactpersoon", "effort": "small", "cost": "low"}
POSITION = {"stance": "supports", "mandate": "agreed", "text": "", "partner": "{partner}"}

ROUTES = [
    ("index", "get", "/t/{t}/verbeteringen/", None, EVERYONE),
    ("proposal_new", "get", "/t/{t}/verbeteringen/voorstellen/nieuw/", None, {F, P}),
    (
        "proposal_new_post",
        "post",
        "/t/{t}/verbeteringen/voorstellen/nieuw/",
        VALID_PROPOSAL,
        {F, P},
    ),
    ("proposal", "get", "/t/{t}/verbeteringen/voorstellen/{proposal}/", None, EVERYONE),
    ("proposal_edit", "get", "/t/{t}/verbeteringen/voorstellen/{proposal}/bewerken/", None, {F, P}),
    (
        "position_take",
        "post",
        "/t/{t}/verbeteringen/voorstellen/{proposal}/standpunt/",
        POSITION,
        {F, P},
    ),
    ("matrix", "get", "/t/{t}/verbeteringen/draagvlak/", None, EVERYONE),
    ("kinds", "get", "/t/{t}/verbeteringen/soorten/", None, {F}),
    ("kind_toggle", "post", "/t/{t}/verbeteringen/soorten/{kind}/archiveren/", {}, {F}),
    ("kind_rename", "post", "/t/{t}/verbeteringen/soorten/{kind}/naam/", {"name": "Veiliger"}, {F}),
    ("package_new", "get", "/t/{t}/verbeteringen/pakketten/nieuw/", None, {F}),
    ("package", "get", "/t/{t}/verbeteringen/pakketten/{draft}/", None, EVERYONE),
    ("package_adopted", "get", "/t/{t}/verbeteringen/pakketten/{adopted}/", None, EVERYONE),
    ("package_edit", "get", "/t/{t}/verbeteringen/pakketten/{draft}/bewerken/", None, {F}),
    (
        "package_adopt",
        "post",
        "/t/{t}/verbeteringen/pakketten/{draft}/vaststellen/",
        {"adopted_on": "2027-01-15"},
        {F},
    ),
    (
        "package_new_version",
        "post",
        "/t/{t}/verbeteringen/pakketten/{adopted}/nieuwe-versie/",
        {},
        {F},
    ),
    (
        "package_action_add",
        "post",
        "/t/{t}/verbeteringen/pakketten/{adopted}/acties/",
        {"title": "Brief aan de raad"},
        {F},
    ),
    ("followup", "get", "/t/{t}/verbeteringen/opvolging/", None, EVERYONE),
    (
        "action_status",
        "post",
        "/t/{t}/verbeteringen/opvolging/{action}/status/",
        {"status": "done"},
        {F, P},
    ),
    (
        "live_proposal_add",
        "post",
        "/t/{t}/verbeteringen/live/{item}/voorstel/",
        {"title": "Buddy per bewoner"},
        {F, P},
    ),
]
IDS = [route[0] for route in ROUTES]


def _call(client, method, url, data, world=None):
    if data and world:
        data = {k: v.format(**world) if isinstance(v, str) else v for k, v in data.items()}
    return getattr(client, method)(url, data) if method == "post" else client.get(url)


@pytest.mark.parametrize("name,method,url,data,allowed", ROUTES, ids=IDS)
def test_stranger_is_sent_to_login(client, world, name, method, url, data, allowed):
    response = _call(client, method, url.format(**world), data, world)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name,method,url,data,allowed", ROUTES, ids=IDS)
def test_facilitator_of_another_trajectory_gets_404(
    client, world, other_trajectory, name, method, url, data, allowed
):
    client.force_login(other_trajectory.facilitator)
    assert _call(client, method, url.format(**world), data, world).status_code == 404


@pytest.mark.parametrize("name,method,url,data,allowed", ROUTES, ids=IDS)
def test_participant_of_another_trajectory_gets_404(
    client, world, other_trajectory, name, method, url, data, allowed
):
    factories.login_participant(client, other_trajectory.participant)
    assert _call(client, method, url.format(**world), data, world).status_code == 404


@pytest.mark.parametrize("name,method,url,data,allowed", ROUTES, ids=IDS)
def test_each_role_gets_in_only_where_allowed(
    client, world, facilitator, manager, participant, name, method, url, data, allowed
):
    for role in (F, M, P):
        client.logout()
        if role == F:
            client.force_login(facilitator)
        elif role == M:
            client.force_login(manager)
        else:
            factories.login_participant(client, participant)
        response = _call(client, method, url.format(**world), data, world)
        if role in allowed:
            assert response.status_code in (200, 302), (role, response.status_code)
            if response.status_code == 302:
                assert not response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == 403, (role, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/t/{t}/verbeteringen/voorstellen/{proposal}/",
        "/t/{t}/verbeteringen/pakketten/{draft}/",
    ],
)
def test_another_trajectorys_ids_give_404_to_the_rightful_facilitator(
    client, trajectory, other_trajectory, url
):
    other_world = {
        "t": other_trajectory.pk,
        "proposal": make_proposal(other_trajectory).pk,
        "draft": make_package(other_trajectory, []).pk,
    }
    client.force_login(other_trajectory.facilitator)
    assert client.get(url.format(**other_world)).status_code == 200
    # The same ids under our own trajectory's URL: not found.
    mine = dict(other_world, t=trajectory.pk)
    factories_user = trajectory.memberships.get(role="facilitator").user
    client.force_login(factories_user)
    assert client.get(url.format(**mine)).status_code == 404


def test_another_trajectorys_action_and_position_posts_give_404(
    facilitator_client, trajectory, other_trajectory
):
    action = make_action(other_trajectory, other_trajectory.partners.first())
    proposal = make_proposal(other_trajectory)
    base = f"/t/{trajectory.pk}/verbeteringen"
    assert (
        facilitator_client.post(
            f"{base}/opvolging/{action.pk}/status/", {"status": "done"}
        ).status_code
        == 404
    )
    position = dict(POSITION, partner=other_trajectory.partners.first().pk)
    assert (
        facilitator_client.post(
            f"{base}/voorstellen/{proposal.pk}/standpunt/", position
        ).status_code
        == 404
    )
    action.refresh_from_db()
    assert action.status == "open"


def test_the_viewer_decides_who_may_edit_a_proposal_link_themes_and_update_an_action(
    trajectory, partner, participant, facilitator
):
    other = factories.make_partner(trajectory, "GGZ Oost")
    own_proposal = make_proposal(trajectory, proposer_partner=partner)
    other_proposal = make_proposal(trajectory, "Van een ander", proposer_partner=other)
    colleague = factories.make_participant(partner, "Joris")
    own_action = make_action(trajectory, title="Van een collega")
    own_action.owner_participant = colleague
    own_action.save()
    other_action = make_action(trajectory, other)

    as_participant = Viewer(trajectory=trajectory, role=P, participant=participant)
    as_facilitator = Viewer(trajectory=trajectory, role=F, user=facilitator)
    as_manager = Viewer(trajectory=trajectory, role=M, user=facilitator)
    assert as_participant.may_edit_proposal(own_proposal)
    assert not as_participant.may_edit_proposal(other_proposal)
    assert as_facilitator.may_edit_proposal(other_proposal)
    assert not as_manager.may_edit_proposal(own_proposal)
    assert as_participant.may_update_action(own_action)
    assert not as_participant.may_update_action(other_action)
    assert not as_manager.may_update_action(own_action)
    assert as_facilitator.may_link_unrevealed_themes
    assert not as_participant.may_link_unrevealed_themes
    assert [p.pk for p in as_participant.gain_partners([partner, other])] == [partner.pk]

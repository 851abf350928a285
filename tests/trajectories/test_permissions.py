"""Every trajectories URL against every kind of visitor.

Strangers go to the login page, outsiders (another trajectory's facilitator or participant) get
404, a wrong role gets 403, and the rightful user succeeds.
"""

import pytest
from django.urls import resolve

from tests import factories
from trajectories import urls

pytestmark = pytest.mark.django_db

F, M, P = "facilitator", "manager", "participant"

# (name, method, url, roles that may use it); hx-get is a GET sent by htmx
ROUTES = [
    ("overview", "get", "/t/{t}/", {F, M}),
    ("partners", "get", "/t/{t}/partners/", {F, M}),
    ("partner card", "hx-get", "/t/{t}/partners/{partner}/", {F, M}),
    ("participant row", "hx-get", "/t/{t}/vertegenwoordigers/{participant}/", {F, M}),
    ("settings", "get", "/t/{t}/instellingen/", {F}),
    ("settings save", "post", "/t/{t}/instellingen/", {F}),
    ("member add", "post", "/t/{t}/leden/toevoegen/", {F}),
    ("member remove page", "get", "/t/{t}/leden/{membership}/verwijderen/", {F}),
    ("member remove", "post", "/t/{t}/leden/{membership}/verwijderen/", {F}),
    ("partner new page", "get", "/t/{t}/partners/nieuw/", {F}),
    ("partner create", "post", "/t/{t}/partners/nieuw/", {F}),
    ("partner edit page", "get", "/t/{t}/partners/{partner}/bewerken/", {F}),
    ("partner edit", "post", "/t/{t}/partners/{partner}/bewerken/", {F}),
    ("partner remove page", "get", "/t/{t}/partners/{partner}/verwijderen/", {F}),
    ("partner remove", "post", "/t/{t}/partners/{partner}/verwijderen/", {F}),
    ("participant new page", "get", "/t/{t}/partners/{partner}/vertegenwoordigers/nieuw/", {F}),
    ("participant create", "post", "/t/{t}/partners/{partner}/vertegenwoordigers/nieuw/", {F}),
    ("participant edit page", "get", "/t/{t}/vertegenwoordigers/{participant}/bewerken/", {F}),
    ("participant edit", "post", "/t/{t}/vertegenwoordigers/{participant}/bewerken/", {F}),
    ("participant remove page", "get", "/t/{t}/vertegenwoordigers/{participant}/verwijderen/", {F}),
    ("participant remove", "post", "/t/{t}/vertegenwoordigers/{participant}/verwijderen/", {F}),
    ("invite issue", "post", "/t/{t}/vertegenwoordigers/{participant}/uitnodiging/", {F}),
    (
        "invite revoke",
        "post",
        "/t/{t}/vertegenwoordigers/{participant}/uitnodiging/intrekken/",
        {F},
    ),
    ("invite mail", "post", "/t/{t}/vertegenwoordigers/{participant}/uitnodiging/mailen/", {F}),
    ("invite qr", "post", "/t/{t}/vertegenwoordigers/{participant}/uitnodiging/qr/", {F}),
    ("welcome", "get", "/t/{t}/welkom/", {P}),
    ("delete page", "get", "/t/{t}/verwijderen/", {F}),
    ("my data", "get", "/t/{t}/mijn-gegevens/", {P}),
    ("my settings", "get", "/t/{t}/mijn-instellingen/", {P}),
    ("my settings save", "post", "/t/{t}/mijn-instellingen/", {P}),
    ("removal request", "post", "/t/{t}/mijn-gegevens/verwijderverzoek/", {P}),
    ("erase page", "get", "/t/{t}/vertegenwoordigers/{participant}/wissen/", {F}),
    ("erase", "post", "/t/{t}/vertegenwoordigers/{participant}/wissen/", {F}),
]
IDS = [route[0] for route in ROUTES]


@pytest.fixture
def world(trajectory, partner, participant, facilitator, manager, other_trajectory):
    participant.email = "anouk@example.org"
    participant.save()
    extra = factories.make_user("second-manager")
    membership = trajectory.memberships.create(user=extra, role="manager")
    return {
        "t": trajectory.pk,
        "partner": partner.pk,
        "participant": participant.pk,
        "membership": membership.pk,
        "objects": {"participant": participant, "other": other_trajectory},
        "facilitator": facilitator,
        "manager": manager,
    }


def _request(client, method, url):
    if method == "hx-get":  # fragments answered only to htmx; browsers get a redirect
        return client.get(url, headers={"HX-Request": "true"})
    return getattr(client, method)(url)


@pytest.mark.parametrize("name,method,url,roles", ROUTES, ids=IDS)
def test_stranger_is_sent_to_login(client, world, name, method, url, roles):
    response = _request(client, method, url.format(**world))
    if method == "hx-get":  # htmx gets told to load the login page as a whole page
        assert response["HX-Redirect"].startswith("/accounts/login/")
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name,method,url,roles", ROUTES, ids=IDS)
def test_facilitator_of_another_trajectory_gets_404(client, world, name, method, url, roles):
    client.force_login(world["objects"]["other"].facilitator)
    assert _request(client, method, url.format(**world)).status_code == 404


@pytest.mark.parametrize("name,method,url,roles", ROUTES, ids=IDS)
def test_participant_of_another_trajectory_gets_404(client, world, name, method, url, roles):
    factories.login_participant(client, world["objects"]["other"].participant)
    assert _request(client, method, url.format(**world)).status_code == 404


@pytest.mark.parametrize("name,method,url,roles", ROUTES, ids=IDS)
def test_manager_reads_but_never_changes(client, world, name, method, url, roles):
    client.force_login(world["manager"])
    status = _request(client, method, url.format(**world)).status_code
    assert status == (200 if M in roles else 403)


# Pages a participant is sent on from, to the participant's own version of them.
PARTICIPANT_REDIRECTS = {"overview": "/t/{t}/welkom/"}


@pytest.mark.parametrize("name,method,url,roles", ROUTES, ids=IDS)
def test_participant_sees_only_the_participant_pages(client, world, name, method, url, roles):
    factories.login_participant(client, world["objects"]["participant"])
    response = _request(client, method, url.format(**world))
    if name in PARTICIPANT_REDIRECTS:
        assert response.status_code == 302
        assert response["Location"] == PARTICIPANT_REDIRECTS[name].format(**world)
    else:
        assert response.status_code == (200 if P in roles else 403)


@pytest.mark.parametrize("name,method,url,roles", ROUTES, ids=IDS)
def test_rightful_user_succeeds(client, world, name, method, url, roles):
    if F in roles:
        client.force_login(world["facilitator"])
    elif M in roles:
        client.force_login(world["manager"])
    else:
        factories.login_participant(client, world["objects"]["participant"])
    status = _request(client, method, url.format(**world)).status_code
    # 422: let in, and shown the form back because the empty post has errors to correct.
    assert status in (200, 302, 422), status


def test_another_trajectorys_ids_in_my_urls_give_404(
    facilitator_client, trajectory, other_trajectory
):
    other_partner = other_trajectory.partners.get()
    other_participant = other_trajectory.participant
    other_membership = other_trajectory.memberships.first()
    t = trajectory.pk
    for method, url in [
        ("get", f"/t/{t}/partners/{other_partner.pk}/bewerken/"),
        ("post", f"/t/{t}/partners/{other_partner.pk}/verwijderen/"),
        ("post", f"/t/{t}/partners/{other_partner.pk}/vertegenwoordigers/nieuw/"),
        ("get", f"/t/{t}/vertegenwoordigers/{other_participant.pk}/bewerken/"),
        ("post", f"/t/{t}/vertegenwoordigers/{other_participant.pk}/verwijderen/"),
        ("post", f"/t/{t}/vertegenwoordigers/{other_participant.pk}/uitnodiging/"),
        ("post", f"/t/{t}/leden/{other_membership.pk}/verwijderen/"),
    ]:
        assert _request(facilitator_client, method, url).status_code == 404, url
    assert other_trajectory.partners.count() == 1
    assert not other_participant.invite_links.exists()


def test_home_lists_only_my_trajectories(facilitator_client, trajectory, other_trajectory):
    page = facilitator_client.get("/").content.decode()
    assert trajectory.name in page
    assert other_trajectory.name not in page


def test_only_who_may_start_trajectories_opens_the_new_trajectory_page(
    client, facilitator, manager, db
):
    assert client.get("/t/nieuw/").status_code == 302
    client.force_login(manager)
    assert client.get("/t/nieuw/").status_code == 403
    client.force_login(facilitator)
    assert client.get("/t/nieuw/").status_code == 200


# Outside /t/: their expected answers are pinned in tests/test_permission_matrix.py (MAIL_ROUTES).
PUBLIC = {
    "invite_open",
    "participant_leave",
    "create",
    "healthz",
    "sign_in",
    "lost_link",
    "lost_link_sent",
    "unsubscribe",
    "account_settings",
}


def test_the_matrix_covers_every_trajectories_url():
    covered = {
        resolve(url.format(t=1, partner=1, participant=1, membership=1)).url_name
        for _name, _method, url, _roles in ROUTES
    }
    every = {pattern.name for pattern in urls.urlpatterns}
    assert every - PUBLIC == covered, "add new trajectories URLs to ROUTES"

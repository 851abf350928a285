"""Every route against every kind of visitor: stranger, outsiders, manager, participant,
facilitator."""

import pytest

from interests import services
from interests.models import Fact, InterestLink
from tests import factories

from .conftest import make_interest

pytestmark = pytest.mark.django_db

FAC, MAN, PART = "facilitator", "manager", "participant"


@pytest.fixture
def world(trajectory, secrets_round, participant, other_participant, facilitator):

    fact = Fact.objects.create(trajectory=trajectory, question="Hoeveel woningen?")
    link = services.link_create(
        first=secrets_round.own,
        second=secrets_round.anon,
        kind="compatible",
        note="",
        by=facilitator,
    )
    second_theme = services.theme_create(round=secrets_round, name="Zorg", by=facilitator)
    return {
        "t": trajectory.pk,
        "r": secrets_round.pk,
        "i": secrets_round.own.pk,
        "th": secrets_round.theme.pk,
        "th2": second_theme.pk,
        "f": fact.pk,
        "l": link.pk,
    }


# (method, url template, roles allowed, data)
ROUTES = [
    ("get", "/t/{t}/belangen/", (FAC, MAN, PART), None),
    ("get", "/t/{t}/belangen/rondes/{r}/", (FAC, MAN, PART), None),
    ("get", "/t/{t}/belangen/kaart/", (FAC, MAN, PART), None),
    ("get", "/t/{t}/belangen/rondes/{r}/export.csv", (FAC, MAN, PART), None),
    ("get", "/t/{t}/belangen/rondes/{r}/export.xlsx", (FAC, MAN, PART), None),
    ("get", "/t/{t}/belangen/feiten/", (FAC, MAN, PART), None),
    ("get", "/t/{t}/belangen/feiten/nieuw/", (FAC,), None),
    ("get", "/t/{t}/belangen/feiten/{f}/", (FAC,), None),
    ("get", "/t/{t}/belangen/rondes/{r}/themas/", (FAC,), None),
    ("get", "/t/{t}/belangen/belang/{i}/zichtbaarheid/", (FAC,), None),
    ("get", "/t/{t}/belangen/belang/{i}/", (PART,), None),
    (
        "post",
        "/t/{t}/belangen/rondes/nieuw/",
        (FAC,),
        {"title": "Nieuw", "phase": "design", "min_per_partner": 3},
    ),
    ("post", "/t/{t}/belangen/rondes/{r}/sluiten/", (FAC,), {}),
    ("post", "/t/{t}/belangen/rondes/{r}/openen/", (FAC,), {}),
    ("post", "/t/{t}/belangen/rondes/{r}/onthullen/", (FAC,), {}),
    (
        "post",
        "/t/{t}/belangen/rondes/{r}/belangen/nieuw/",
        (PART,),
        {"statement": "x", "weight": "must", "tier": "named"},
    ),
    ("post", "/t/{t}/belangen/rondes/{r}/themas/nieuw/", (FAC,), {"name": "Nieuw thema"}),
    ("post", "/t/{t}/belangen/themas/{th}/naam/", (FAC,), {"name": "Andere naam"}),
    (
        "post",
        "/t/{t}/belangen/themas/{th}/classificeren/",
        (FAC,),
        {"classification": "common", "rationale": ""},
    ),
    ("post", "/t/{t}/belangen/themas/{th2}/samenvoegen/", (FAC,), {"into": "{th}"}),
    ("post", "/t/{t}/belangen/belang/{i}/verplaatsen/", (FAC,), {"theme": "{th}"}),
    (
        "post",
        "/t/{t}/belangen/rondes/{r}/koppelingen/nieuw/",
        (FAC,),
        {"first": "{i}", "second": "{i}", "kind": "compatible"},
    ),
    ("post", "/t/{t}/belangen/koppelingen/{l}/verwijderen/", (FAC,), {}),
    ("post", "/t/{t}/belangen/belang/{i}/verwijderen/", (PART,), {}),
]
IDS = [f"{m} {u}" for m, u, _r, _d in ROUTES]


def _call(client, method, url, data, world):
    url = url.format(**world)
    if method == "get":
        return client.get(url)
    return client.post(url, {k: str(v).format(**world) for k, v in (data or {}).items()})


@pytest.mark.parametrize("method,url,roles,data", ROUTES, ids=IDS)
def test_stranger_is_sent_to_login(client, world, method, url, roles, data):
    response = _call(client, method, url, data, world)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("method,url,roles,data", ROUTES, ids=IDS)
def test_facilitator_of_another_trajectory_gets_404(
    client, world, other_trajectory, method, url, roles, data
):
    client.force_login(other_trajectory.facilitator)
    assert _call(client, method, url, data, world).status_code == 404


@pytest.mark.parametrize("method,url,roles,data", ROUTES, ids=IDS)
def test_participant_of_another_trajectory_gets_404(
    client, world, other_trajectory, method, url, roles, data
):
    factories.login_participant(client, other_trajectory.participant)
    assert _call(client, method, url, data, world).status_code == 404


@pytest.mark.parametrize("method,url,roles,data", ROUTES, ids=IDS)
def test_manager_reads_but_never_writes(manager_client, world, method, url, roles, data):
    status = _call(manager_client, method, url, data, world).status_code
    assert status == (200 if MAN in roles else 403)


@pytest.mark.parametrize("method,url,roles,data", ROUTES, ids=IDS)
def test_participant_only_where_allowed(participant_client, world, method, url, roles, data):
    status = _call(participant_client, method, url, data, world).status_code
    if PART in roles:
        assert status in (
            200,
            302,
            409,
        )  # 409: the revealed round refuses new input, with a message
    else:
        assert status == 403


@pytest.mark.parametrize("method,url,roles,data", ROUTES, ids=IDS)
def test_facilitator_may_use_facilitator_routes(
    facilitator_client, world, method, url, roles, data
):
    status = _call(facilitator_client, method, url, data, world).status_code
    if FAC in roles:
        assert status in (
            200,
            302,
            422,
        )  # 422: linking an interest to itself is refused with a message
    else:
        assert status == 403


def test_ids_of_another_trajectory_give_404(
    facilitator_client, trajectory, secrets_round, other_trajectory, facilitator
):

    other_round = services.round_create(
        trajectory=other_trajectory, title="Elders", by=other_trajectory.facilitator
    )
    services.round_open(round=other_round, by=other_trajectory.facilitator)
    foreign = make_interest(other_round, other_trajectory.participant, "Elders")
    foreign_theme = services.theme_create(round=other_round, name="Elders", by=None)
    t = trajectory.pk
    assert facilitator_client.get(f"/t/{t}/belangen/rondes/{other_round.pk}/").status_code == 404
    assert (
        facilitator_client.get(f"/t/{t}/belangen/rondes/{other_round.pk}/export.csv").status_code
        == 404
    )
    assert (
        facilitator_client.get(f"/t/{t}/belangen/belang/{foreign.pk}/zichtbaarheid/").status_code
        == 404
    )
    assert (
        facilitator_client.post(
            f"/t/{t}/belangen/belang/{foreign.pk}/verplaatsen/", {"theme": secrets_round.theme.pk}
        ).status_code
        == 404
    )
    assert (
        facilitator_client.post(
            f"/t/{t}/belangen/belang/{secrets_round.own.pk}/verplaatsen/",
            {"theme": foreign_theme.pk},
        ).status_code
        == 404
    )
    assert (
        facilitator_client.post(
            f"/t/{t}/belangen/themas/{secrets_round.theme.pk}/samenvoegen/",
            {"into": foreign_theme.pk},
        ).status_code
        == 404
    )
    assert (
        facilitator_client.post(
            f"/t/{t}/belangen/rondes/{secrets_round.pk}/koppelingen/nieuw/",
            {"first": secrets_round.own.pk, "second": foreign.pk, "kind": "compatible"},
        ).status_code
        == 404
    )
    secrets_round.own.refresh_from_db()
    assert secrets_round.own.theme == secrets_round.theme
    assert not InterestLink.objects.exists()

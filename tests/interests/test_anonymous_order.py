"""Interests shared without a name stay untraceable wherever the room sees them.

The same interests, with the anonymous ones belonging to different partners, must come out in the
same order on every screen: if the order followed the real partner, each anonymous card would sit
next to its own partner's named cards.
"""

import re

import pytest
from django.test import Client

from interests.models import Interest, InterestRound
from tests import factories
from tests.workshops.conftest import add_item, make_workshop
from workshops import services as workshop_services
from workshops.models import AgendaItem

pytestmark = pytest.mark.django_db

PARTNERS = ("Aalsmeer Zorg", "Gemeente Midden", "Zuiderlicht Wonen")
ANONYMOUS = ("STMT-anon-rood", "STMT-anon-groen", "STMT-anon-blauw")
# Which partner (index into PARTNERS) shared each anonymous interest, in two different worlds.
WORLDS = ((0, 1, 2), (2, 0, 1))


def _world(owners):
    """A trajectory with a live workshop on a revealed round; returns clients per screen."""
    facilitator, manager = factories.make_user(), factories.make_user()
    trajectory = factories.make_trajectory(facilitator=facilitator, manager=manager)
    partners = [factories.make_partner(trajectory, name) for name in PARTNERS]
    viewer_partner = factories.make_partner(trajectory, "Toeschouwer")
    phone_owner = factories.make_participant(viewer_partner, "Tess")
    round = InterestRound.objects.create(
        trajectory=trajectory, title="Ronde", phase=trajectory.phase, status="revealed"
    )
    for index, partner in enumerate(partners):
        Interest.objects.create(
            round=round,
            partner=partner,
            statement=f"STMT-named-{index}",
            tier=Interest.Tier.NAMED,
            status=Interest.Status.SUBMITTED,
        )
    for statement, owner in zip(ANONYMOUS, owners, strict=True):
        Interest.objects.create(
            round=round,
            partner=partners[owner],
            statement=statement,
            tier=Interest.Tier.ANONYMOUS,
            status=Interest.Status.SUBMITTED,
        )
    workshop = make_workshop(trajectory)
    add_item(workshop, AgendaItem.Kind.INTERESTS_ROUND, "Belangen", interest_round=round)
    workshop_services.workshop_start(workshop=workshop)
    console, board, phone = Client(), Client(), Client()
    console.force_login(facilitator)
    board.force_login(manager)
    factories.login_participant(phone, phone_owner)
    live = f"/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/"
    interests = f"/t/{trajectory.pk}/belangen/"
    return {
        "projector": (console, f"{live}scherm/"),
        "phone": (phone, f"{live}live/"),
        "map_projector": (console, f"{interests}kaart/?ronde={round.pk}&groot=1"),
        "map_manager": (board, f"{interests}kaart/?ronde={round.pk}"),
        "export_manager": (board, f"{interests}rondes/{round.pk}/export.csv"),
        "round_manager": (board, f"{interests}rondes/{round.pk}/"),
    }


def _order(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return re.findall(r"STMT-[a-z]+-[a-z0-9]+", response.content.decode("utf-8-sig"))


@pytest.mark.parametrize(
    "screen",
    ["projector", "phone", "map_projector", "map_manager", "export_manager", "round_manager"],
)
def test_anonymous_interests_come_in_an_order_that_does_not_follow_their_partner(screen):
    orders = [_order(*_world(owners)[screen]) for owners in WORLDS]
    assert set(ANONYMOUS) <= set(orders[0])
    assert orders[0] == orders[1]


def test_live_screens_show_anonymous_interests_apart(client):
    console, url = _world(WORLDS[0])["projector"]
    html = console.get(url).content.decode()
    named_end = max(html.index(f"STMT-named-{n}") for n in range(len(PARTNERS)))
    assert all(html.index(statement) > named_end for statement in ANONYMOUS)
    assert 'id="anonymous-interests-heading"' in html

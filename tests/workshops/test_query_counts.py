"""Live fragments and lists cost the same number of queries with little or much data."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.workshops.conftest import add_item, make_workshop
from workshops import services
from workshops.live_render import shared_token
from workshops.models import AgendaItem

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _grow(workshop, trajectory, size):
    """Add `size` partners with two people each, their notes, dots, agreements and actions."""
    check_in = workshop.items.get(kind=AgendaItem.Kind.CHECK_IN)
    voting = workshop.items.get(kind=AgendaItem.Kind.DOT_VOTING)
    services.workshop_go(workshop=workshop, item=check_in)
    for n in range(size):
        partner = factories.make_partner(trajectory, f"Partner {workshop.pk}-{n}")
        for person in (factories.make_participant(partner), factories.make_participant(partner)):
            services.attendance_record(workshop=workshop, participant=person)
            services.contribution_add(item=check_in, participant=person, text=f"Notitie {n}")
        services.option_add(item=voting, label=f"Optie {n}")
        agreement = services.agreement_record(workshop=workshop, text=f"Afspraak {n}")
        services.action_item_record(
            workshop=workshop, title=f"Actie {n}", owner_partner=partner, agreement=agreement
        )


def _count(client, url, **kwargs):
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _counts_for(facilitator, size, kind):
    """Each size in its own trajectory, so the two measurements see the same shape of data."""
    trajectory = factories.make_trajectory(facilitator=facilitator)
    participant = factories.make_participant(factories.make_partner(trajectory, "Eigen partner"))
    earlier = _fresh_workshop(trajectory)
    services.workshop_close(workshop=earlier)
    workshop = services.workshop_start(workshop=_fresh_workshop(trajectory))
    _grow(workshop, trajectory, size)
    workshop = services.workshop_go(workshop=workshop, item=workshop.items.get(kind=kind))
    if kind == AgendaItem.Kind.DOT_VOTING:
        voting = workshop.items.get(kind=kind)
        for option in voting.options.all()[:3]:
            services.dot_place(item=voting, participant=participant, option=option)
        services.item_reveal(item=voting)
    base = f"/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/"
    facilitator_client = Client()
    facilitator_client.force_login(facilitator)
    phone = factories.login_participant(Client(), participant)
    return {
        "console": _count(facilitator_client, base + "regie/", headers=HX),
        "presence": _count(facilitator_client, base + "regie/?fragment=presence", headers=HX),
        "projector": _count(facilitator_client, base + "scherm/", headers=HX),
        "participant": _count(phone, base + "live/", headers=HX),
        "detail": _count(facilitator_client, base),
        "index": _count(facilitator_client, f"/t/{trajectory.pk}/bijeenkomsten/"),
        "participant_page": _count(phone, base + "live/"),
        "shared": _count(Client(), _shared_path(workshop, participant)),
    }


def _shared_path(workshop, participant):
    variant = f"partner-{participant.partner_id}"
    invite = participant.invite_links.usable().get().pk
    token = shared_token(workshop.live_key, variant, invite)
    return f"/live/{workshop.live_key}/s/{variant}/{invite}/{token}/nl/"


def _fresh_workshop(trajectory):
    workshop = make_workshop(trajectory)
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Check-in")
    add_item(workshop, AgendaItem.Kind.DOT_VOTING, "Stemmen")
    add_item(workshop, AgendaItem.Kind.CHECK_OUT, "Check-out")
    return workshop


@pytest.mark.parametrize("kind", [AgendaItem.Kind.CHECK_IN, AgendaItem.Kind.DOT_VOTING])
def test_live_fragments_do_not_grow_with_contributions_participants_and_dots(kind, facilitator):
    small = _counts_for(facilitator, 1, kind)
    large = _counts_for(facilitator, 12, kind)
    assert small == large


def test_a_cached_participant_fragment_costs_only_the_access_check(
    trajectory, participant, live_workshop, django_assert_max_num_queries
):
    phone = factories.login_participant(Client(), participant)
    url = f"/t/{trajectory.pk}/bijeenkomsten/{live_workshop.pk}/live/"
    phone.get(url, headers=HX)  # renders and caches this version
    with CaptureQueriesContext(connection) as ctx:
        phone.get(url, headers=HX)
    rendered_queries = [q["sql"] for q in ctx.captured_queries]
    assert not any("workshops_contribution" in sql for sql in rendered_queries)
    assert len(rendered_queries) <= 6

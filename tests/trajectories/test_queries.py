"""List pages cost the same number of queries for 1 partner as for 12."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


def _grow(trajectory, partners: int, start: int = 0):
    for n in range(start, start + partners):
        partner = factories.make_partner(trajectory, f"Organisatie {n:02d}")
        for level in ("board", "manager", "professional"):
            person = factories.make_participant(partner, f"Persoon {n}-{level}", level=level)
            factories.make_invite(person)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["/t/{t}/", "/t/{t}/partners/"])
def test_trajectory_pages_cost_the_same_for_1_and_12_partners(
    facilitator_client, trajectory, page, django_assert_num_queries
):
    url = page.format(t=trajectory.pk)
    _grow(trajectory, 1)
    small = _queries(facilitator_client, url)
    _grow(trajectory, 11, start=1)
    with django_assert_num_queries(small):
        response = facilitator_client.get(url)
    assert response.content.decode().count("Organisatie 1") >= 3  # the big set is on the page


def test_trajectory_list_costs_the_same_for_1_and_12_trajectories(
    client, facilitator, django_assert_num_queries
):
    client.force_login(facilitator)
    first = factories.make_trajectory("Traject 00", facilitator=facilitator)
    _grow(first, 1)
    small = _queries(client, "/")
    for n in range(1, 12):
        trajectory = factories.make_trajectory(f"Traject {n:02d}", facilitator=facilitator)
        _grow(trajectory, 1)
    with django_assert_num_queries(small):
        response = client.get("/")
    assert "Traject 11" in response.content.decode()


def test_welcome_page_costs_the_same_for_1_and_12_partners(
    client, trajectory, participant, django_assert_num_queries
):
    factories.login_participant(client, participant)
    url = f"/t/{trajectory.pk}/welkom/"
    small = _queries(client, url)
    _grow(trajectory, 12, start=1)
    with django_assert_num_queries(small):
        client.get(url)

"""The pages that list data take the same number of queries for 2 or 12 partners and 40
proposals."""

import pytest

from improvements import services
from improvements.selectors import kinds_for
from tests import factories
from tests.improvements.helpers import adopt, days, make_action, make_package, make_proposal

pytestmark = pytest.mark.django_db


def _fill(trajectory, partner_count, proposal_count, facilitator):
    partners = [
        factories.make_partner(trajectory, f"Organisatie {i:02d}") for i in range(partner_count)
    ]
    kinds = kinds_for(trajectory)
    proposals = []
    for n in range(proposal_count):
        proposal = make_proposal(
            trajectory,
            f"Voorstel {n}",
            proposer_partner=partners[n % partner_count],
            kinds=kinds[: 1 + n % 3],
            gains={p.pk: ("much" if (n + i) % 2 else "some", "") for i, p in enumerate(partners)},
        )
        for i, partner in enumerate(partners):
            stance = ["supports", "conditions", "objects", "undecided"][(n + i) % 4]
            services.position_take(
                proposal=proposal,
                partner=partner,
                stance=stance,
                text="Tekst" if stance in ("conditions", "objects") else "",
                mandate="board",
            )
        proposals.append(proposal)
    for n in range(proposal_count):
        make_action(
            trajectory,
            partners[n % partner_count],
            due=days(n - 10),
            status="done" if n % 5 == 0 else "open",
        )
    package = make_package(trajectory, proposals[:3])
    return partners, proposals, package


SMALL, LARGE = (2, 3), (12, 40)

PAGES = {
    "index": "/t/{t}/verbeteringen/",
    "matrix": "/t/{t}/verbeteringen/draagvlak/",
    "followup": "/t/{t}/verbeteringen/opvolging/",
    "package": "/t/{t}/verbeteringen/pakketten/{package}/",
    "proposal": "/t/{t}/verbeteringen/voorstellen/{proposal}/",
}
# The session comes from the cache (cached_db), so no query for it.
EXPECTED = {"index": 7, "matrix": 7, "followup": 5, "package": 8, "proposal": 11}


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["2 partners", "12 partners, 40 proposals"])
@pytest.mark.parametrize("page", ["index", "matrix", "followup", "package", "proposal"])
def test_page_query_count_is_flat(
    django_assert_num_queries, facilitator_client, trajectory, facilitator, size, page
):
    _partners, proposals, package = _fill(trajectory, *size, facilitator)
    url = PAGES[page].format(t=trajectory.pk, package=package.pk, proposal=proposals[0].pk)
    facilitator_client.get(url)  # the first visit may lay down the default kinds
    with django_assert_num_queries(EXPECTED[page]):
        response = facilitator_client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["2 partners", "12 partners, 40 proposals"])
def test_participant_pages_query_count_is_flat(
    django_assert_num_queries, client, trajectory, facilitator, size
):
    partners, _proposals, _package = _fill(trajectory, *size, facilitator)
    factories.login_participant(client, factories.make_participant(partners[0], "Noor"))
    for url, expected in (
        (f"/t/{trajectory.pk}/verbeteringen/", 6),
        (f"/t/{trajectory.pk}/verbeteringen/draagvlak/", 6),
        (f"/t/{trajectory.pk}/verbeteringen/opvolging/", 4),
    ):
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["2 partners", "12 partners, 40 proposals"])
def test_adopted_package_page_query_count_is_flat(
    django_assert_num_queries, facilitator_client, trajectory, facilitator, size
):
    partners, proposals, _package = _fill(trajectory, *size, facilitator)
    for proposal in proposals[:3]:
        for partner in partners:
            services.position_take(
                proposal=proposal, partner=partner, stance="supports", text="", mandate="agreed"
            )
    package = adopt(make_package(trajectory, proposals[:3], title="Vast"), facilitator)
    with django_assert_num_queries(6):
        assert facilitator_client.get(package.get_absolute_url()).status_code == 200

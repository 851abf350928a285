"""The proposal forms take the same number of queries for 2 partners and 3 interests as for
11 partners (10 more), 300 interests in 15 themes and 15 proposals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interests.models import Interest, InterestRound, Theme
from tests import factories
from tests.improvements.helpers import make_proposal

pytestmark = pytest.mark.django_db


def _fill(trajectory, *, partners, interests, themes, proposals):
    made = [
        factories.make_partner(trajectory, f"Organisatie {partners}.{n:02d}")
        for n in range(partners)
    ]
    round_ = InterestRound.objects.create(
        trajectory=trajectory, title=f"Ronde {partners}", phase="exploration", status="revealed"
    )
    theme_rows = [
        Theme.objects.create(trajectory=trajectory, round=round_, name=f"Thema {partners}.{n}")
        for n in range(themes)
    ]
    rows = Interest.objects.bulk_create(
        Interest(
            round=round_,
            partner=made[n % partners],
            statement=f"Belang {n}",
            tier=["named", "anonymous", "facilitator"][n % 3],
            status="submitted",
            theme=theme_rows[n % themes],
        )
        for n in range(interests)
    )
    first = None
    for n in range(proposals):
        proposal = make_proposal(
            trajectory,
            f"Voorstel {n}",
            proposer_partner=made[n % partners],
            gains={p.pk: ("some", "") for p in made},
        )
        proposal.interests.set(rows[n : n + 5])
        proposal.themes.set(theme_rows[:2])
        first = first or proposal
    return first


def _count(client, url):
    client.get(url)  # the first visit may lay down the default kinds
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["new", "edit"])
def test_proposal_form_query_count_does_not_grow_with_the_data(
    facilitator_client, trajectory, django_assert_num_queries, page
):
    def url(proposal):
        base = f"/t/{trajectory.pk}/verbeteringen/voorstellen/"
        return f"{base}nieuw/" if page == "new" else f"{base}{proposal.pk}/bewerken/"

    proposal = _fill(trajectory, partners=2, interests=3, themes=1, proposals=1)
    small = _count(facilitator_client, url(proposal))
    proposal = _fill(trajectory, partners=10, interests=300, themes=15, proposals=15)
    facilitator_client.get(url(proposal))
    with django_assert_num_queries(small):
        response = facilitator_client.get(url(proposal))
    assert response.status_code == 200

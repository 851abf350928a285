"""The intake page, the facilitator's round page and the map cost the same number of queries
with 2 partners and 3 interests as with 12 partners and 300 interests."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interests import services
from interests.models import Interest, Theme
from tests import factories

pytestmark = pytest.mark.django_db

WEIGHTS = itertools.cycle(Interest.Weight.values)
TIERS = itertools.cycle(Interest.Tier.values)
CLASSES = itertools.cycle(Theme.Classification.values)


def fill(trajectory, round, participant, *, partners, interests, prefix):
    """Add partners (the participant's own counts as one) and interests spread over them and
    themes."""
    all_partners = [participant.partner] + [
        factories.make_partner(trajectory, f"{prefix} partner {n:02d}", kind="care")
        for n in range(partners - 1)
    ]
    for partner in all_partners[1:]:
        factories.make_participant(partner)
    themes = [
        Theme.objects.create(
            trajectory=trajectory,
            round=round,
            name=f"{prefix} thema {n}",
            classification=next(CLASSES),
        )
        for n in range(max(1, interests // 40))
    ]
    Interest.objects.bulk_create(
        Interest(
            round=round,
            partner=all_partners[n % len(all_partners)],
            author=participant if n % len(all_partners) == 0 else None,
            last_edited_by=participant if n % len(all_partners) == 0 else None,
            statement=f"Belang {n}",
            weight=next(WEIGHTS),
            tier=next(TIERS),
            status="submitted" if n % 5 else "draft",
            theme=themes[n % len(themes)] if n % 3 else None,
        )
        for n in range(interests)
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "who,path",
    [
        ("participant", "/t/{t}/belangen/"),
        ("facilitator", "/t/{t}/belangen/"),
        ("facilitator", "/t/{t}/belangen/kaart/"),
        ("participant", "/t/{t}/belangen/kaart/"),
        ("manager", "/t/{t}/belangen/kaart/"),
        ("facilitator", "/t/{t}/belangen/rondes/{r}/themas/"),
        ("facilitator", "/t/{t}/belangen/rondes/{r}/export.csv"),
        ("facilitator", "/t/{t}/belangen/rondes/{r}/export.xlsx"),
        ("participant", "/t/{t}/belangen/rondes/{r}/export.xlsx"),
    ],
)
def test_query_count_does_not_grow_with_the_data(
    request, client, django_assert_num_queries, trajectory, participant, facilitator, who, path
):
    round = services.round_create(trajectory=trajectory, title="Ronde", by=facilitator)
    services.round_open(round=round, by=facilitator)
    if who == "participant":
        factories.login_participant(client, participant)
    else:
        client.force_login(request.getfixturevalue(who))
    url = path.format(t=trajectory.pk, r=round.pk)
    fill(trajectory, round, participant, partners=2, interests=3, prefix="Klein")
    client.get(url)  # warm up the session
    small = _count(client, url)

    Interest.objects.all().delete()
    Theme.objects.all().delete()
    fill(trajectory, round, participant, partners=11, interests=300, prefix="Groot")
    assert trajectory.partners.count() == 12 and Interest.objects.count() == 300
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.status_code == 200
    if path.endswith("/"):
        assert "Belang 299" in response.content.decode() or who != "facilitator"

"""The interests a proposal serves, in its form and on its page: the named ones by partner, the
anonymous ones apart and ordered by their own text, so their place never tells whose they are."""

import re

import pytest
from django.test import Client

from interests.models import Interest, InterestRound
from tests import factories
from tests.improvements.helpers import make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def interests(trajectory):
    """Two other partners, each with a named and an anonymous interest; the anonymous ones'
    texts sort the other way round from their partners' names."""
    round_ = InterestRound.objects.create(
        trajectory=trajectory, title="Ronde 1", phase="exploration", status="revealed"
    )
    aa = factories.make_partner(trajectory, "Aa Wonen")
    zz = factories.make_partner(trajectory, "Zz Zorg")

    def add(partner, statement, tier):
        return Interest.objects.create(
            round=round_, partner=partner, statement=statement, tier=tier, status="submitted"
        )

    return [
        add(aa, "NAMED-A betaalbare woningen", "named"),
        add(aa, "ANON-2 snelle doorstroom", "anonymous"),
        add(zz, "NAMED-Z begeleiding thuis", "named"),
        add(zz, "ANON-1 één dossier", "anonymous"),
    ]


def _order(html: str) -> list[str]:
    return re.findall(r"(NAMED-\w|ANON-\d)", html)


def test_the_proposal_form_lists_anonymous_interests_apart_by_their_text(
    trajectory, participant, interests
):
    client = factories.login_participant(Client(), participant)
    html = client.get(f"/t/{trajectory.pk}/verbeteringen/voorstellen/nieuw/").content.decode()
    assert _order(html) == ["NAMED-A", "NAMED-Z", "ANON-1", "ANON-2"]
    assert "(Aa Wonen)" in html and "(Zz Zorg)" in html


def test_the_proposal_page_lists_anonymous_interests_apart_by_their_text(
    trajectory, participant, interests
):
    proposal = make_proposal(trajectory)
    proposal.interests.set(interests)
    client = factories.login_participant(Client(), participant)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert _order(html) == ["NAMED-A", "NAMED-Z", "ANON-1", "ANON-2"]


def test_a_ticked_interest_stays_ticked_when_the_form_comes_back(
    trajectory, participant, interests
):
    client = factories.login_participant(Client(), participant)
    anonymous = interests[3]
    response = client.post(
        f"/t/{trajectory.pk}/verbeteringen/voorstellen/nieuw/",
        {"title": "", "effort": "small", "cost": "low", "interests": [anonymous.pk]},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert re.search(rf'value="{anonymous.pk}"[^>]*checked', html)

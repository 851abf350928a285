"""The theme board's selection bar: tick interests, then move them or link two of them.

The board carries one theme list for all interests (not one select per interest), so a large
round stays a small page."""

import pytest

from interests import services
from interests.models import Interest, InterestLink
from tests import factories

from .conftest import make_interest

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def board(open_round, participant, other_participant, facilitator):
    a = make_interest(open_round, participant, "Woningen voor uitstroom")
    b = make_interest(open_round, other_participant, "Spreiding over de wijk")
    c = make_interest(open_round, other_participant, "Begeleiding thuis")
    services.round_reveal(round=open_round, by=facilitator)
    wonen = services.theme_create(round=open_round, name="Wonen", by=facilitator)
    zorg = services.theme_create(round=open_round, name="Zorg", by=facilitator)
    return open_round, (a, b, c), (wonen, zorg)


def test_the_board_has_one_theme_list_and_a_labelled_checkbox_per_interest(
    facilitator_client, trajectory, board
):
    round, interests, themes = board
    html = facilitator_client.get(f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/")
    html = html.content.decode()
    assert html.count('name="theme"') == 1
    for interest in interests:
        assert f'id="pick-{interest.pk}" name="interests" value="{interest.pk}"' in html
        assert f'<label for="pick-{interest.pk}"' in html


def test_ticked_interests_move_together_and_back_out(facilitator_client, trajectory, board):
    round, (a, b, c), (wonen, _zorg) = board
    url = f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/verplaatsen/"
    response = facilitator_client.post(
        url, {"interests": [a.pk, b.pk], "theme": wonen.pk}, headers=HX
    )
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="board"')
    themes = dict(Interest.objects.values_list("pk", "theme_id"))
    assert (themes[a.pk], themes[b.pk], themes[c.pk]) == (wonen.pk, wonen.pk, None)
    response = facilitator_client.post(url, {"interests": [a.pk], "theme": ""})
    assert response.status_code == 302  # without JavaScript: back to the board
    a.refresh_from_db()
    assert a.theme is None


def test_moving_nothing_says_what_to_do(facilitator_client, trajectory, board):
    round, _interests, (wonen, _zorg) = board
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/verplaatsen/",
        {"theme": wonen.pk},
        headers=HX,
    )
    assert response.status_code == 422
    assert "message--error" in response.content.decode()
    # The refusal is about the selection: the new theme's name field is not marked invalid.
    assert 'id="new-theme-name"' in response.content.decode()
    assert 'aria-invalid="true"' not in response.content.decode()


def test_another_trajectorys_interest_or_theme_is_never_moved(
    facilitator_client, trajectory, board, other_trajectory
):
    round, (a, _b, _c), (wonen, _zorg) = board
    foreign_round = services.round_create(trajectory=other_trajectory, title="Ander", by=None)
    foreign_partner = factories.make_partner(other_trajectory, "Elders")
    foreign = Interest.objects.create(round=foreign_round, partner=foreign_partner, statement="X")
    foreign_theme = services.theme_create(round=foreign_round, name="Elders")
    url = f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/verplaatsen/"
    facilitator_client.post(url, {"interests": [foreign.pk, a.pk], "theme": wonen.pk})
    foreign.refresh_from_db()
    assert foreign.theme is None
    response = facilitator_client.post(url, {"interests": [a.pk], "theme": foreign_theme.pk})
    assert response.status_code == 404


def test_two_ticked_interests_are_linked(facilitator_client, trajectory, board):
    round, (a, b, c), _themes = board
    url = f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/koppelingen/nieuw/"
    response = facilitator_client.post(
        url, {"interests": [a.pk, c.pk, b.pk], "kind": "compatible"}, headers=HX
    )
    assert response.status_code == 422  # three ticked: which two?
    assert "message--error" in response.content.decode()
    response = facilitator_client.post(
        url, {"interests": [c.pk, a.pk], "kind": "conflicting", "note": "Botst"}, headers=HX
    )
    assert response.status_code == 200
    link = InterestLink.objects.get()
    assert {link.first_id, link.second_id} == {a.pk, c.pk}
    assert (link.kind, link.note) == ("conflicting", "Botst")


def test_the_round_page_rows_link_each_closed_interest_to_its_tier_page(
    facilitator_client, trajectory, open_round, participant, facilitator
):
    closed = make_interest(open_round, participant, "Alleen <voor> u", tier="facilitator")
    named = make_interest(open_round, participant, "Met naam", tier="named")
    html = facilitator_client.get(f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/")
    html = html.content.decode()
    assert f'href="/t/{trajectory.pk}/belangen/belang/{closed.pk}/zichtbaarheid/"' in html
    assert f"/belang/{named.pk}/zichtbaarheid/" not in html
    assert "Alleen &lt;voor&gt; u" in html and "<voor>" not in html

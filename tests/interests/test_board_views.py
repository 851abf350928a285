"""The board's move and undo through the views: the answer board.js swaps in (the touched
columns and what moved), the page without JavaScript, refusals, roles and query counts."""

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interests import services
from interests.models import Interest, InterestMove
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


def _move_url(trajectory, round):
    return f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/verplaatsen/"


def _undo_url(trajectory, move):
    return f"/t/{trajectory.pk}/belangen/themas/verplaatsingen/{move.pk}/ongedaan-maken/"


def _where(*interests):
    where = dict(Interest.objects.values_list("pk", "theme_id"))
    return tuple(where[i.pk] for i in interests)


def test_a_drag_gets_back_only_the_touched_columns_and_what_moved(
    facilitator_client, trajectory, board
):
    round, (a, b, c), (wonen, zorg) = board
    response = facilitator_client.post(
        _move_url(trajectory, round),
        {
            "interests": [a.pk, b.pk],
            "theme": wonen.pk,
            "shown": "none",
            "swap": "columns",
            "submission_key": uuid.uuid4(),
        },
        headers=HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div id="board"' not in html
    assert re.findall(r'<div class="board-column" id="column-(\w+)"', html) == [
        str(wonen.pk),
        "none",
    ]
    assert f'id="column-{zorg.pk}"' not in html
    assert "2 belangen verplaatst naar thema Wonen." in html
    assert '<div id="board-announce" hx-swap-oob="innerHTML">' in html
    move = InterestMove.objects.get()
    assert f'action="{_undo_url(trajectory, move)}"' in html
    assert "Ongedaan maken" in html
    assert _where(a, b, c) == (wonen.pk, wonen.pk, None)


def test_undo_puts_them_back_and_says_so(facilitator_client, trajectory, board):
    round, (a, b, _c), (wonen, zorg) = board
    services.interest_move(interest=a, theme=zorg)
    facilitator_client.post(
        _move_url(trajectory, round), {"interests": [a.pk, b.pk], "theme": wonen.pk}
    )
    move = InterestMove.objects.first()
    response = facilitator_client.post(
        _undo_url(trajectory, move), {"swap": "columns", "submission_key": uuid.uuid4()}, headers=HX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Verplaatsing ongedaan gemaakt: 2 belangen staan weer waar ze stonden." in html
    assert "data-board-undo" not in html  # an undo offers no undo of its own
    assert _where(a, b) == (zorg.pk, None)


def test_a_stale_undo_says_what_happened_and_changes_nothing(facilitator_client, trajectory, board):
    round, (a, _b, _c), (wonen, zorg) = board
    facilitator_client.post(_move_url(trajectory, round), {"interests": [a.pk], "theme": wonen.pk})
    move = InterestMove.objects.first()
    services.interests_move(  # a colleague moves it on
        round=round, interest_ids=[a.pk], theme=zorg, by=None, key=None
    )
    response = facilitator_client.post(_undo_url(trajectory, move), {"swap": "columns"}, headers=HX)
    assert response.status_code == 409
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"')  # the whole board, with the message
    assert "opnieuw verplaatst" in html and "message--error" in html
    assert response["HX-Retarget"] == "#board"
    assert _where(a) == (zorg.pk,)


def test_without_javascript_a_move_and_its_undo_come_back_to_the_board_saying_what_happened(
    facilitator_client, trajectory, board
):
    round, (a, _b, _c), (wonen, _zorg) = board
    board_url = f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/"
    page = facilitator_client.get(board_url).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    data = {"interests": [a.pk], "theme": wonen.pk, "submission_key": key}
    response = facilitator_client.post(_move_url(trajectory, round), data)
    move = InterestMove.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{board_url}?verplaatsing={move.pk}#board-undo"
    page = facilitator_client.get(response["Location"]).content.decode()
    assert "1 belang verplaatst naar thema Wonen." in page
    undo_key = re.search(
        r'data-board-undo>.*?name="submission_key" value="([^"]+)"', page, re.S
    ).group(1)
    # The same submit again (a double click): nothing moves twice, the same move is answered.
    again = facilitator_client.post(_move_url(trajectory, round), data)
    assert again["Location"] == response["Location"]
    response = facilitator_client.post(_undo_url(trajectory, move), {"submission_key": undo_key})
    assert response.status_code == 302
    page = facilitator_client.get(response["Location"]).content.decode()
    assert "Verplaatsing ongedaan gemaakt: 1 belang staat weer waar het stond." in page
    assert _where(a) == (None,)
    # The earlier link no longer offers an undo of a move already undone.
    page = facilitator_client.get(f"{board_url}?verplaatsing={move.pk}").content.decode()
    assert "data-board-undo" not in page


def test_another_trajectorys_move_cannot_be_undone_here(
    facilitator_client, trajectory, board, other_trajectory
):
    foreign_round = services.round_create(trajectory=other_trajectory, title="Ander", by=None)
    partner = factories.make_partner(other_trajectory, "Elders")
    foreign = Interest.objects.create(round=foreign_round, partner=partner, statement="X")
    theme = services.theme_create(round=foreign_round, name="Elders")
    move = services.interests_move(
        round=foreign_round, interest_ids=[foreign.pk], theme=theme, by=None, key=None
    )
    response = facilitator_client.post(_undo_url(trajectory, move), headers=HX)
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.theme == theme
    # Nor is it shown on this trajectory's board.
    round = board[0]
    page = facilitator_client.get(
        f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/?verplaatsing={move.pk}"
    )
    assert "data-board-undo" not in page.content.decode()


def test_only_the_facilitator_moves_or_undoes(
    manager_client, participant_client, facilitator, trajectory, board
):
    round, (a, _b, _c), (wonen, _zorg) = board
    move = services.interests_move(
        round=round, interest_ids=[a.pk], theme=wonen, by=facilitator, key=None
    )
    for client in (manager_client, participant_client):
        assert client.post(_undo_url(trajectory, move)).status_code == 403
        response = client.post(_move_url(trajectory, round), {"interests": [a.pk], "theme": ""})
        assert response.status_code == 403
    assert _where(a) == (wonen.pk,)


def test_a_move_takes_the_same_queries_for_one_or_thirty_interests(
    facilitator_client, trajectory, open_round, participant, facilitator
):
    interests = [make_interest(open_round, participant, f"Belang {n}") for n in range(31)]
    services.round_reveal(round=open_round, by=facilitator)
    wonen = services.theme_create(round=open_round, name="Wonen", by=facilitator)
    zorg = services.theme_create(round=open_round, name="Zorg", by=facilitator)
    counts = []
    # Drawn back: the target column and "not grouped" (first 1 + 30, then 30 + none).
    for moving, theme, drawn in ((interests[:1], wonen, 31), (interests[1:], zorg, 30)):
        data = {
            "interests": [i.pk for i in moving],
            "theme": theme.pk,
            "shown": "none",
            "swap": "columns",
            "submission_key": uuid.uuid4(),
        }
        with CaptureQueriesContext(connection) as queries:
            response = facilitator_client.post(_move_url(trajectory, open_round), data, headers=HX)
        assert response.status_code == 200
        assert response.content.decode().count('class="board-interest"') == drawn
        counts.append(len(queries))
    # The same queries for 1 and for 30 interests.
    assert counts[0] == counts[1] <= 18, counts

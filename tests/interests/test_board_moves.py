"""Moving interests between themes remembers where each came from, so a move can be undone:
the service rules (several at once, undo, a later move wins, other rounds' ids, double submits)."""

import uuid

import pytest

from interests import services
from interests.models import Interest, InterestMove
from tests import factories
from tests.concurrency import race

from .conftest import make_interest

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(open_round, participant, other_participant, facilitator):
    a = make_interest(open_round, participant, "Woningen voor uitstroom")
    b = make_interest(open_round, other_participant, "Spreiding over de wijk")
    c = make_interest(open_round, other_participant, "Begeleiding thuis")
    services.round_reveal(round=open_round, by=facilitator)
    wonen = services.theme_create(round=open_round, name="Wonen", by=facilitator)
    zorg = services.theme_create(round=open_round, name="Zorg", by=facilitator)
    return open_round, (a, b, c), (wonen, zorg)


def _themes(*interests):
    where = dict(Interest.objects.values_list("pk", "theme_id"))
    return tuple(where[i.pk] for i in interests)


def _move(round, interests, theme, by, key=None):
    return services.interests_move(
        round=round, interest_ids=[i.pk for i in interests], theme=theme, by=by, key=key
    )


def test_several_interests_move_at_once_and_the_move_remembers_where_each_came_from(
    board, facilitator
):
    round, (a, b, c), (wonen, zorg) = board
    _move(round, [a], zorg, facilitator)
    move = _move(round, [a, b, c], wonen, facilitator)
    assert _themes(a, b, c) == (wonen.pk, wonen.pk, wonen.pk)
    assert move.count == 3 and move.theme == wonen and move.by == facilitator
    came_from = {item.interest_id: item.from_theme_id for item in move.items.all()}
    assert came_from == {a.pk: zorg.pk, b.pk: None, c.pk: None}


def test_interests_already_in_the_theme_are_not_part_of_the_move(board, facilitator):
    round, (a, b, _c), (wonen, _zorg) = board
    _move(round, [a], wonen, facilitator)
    move = _move(round, [a, b], wonen, facilitator)
    assert move.count == 1
    assert [item.interest_id for item in move.items.all()] == [b.pk]


def test_undo_sends_each_interest_back_to_where_it_came_from(board, facilitator):
    round, (a, b, c), (wonen, zorg) = board
    _move(round, [a], zorg, facilitator)
    _move(round, [b], wonen, facilitator)
    move = _move(round, [a, b, c], wonen, facilitator)
    undo = services.interests_move_undo(move=move, by=facilitator, key=uuid.uuid4())
    assert _themes(a, b, c) == (zorg.pk, wonen.pk, None)
    assert undo.undo_of == move and undo.count == 2  # b was in Wonen already
    assert move.undone_by == undo


def test_an_undo_after_someone_else_moved_them_again_is_refused_and_changes_nothing(
    board, facilitator
):
    round, (a, b, _c), (wonen, zorg) = board
    colleague = factories.make_user("collega")
    move = _move(round, [a, b], wonen, facilitator)
    _move(round, [b], zorg, colleague)
    with pytest.raises(services.MovedSince, match="opnieuw verplaatst"):
        services.interests_move_undo(move=move, by=facilitator, key=uuid.uuid4())
    assert _themes(a, b) == (wonen.pk, zorg.pk)
    assert not InterestMove.objects.filter(undo_of=move).exists()


def test_an_undo_after_they_were_moved_away_and_back_is_refused_too(board, facilitator):
    round, (a, _b, _c), (wonen, zorg) = board
    move = _move(round, [a], wonen, facilitator)
    _move(round, [a], zorg, facilitator)
    _move(round, [a], wonen, facilitator)
    with pytest.raises(services.MovedSince):
        services.interests_move_undo(move=move, by=facilitator, key=uuid.uuid4())
    assert _themes(a) == (wonen.pk,)


def test_a_move_is_undone_once_and_a_repeated_undo_submit_returns_the_first(board, facilitator):
    round, (a, _b, _c), (wonen, _zorg) = board
    move = _move(round, [a], wonen, facilitator)
    key = uuid.uuid4()
    first = services.interests_move_undo(move=move, by=facilitator, key=key)
    again = services.interests_move_undo(move=move, by=facilitator, key=key)
    assert again.pk == first.pk
    with pytest.raises(services.MovedSince, match="al ongedaan gemaakt"):
        services.interests_move_undo(move=move, by=facilitator, key=uuid.uuid4())
    assert _themes(a) == (None,)
    assert InterestMove.objects.filter(undo_of=move).count() == 1


def test_a_double_submit_of_one_move_moves_once(board, facilitator):
    round, (a, b, _c), (wonen, zorg) = board
    key = uuid.uuid4()
    first = _move(round, [a, b], wonen, facilitator, key=key)
    # Someone moves b on before the second copy of the submit arrives: it must not pull b back.
    _move(round, [b], zorg, facilitator)
    again = _move(round, [a, b], wonen, facilitator, key=key)
    assert again.pk == first.pk and again.count == 2
    assert _themes(a, b) == (wonen.pk, zorg.pk)
    assert InterestMove.objects.filter(submission_key=key).count() == 1


def test_another_rounds_or_trajectorys_ids_are_refused(board, facilitator, other_trajectory):
    round, (a, _b, _c), (wonen, _zorg) = board
    foreign_round = services.round_create(trajectory=other_trajectory, title="Ander", by=None)
    foreign_partner = factories.make_partner(other_trajectory, "Elders")
    foreign = Interest.objects.create(round=foreign_round, partner=foreign_partner, statement="X")
    foreign_theme = services.theme_create(round=foreign_round, name="Elders")
    with pytest.raises(services.InterestsError):
        _move(round, [a], foreign_theme, facilitator)
    with pytest.raises(services.InterestsError):  # only a foreign id: nothing to move
        _move(round, [foreign], wonen, facilitator)
    move = _move(round, [a, foreign], wonen, facilitator)
    assert [item.interest_id for item in move.items.all()] == [a.pk]
    foreign.refresh_from_db()
    assert foreign.theme is None


def test_a_merge_keeps_the_moves_undoable_into_the_merged_theme(board, facilitator):
    round, (a, b, _c), (wonen, zorg) = board
    _move(round, [a], zorg, facilitator)
    move = _move(round, [a, b], wonen, facilitator)
    services.theme_merge(source=zorg, into=wonen)
    services.interests_move_undo(move=move, by=facilitator, key=uuid.uuid4())
    # a came from Zorg, which is now part of Wonen; b came from nowhere.
    assert _themes(a, b) == (wonen.pk, None)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_one_move_and_two_undos_act_once(postgres, board, facilitator):
    round, (a, b, _c), (wonen, _zorg) = board
    key = uuid.uuid4()

    def move():
        return _move(round, [a, b], wonen, facilitator, key=key)

    moves, errors = race([move, move])
    assert errors == []
    assert len({m.pk for m in moves}) == 1
    assert InterestMove.objects.filter(submission_key=key).count() == 1
    first = moves[0]

    def undo():
        return services.interests_move_undo(move=first, by=facilitator, key=uuid.uuid4())

    undos, errors = race([undo, undo])
    # Two different undo buttons (two tabs): one undoes, the other is told it already happened.
    assert len(undos) == 1 and len(errors) == 1
    assert isinstance(errors[0], services.MovedSince)
    assert _themes(a, b) == (None, None)

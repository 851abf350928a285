import pytest
from django.db import IntegrityError, transaction

from coconnect.stale import StaleEdit
from improvements import services
from improvements.models import Position, PositionChange
from tests import factories
from tests.improvements.helpers import make_proposal, take_position

pytestmark = pytest.mark.django_db


def test_database_allows_one_position_per_partner_per_proposal(trajectory, partner):
    proposal = make_proposal(trajectory)
    Position.objects.create(proposal=proposal, partner=partner, stance="supports", mandate="agreed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            proposal=proposal, partner=partner, stance="objects", text="Te duur", mandate="board"
        )
    assert Position.objects.filter(proposal=proposal, partner=partner).count() == 1


def test_database_refuses_an_objection_without_words(trajectory, partner):
    proposal = make_proposal(trajectory)
    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.create(
            proposal=proposal, partner=partner, stance="objects", mandate="board"
        )


def test_changing_a_position_keeps_its_history(trajectory, partner, participant, facilitator):
    proposal = make_proposal(trajectory)
    take_position(proposal, partner, "undecided", mandate="consult", participant=participant)
    take_position(
        proposal,
        partner,
        "conditions",
        mandate="board",
        text="Alleen met extra fte",
        user=facilitator,
    )
    position = Position.objects.get(proposal=proposal, partner=partner)
    assert (position.stance, position.version) == ("conditions", 2)
    changes = list(PositionChange.objects.filter(position=position).order_by("changed_at", "pk"))
    assert [c.stance for c in changes] == ["undecided", "conditions"]
    assert changes[0].changed_by_participant == participant
    assert participant.name in changes[0].changed_by_name
    assert changes[1].changed_by_user == facilitator
    assert changes[1].text == "Alleen met extra fte"


def test_saving_the_same_position_again_adds_no_history(trajectory, partner):
    proposal = make_proposal(trajectory)
    for _ in range(2):
        services.position_take(
            proposal=proposal, partner=partner, stance="supports", text="", mandate="agreed"
        )
    assert PositionChange.objects.count() == 1


def test_participant_cannot_take_position_of_another_partner_in_the_service(
    trajectory, participant
):
    other = factories.make_partner(trajectory, "Woonstichting De Linie")
    proposal = make_proposal(trajectory)
    with pytest.raises(PermissionError):
        services.position_take(
            proposal=proposal,
            partner=other,
            stance="supports",
            text="",
            mandate="agreed",
            participant=participant,
        )
    assert not Position.objects.exists()


def test_stale_version_is_refused(trajectory, partner):
    proposal = make_proposal(trajectory)
    services.position_take(
        proposal=proposal, partner=partner, stance="supports", text="", mandate="agreed"
    )
    services.position_take(
        proposal=proposal, partner=partner, stance="undecided", text="", mandate="consult"
    )
    with pytest.raises(StaleEdit):
        services.position_take(
            proposal=proposal,
            partner=partner,
            stance="objects",
            text="Nee",
            mandate="board",
            seen_version=1,
        )
    assert Position.objects.get().stance == "undecided"

"""A municipality in several trajectories, with data on every line of its portfolio."""

from datetime import timedelta

import pytest
from django.utils import timezone

from health.models import Answer, InterimChange, Pulse, Response, Risk
from health.statements import STATEMENTS
from improvements.models import ImprovementPackage, Mandate, Position, Proposal, Stance
from interests.models import Interest, InterestRound
from organisations.models import Coordinator
from tests import factories
from trajectories.models import Participant, Partner
from workshops.models import ActionItem

MUNICIPALITY = "Gemeente Rivierstad"
OTHER = "Woningcorporatie Zuiderlicht"
OTHER_MARKER = "ANDERE-PARTNER-MARKER-5d2e"


def make_coordinator(organisation, username="coordinator"):
    user = factories.make_user(username, first_name="Cor", last_name="Coördinator")
    Coordinator.objects.create(organisation=organisation, user=user)
    return user


def fill_trajectory(trajectory, *, name=MUNICIPALITY, pulses=2, today=None):
    """The municipality and another partner in `trajectory`, with something on every line:
    a position waiting for the board in a package, an objection in that package, an overdue
    action, a falling pulse, an interim change, a representative without mandate."""
    today = today or timezone.localdate()
    own = factories.make_partner(trajectory, name, kind=Partner.Kind.MUNICIPALITY)
    other = factories.make_partner(trajectory, OTHER, kind=Partner.Kind.HOUSING)
    factories.make_participant(own, "Jeroen Bakker", Participant.Level.MANAGER, mandate="Wijkteam")
    factories.make_participant(own, "Eva Jansen", mandate="")
    factories.make_participant(other, f"Bram {OTHER_MARKER}", mandate="Alles")
    round = InterestRound.objects.create(trajectory=trajectory, title="Ronde 1", phase="design")
    Interest.objects.create(round=round, partner=own, statement="Betaalbare woningen")
    Interest.objects.create(
        round=round, partner=other, statement=f"Geheim {OTHER_MARKER}", tier="facilitator"
    )
    board = Proposal.objects.create(trajectory=trajectory, title="Eén wijkloket")
    objected = Proposal.objects.create(trajectory=trajectory, title="Gedeelde huur")
    Position.objects.create(
        proposal=board, partner=own, stance=Stance.SUPPORTS, mandate=Mandate.BOARD
    )
    Position.objects.create(
        proposal=objected,
        partner=own,
        stance=Stance.OBJECTS,
        text="Te duur",
        mandate=Mandate.AGREED,
    )
    Position.objects.create(
        proposal=board,
        partner=other,
        stance=Stance.OBJECTS,
        text=f"Bezwaar {OTHER_MARKER}",
        mandate=Mandate.CONSULT,
    )
    package = ImprovementPackage.objects.create(trajectory=trajectory, title="Aanpak Oost")
    package.proposals.add(board, objected)
    ActionItem.objects.create(
        trajectory=trajectory, title="Begroting", owner_partner=own, due_date=today - timedelta(1)
    )
    ActionItem.objects.create(trajectory=trajectory, title="Later", owner_partner=own)
    ActionItem.objects.create(
        trajectory=trajectory, title=f"Actie {OTHER_MARKER}", owner_partner=other
    )
    Risk.objects.create(
        trajectory=trajectory,
        category="financial",
        title="Tekort wijkbudget",
        likelihood=3,
        impact=4,
        owner=own,
        review_on=today,
    )
    Risk.objects.create(
        trajectory=trajectory,
        category="policy",
        title=f"Risico {OTHER_MARKER}",
        likelihood=3,
        impact=4,
        owner=other,
        review_on=today,
    )
    InterimChange.objects.create(
        trajectory=trajectory,
        kind="budget_cuts",
        title="Bezuiniging",
        partner=own,
        occurred_on=today,
    )
    InterimChange.objects.create(
        trajectory=trajectory,
        kind="new_board",
        title=f"Wissel {OTHER_MARKER}",
        partner=other,
        occurred_on=today,
    )
    respondents = [
        factories.make_participant(own if n % 2 else other, f"Respondent {n}") for n in range(4)
    ]
    for n in range(pulses):
        pulse = Pulse.objects.create(trajectory=trajectory, title=f"Pulse {n + 1}", status="closed")
        score = 4 if n == 0 else 2
        for person in respondents:
            response = Response.objects.create(
                pulse=pulse, participant=person, partner=person.partner, level=person.level
            )
            Answer.objects.bulk_create(
                Answer(response=response, statement=s.key, score=score) for s in STATEMENTS
            )
    own.refresh_from_db()
    return own, other


@pytest.fixture
def municipality(trajectory):
    own, _other = fill_trajectory(trajectory)
    return own.organisation


@pytest.fixture
def coordinator(municipality):
    return make_coordinator(municipality)


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client

"""Simultaneous saves on PostgreSQL: a stale position form never overwrites, a double submit
never makes two proposals."""

import uuid

from coconnect.stale import StaleEdit
from improvements import services
from improvements.models import Position, PositionChange, Proposal
from tests import factories
from tests.concurrency import race
from tests.improvements.helpers import make_proposal


def test_two_colleagues_saving_from_the_same_version_at_once_overwrite_nothing(
    postgres, transactional_db, trajectory, partner
):
    proposal = make_proposal(trajectory)
    services.position_take(
        proposal=proposal, partner=partner, stance="undecided", text="", mandate="consult"
    )
    people = [factories.make_participant(partner, f"Collega {n}") for n in range(6)]

    def save(person, n):
        def job():
            return services.position_take(
                proposal=Proposal.objects.get(pk=proposal.pk),
                partner=person.partner,
                stance="objects",
                text=f"Bezwaar {n}",
                mandate="board",
                participant=person,
                seen_version=1,
            )

        return job

    results, errors = race([save(p, n) for n, p in enumerate(people)])
    assert len(results) == 1
    assert len(errors) == len(people) - 1
    assert all(isinstance(e, StaleEdit) for e in errors)
    position = Position.objects.get()
    assert position.version == 2
    assert position.text == results[0].text
    assert PositionChange.objects.filter(position=position).count() == 2


def test_first_positions_saved_at_once_make_one_position(
    postgres, transactional_db, trajectory, partner
):
    proposal = make_proposal(trajectory)
    people = [factories.make_participant(partner, f"Collega {n}") for n in range(6)]

    def save(person):
        def job():
            return services.position_take(
                proposal=Proposal.objects.get(pk=proposal.pk),
                partner=person.partner,
                stance="supports",
                text="",
                mandate="agreed",
                participant=person,
                seen_version=0,
            )

        return job

    results, errors = race([save(p) for p in people])
    assert len(results) == 1 and all(isinstance(e, StaleEdit) for e in errors)
    assert Position.objects.count() == 1 and PositionChange.objects.count() == 1


def test_the_same_proposal_submitted_at_once_is_stored_once(
    postgres, transactional_db, trajectory, partner, participant
):
    key = uuid.uuid4()

    def submit():
        data = services.ProposalData(title="Eén intake", proposer_partner=partner)
        data.gains = {partner.pk: ("much", "")}
        return services.proposal_create(
            trajectory=trajectory,
            data=data,
            origin=Proposal.Origin.PARTICIPANT,
            participant=participant,
            submission_key=key,
        )

    results, errors = race([submit for _ in range(8)])
    assert errors == []
    assert sum(created for _proposal, created in results) == 1
    assert Proposal.objects.count() == 1
    assert Proposal.objects.get().gains.count() == 1

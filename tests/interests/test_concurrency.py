"""Requests at the same moment (PostgreSQL): one interest per submit, no edit lost unseen."""

import uuid

import pytest

from coconnect.stale import StaleEdit
from interests import services
from interests.models import Fact, Interest, InterestRound
from tests.concurrency import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def round(postgres, trajectory, facilitator):
    round = services.round_create(trajectory=trajectory, title="Ronde", by=facilitator)
    return services.round_open(round=round, by=facilitator)


def test_two_simultaneous_submits_of_one_form_save_one_interest(round, participant):
    key = uuid.uuid4()

    def submit():
        return services.interest_save(
            round=round,
            partner=participant.partner,
            by=participant,
            submission_key=key,
            submit=True,
            data={"statement": "Tegelijk verstuurd", "weight": "must", "tier": "named"},
        )

    results, errors = race([submit, submit])
    assert errors == []
    assert Interest.objects.count() == 1
    assert sorted(created for _interest, created in results) == [False, True]
    assert len({interest.pk for interest, _created in results}) == 1


def test_two_simultaneous_edits_of_one_version_save_one_and_refuse_the_other(round, participant):
    interest, _created = services.interest_save(
        round=round,
        partner=participant.partner,
        by=participant,
        data={"statement": "Eerste tekst", "weight": "must", "tier": "named"},
    )

    def edit(text):
        return lambda: services.interest_save(
            round=round,
            partner=participant.partner,
            by=participant,
            interest=interest,
            version=interest.version,
            data={"statement": text, "weight": "must", "tier": "named"},
        )

    results, errors = race([edit("Versie A"), edit("Versie B")])
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], StaleEdit)
    saved = Interest.objects.get()
    assert saved.version == 2
    assert saved.statement == results[0][0].statement
    assert errors[0].current.statement == saved.statement


def test_two_simultaneous_edits_of_one_fact_save_one_and_refuse_the_other(postgres, trajectory):
    fact = services.fact_save(trajectory=trajectory, data={"question": "Vraag", "status": "open"})

    def edit(text):
        return lambda: services.fact_save(
            trajectory=trajectory,
            fact=fact,
            version=fact.version,
            data={"question": text, "status": "open"},
        )

    results, errors = race([edit("Vraag A"), edit("Vraag B")])
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], StaleEdit)
    saved = Fact.objects.get()
    assert (saved.version, saved.question) == (2, results[0].question)


def test_two_simultaneous_submits_of_the_new_question_form_save_one_fact(postgres, trajectory):
    key = uuid.uuid4()

    def submit():
        return services.fact_save(
            trajectory=trajectory,
            data={"question": "Hoeveel?", "status": "open"},
            submission_key=key,
        )

    results, errors = race([submit, submit])
    assert errors == []
    assert Fact.objects.count() == 1
    assert len({fact.pk for fact in results}) == 1


def test_two_simultaneous_submits_of_the_new_round_form_prepare_one_round(
    postgres, trajectory, facilitator
):
    key = uuid.uuid4()

    def submit():
        return services.round_create(
            trajectory=trajectory, title="Ronde", by=facilitator, submission_key=key
        )

    results, errors = race([submit, submit])
    assert errors == []
    assert InterestRound.objects.count() == 1
    assert len({round.pk for round in results}) == 1

"""Each reminder rule: due → a mail; not due → none; already sent, opted out, digest instead."""

import datetime

import pytest
from django.core import mail as outbox_mail

from coconnect import mail
from health.models import Pulse, Response
from improvements.models import ImprovementPackage, Position, Proposal
from reminders import jobs
from reminders.models import MailSent
from reminders.rules import remind_today
from trajectories.models import Trajectory
from workshops.models import ActionItem

from .conftest import open_round, person, submit_interests

DAY = datetime.timedelta(days=1)


def sent_to(address):
    return [m for m in outbox_mail.outbox if address in m.to]


@pytest.mark.parametrize(
    ("days", "reminds"),
    [
        (3, False),
        (2, True),
        (1, True),
        (0, True),
        (-1, True),
        (-2, False),
        (-7, False),
        (-8, True),
        (-15, True),
        (-29, True),
        (-36, False),
    ],
)
def test_a_deadline_reminds_two_days_ahead_the_day_after_and_weekly_after_that(
    days, reminds, today
):
    assert remind_today(today + datetime.timedelta(days=days), today) is reminds


# --- interest rounds -------------------------------------------------------------------------


def test_a_round_closing_in_two_days_reminds_a_partner_behind(trajectory, anouk, today):
    round = open_round(trajectory, closes_in=2, asked=3)
    submit_interests(round, anouk.partner, 1)

    result = jobs.reminders_send(today=today)

    assert result.as_dict() == {"sent": 1, "skipped": 0, "failed": 0}
    [message] = sent_to(anouk.email)
    assert "Ronde 1" in message.body
    assert "nog 2 belangen" in message.body
    assert MailSent.objects.get().items == [f"round:{round.pk}"]


def test_a_partner_that_entered_enough_is_not_reminded(trajectory, anouk, today):
    round = open_round(trajectory, closes_in=1, asked=2)
    submit_interests(round, anouk.partner, 2)

    assert jobs.reminders_send(today=today).sent == []
    assert outbox_mail.outbox == []


def test_a_round_closing_later_or_without_a_date_reminds_nobody(trajectory, anouk, today):
    open_round(trajectory, closes_in=3)
    assert jobs.reminders_send(today=today).sent == []
    open_round_none = open_round
    trajectory.interest_rounds.update(closes_on=None)
    assert open_round_none and jobs.reminders_send(today=today).sent == []
    assert outbox_mail.outbox == []


def test_a_closed_round_reminds_nobody(trajectory, anouk, today):
    round = open_round(trajectory, closes_in=1)
    round.status = round.Status.CLOSED
    round.save()
    assert jobs.reminders_send(today=today).sent == []


# --- positions -------------------------------------------------------------------------------


def test_positions_asked_on_a_package_remind_the_partner_whose_position_is_missing(
    trajectory, anouk, today
):
    other = person(factories_partner(trajectory, "Woonstichting De Brug"), "Bram Brug")
    first = Proposal.objects.create(trajectory=trajectory, title="Eén loket")
    second = Proposal.objects.create(trajectory=trajectory, title="Gedeelde intake")
    package = ImprovementPackage.objects.create(
        trajectory=trajectory, title="Pakket 2027", positions_due_on=today + DAY
    )
    package.proposals.set([first, second])
    Position.objects.create(
        proposal=first, partner=anouk.partner, stance="supports", mandate="agreed"
    )
    for proposal in (first, second):
        Position.objects.create(
            proposal=proposal, partner=other.partner, stance="supports", mandate="agreed"
        )

    jobs.reminders_send(today=today)

    [message] = outbox_mail.outbox
    assert message.to == [anouk.email]
    assert "Gedeelde intake" in message.body
    assert "Eén loket" not in message.body


def test_positions_asked_on_a_single_proposal(trajectory, anouk, today):
    Proposal.objects.create(trajectory=trajectory, title="Eén loket", positions_due_on=today)
    jobs.reminders_send(today=today)
    [message] = sent_to(anouk.email)
    assert "Eén loket" in message.body


def test_positions_asked_long_ago_remind_no_more(trajectory, anouk, today):
    Proposal.objects.create(
        trajectory=trajectory, title="Eén loket", positions_due_on=today - 40 * DAY
    )
    assert jobs.reminders_send(today=today).sent == []


# --- pulses ----------------------------------------------------------------------------------


def test_an_open_pulse_reminds_who_has_not_answered(trajectory, anouk, today):
    answered = person(anouk.partner, "Bea Beantwoord")
    pulse = Pulse.objects.create(
        trajectory=trajectory, title="Puls najaar", status=Pulse.Status.OPEN, closes_on=today
    )
    Response.objects.create(
        pulse=pulse, participant=answered, partner=anouk.partner, level=answered.level
    )

    jobs.reminders_send(today=today)

    assert [m.to for m in outbox_mail.outbox] == [[anouk.email]]
    assert "Puls najaar" in outbox_mail.outbox[0].body


def test_a_pulse_without_a_date_reminds_the_day_after_it_opened(trajectory, anouk, today):
    from django.utils import timezone

    pulse = Pulse.objects.create(
        trajectory=trajectory, title="Puls", status=Pulse.Status.OPEN, opened_at=timezone.now()
    )
    assert jobs.reminders_send(today=today).sent == []
    assert len(jobs.reminders_send(today=today + DAY).sent) == 1
    assert jobs.reminders_send(today=today + 2 * DAY).sent == []
    assert pulse.pk


# --- action items ----------------------------------------------------------------------------


def test_an_overdue_action_item_reminds_its_owner_only(trajectory, anouk, today):
    colleague = person(anouk.partner, "Cor Collega")
    ActionItem.objects.create(
        trajectory=trajectory,
        title="Huurcontract opstellen",
        owner_participant=anouk,
        due_date=today - DAY,
    )
    jobs.reminders_send(today=today)
    assert [m.to for m in outbox_mail.outbox] == [[anouk.email]]
    assert "Huurcontract opstellen" in outbox_mail.outbox[0].body
    assert "verlopen sinds" in outbox_mail.outbox[0].body
    assert colleague.email not in str([m.to for m in outbox_mail.outbox])


def test_an_action_item_of_the_partner_reminds_each_representative(trajectory, anouk, today):
    colleague = person(anouk.partner, "Cor Collega")
    ActionItem.objects.create(
        trajectory=trajectory, title="Plan", owner_partner=anouk.partner, due_date=today
    )
    jobs.reminders_send(today=today)
    assert sorted(m.to[0] for m in outbox_mail.outbox) == sorted([anouk.email, colleague.email])


def test_a_done_or_later_action_item_reminds_nobody(trajectory, anouk, today):
    ActionItem.objects.create(
        trajectory=trajectory,
        title="Klaar",
        owner_participant=anouk,
        due_date=today,
        status=ActionItem.Status.DONE,
    )
    ActionItem.objects.create(
        trajectory=trajectory, title="Later", owner_participant=anouk, due_date=today + 2 * DAY
    )
    assert jobs.reminders_send(today=today).sent == []


# --- one mail, once ---------------------------------------------------------------------------


def test_everything_due_comes_in_one_mail(trajectory, anouk, today):
    open_round(trajectory, closes_in=0)
    Proposal.objects.create(trajectory=trajectory, title="Eén loket", positions_due_on=today)
    Pulse.objects.create(
        trajectory=trajectory, title="Puls", status=Pulse.Status.OPEN, closes_on=today + DAY
    )
    ActionItem.objects.create(
        trajectory=trajectory, title="Plan", owner_participant=anouk, due_date=today
    )

    jobs.reminders_send(today=today)

    [message] = outbox_mail.outbox
    for text in ("Ronde 1", "Eén loket", "Puls", "Plan"):
        assert text in message.body
    assert "4 dingen te doen" in message.subject


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_again(trajectory, anouk, today):
    open_round(trajectory, closes_in=2)
    assert len(jobs.reminders_send(today=today).sent) == 1
    assert jobs.reminders_send(today=today).as_dict() == {"sent": 0, "skipped": 1, "failed": 0}
    assert len(outbox_mail.outbox) == 1
    assert len(jobs.reminders_send(today=today + DAY).sent) == 1
    assert len(outbox_mail.outbox) == 2


def test_who_unsubscribed_from_reminders_gets_none(trajectory, anouk, today):
    open_round(trajectory, closes_in=1)
    mail.opt_out_set(participant=anouk, kind=mail.Kind.REMINDER, wanted=False)
    assert jobs.reminders_send(today=today).sent == []
    assert outbox_mail.outbox == []


def test_nobody_without_address_erased_or_in_a_paused_or_completed_trajectory(
    trajectory, anouk, today
):
    from django.utils import timezone

    open_round(trajectory, closes_in=1)
    person(anouk.partner, "Zonder Adres", email="")
    person(anouk.partner, "Gewist", erased_at=timezone.now())
    person(anouk.partner, "Wil Weg", removal_requested_at=timezone.now())
    for status in (Trajectory.Status.PAUSED, Trajectory.Status.CLOSED):
        Trajectory.objects.filter(pk=trajectory.pk).update(status=status)
        assert jobs.reminders_send(today=today).sent == []
    Trajectory.objects.filter(pk=trajectory.pk).update(
        status=Trajectory.Status.ACTIVE, anonymised_at=timezone.now()
    )
    assert jobs.reminders_send(today=today).sent == []
    Trajectory.objects.filter(pk=trajectory.pk).update(anonymised_at=None)
    assert [m.to for m in outbox_mail.outbox] == []
    jobs.reminders_send(today=today)
    assert [m.to for m in outbox_mail.outbox] == [[anouk.email]]


def test_an_english_recipient_gets_english(trajectory, anouk, today):
    anouk.language = "en"
    anouk.save(update_fields=["language"])
    open_round(trajectory, closes_in=2)
    jobs.reminders_send(today=today)
    [message] = outbox_mail.outbox
    assert message.subject.startswith("Reminder: 1 thing to do in")
    assert "still asked for 3 interests" in message.body
    assert message.extra_headers["Content-Language"] == "en"


def test_the_mail_is_multipart_with_a_sign_in_button_and_an_unsubscribe(trajectory, anouk, today):
    open_round(trajectory, closes_in=2)
    jobs.reminders_send(today=today)
    [message] = outbox_mail.outbox
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "/aanmelden/" in html
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert '<time datetime="' in html


def test_a_participant_with_a_digest_gets_no_single_reminder_but_a_weekly_digest(
    trajectory, anouk, today
):
    anouk.wants_digest = True
    anouk.save(update_fields=["wants_digest"])
    open_round(trajectory, closes_in=None)  # no date: a digest lists it anyway
    ActionItem.objects.create(
        trajectory=trajectory, title="Plan", owner_participant=anouk, due_date=today + 10 * DAY
    )
    assert jobs.reminders_send(today=today).sent == []

    assert len(jobs.participant_digests_send(today=today).sent) == 1
    assert jobs.participant_digests_send(today=today + DAY).sent == []  # same week
    [message] = outbox_mail.outbox
    assert "Ronde 1" in message.body and "Plan" in message.body
    assert "deze week" in message.subject.lower()


def test_a_digest_with_nothing_open_is_not_sent(trajectory, anouk, today):
    anouk.wants_digest = True
    anouk.save(update_fields=["wants_digest"])
    assert jobs.participant_digests_send(today=today).sent == []


def factories_partner(trajectory, name):
    from tests import factories

    return factories.make_partner(trajectory, name)


def test_an_overdue_item_off_its_day_is_listed_only_along_with_one_that_calls_for_a_mail(
    trajectory, anouk, today
):
    ActionItem.objects.create(
        trajectory=trajectory,
        title="Oud actiepunt",
        owner_participant=anouk,
        due_date=today - 3 * DAY,
    )
    assert jobs.reminders_send(today=today).sent == []  # day 3 overdue: no mail of its own

    open_round(trajectory, closes_in=2)
    jobs.reminders_send(today=today)
    [message] = outbox_mail.outbox
    assert "Oud actiepunt" in message.body and "Ronde 1" in message.body

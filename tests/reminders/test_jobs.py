"""The scheduled jobs: run twice, one mail per person; facilitators' weekly digest; PostgreSQL."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail as outbox_mail
from django.core.cache import cache

from audit.models import AuditEntry
from coconnect import mail, schedule
from reminders import jobs
from reminders.models import MailSent
from tests import factories
from tests.concurrency import race
from trajectories.models import Membership
from workshops.models import ActionItem

from .conftest import open_round, person, submit_interests

DAY = datetime.timedelta(days=1)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_the_scheduled_jobs_run_twice_send_one_mail_per_person(trajectory, anouk, facilitator):
    colleague = person(anouk.partner, "Cor Collega")
    open_round(trajectory, closes_in=1)
    cache.clear()
    monday_morning = datetime.datetime(2026, 12, 7, 7, 45, tzinfo=AMSTERDAM)

    ran = schedule.run_due_jobs(now=monday_morning)
    assert {"send-reminders", "send-weekly-digests"} <= set(ran)
    cache.clear()  # as after a restart: the runner forgot, the sent-log did not
    schedule.run_due_jobs(now=monday_morning)

    reminders = [m for m in outbox_mail.outbox if m.subject.startswith("Herinnering")]
    weekly = [m for m in outbox_mail.outbox if m.subject.startswith("Weekoverzicht")]
    assert sorted(m.to[0] for m in reminders) == sorted([anouk.email, colleague.email])
    assert [m.to for m in weekly] == [[facilitator.email]]
    assert MailSent.objects.count() == 3


def test_the_daily_run_is_due_at_half_past_seven(trajectory, anouk):
    open_round(trajectory, closes_in=1)
    cache.clear()
    day = datetime.datetime(2026, 12, 2, 7, 0, tzinfo=AMSTERDAM)  # a Wednesday
    schedule.run_due_jobs(now=day)  # never ran here: runs at once
    assert schedule.run_due_jobs(now=day + datetime.timedelta(minutes=15)) == []
    assert "send-reminders" in schedule.run_due_jobs(now=day + datetime.timedelta(minutes=31))


def test_the_facilitators_weekly_digest(trajectory, partner, anouk, facilitator, manager, today):
    round = open_round(trajectory, closes_in=3, asked=3)
    submit_interests(round, partner, 1)
    ActionItem.objects.create(
        trajectory=trajectory,
        title="Huurcontract opstellen",
        owner_partner=partner,
        due_date=today - 4 * DAY,
    )
    AuditEntry.objects.create(
        trajectory=trajectory, action=AuditEntry.Action.ROUND_OPENED, actor_label="Fenna"
    )

    result = jobs.facilitator_digests_send(today=today)

    assert result.as_dict() == {"sent": 1, "skipped": 0, "failed": 0}
    [message] = outbox_mail.outbox
    assert message.to == [facilitator.email]  # not the manager
    assert message.subject == f"Weekoverzicht: {trajectory.name}"
    body = message.body
    assert "Ronde geopend: 1" in body
    assert "Belangen ingediend: 1" in body
    assert f"{partner.name}:" in body and "2 belangen ontbreken" in body
    assert "Huurcontract opstellen" in body and "verlopen sinds" in body
    assert message.extra_headers["List-Unsubscribe"]
    assert jobs.facilitator_digests_send(today=today + DAY).as_dict()["skipped"] == 1


def test_a_quiet_week_sends_no_digest(trajectory, facilitator, today):
    assert jobs.facilitator_digests_send(today=today).sent == []
    assert outbox_mail.outbox == []


def test_a_facilitator_who_switched_the_digest_off_gets_none(
    trajectory, partner, facilitator, today
):
    open_round(trajectory, closes_in=3)  # something to tell: the partner is behind
    Membership.objects.filter(user=facilitator).update(weekly_digest=False)
    assert jobs.facilitator_digests_send(today=today).sent == []
    Membership.objects.filter(user=facilitator).update(weekly_digest=True)
    mail.opt_out_set(user=facilitator, kind=mail.Kind.WEEKLY, wanted=False)
    assert jobs.facilitator_digests_send(today=today).sent == []
    assert outbox_mail.outbox == []
    mail.opt_out_set(user=facilitator, kind=mail.Kind.WEEKLY, wanted=True)
    assert len(jobs.facilitator_digests_send(today=today).sent) == 1


def test_each_trajectory_has_its_own_digest(trajectory, facilitator, today):
    second = factories.make_trajectory("Tweede traject", facilitator=facilitator)
    for each in (trajectory, second):
        factories.make_partner(each)
        open_round(each, closes_in=3)
    jobs.facilitator_digests_send(today=today)
    assert sorted(m.subject for m in outbox_mail.outbox) == sorted(
        [f"Weekoverzicht: {trajectory.name}", f"Weekoverzicht: {second.name}"]
    )


def test_an_english_facilitator_gets_english(trajectory, partner, facilitator, today):
    from trajectories.models import AccountPreferences

    open_round(trajectory, closes_in=3)
    AccountPreferences.objects.create(user=facilitator, language="en")
    jobs.facilitator_digests_send(today=today)
    [message] = outbox_mail.outbox
    assert message.subject == f"Weekly digest: {trajectory.name}"
    assert "What changed" in message.body


def test_a_refusing_mail_server_leaves_the_person_for_the_next_run(
    trajectory, anouk, today, monkeypatch
):
    open_round(trajectory, closes_in=1)

    def refuse(message):
        raise mail.MailFailed("refused")

    monkeypatch.setattr(mail, "mail_send", refuse)
    result = jobs.reminders_send(today=today)
    assert result.as_dict() == {"sent": 0, "skipped": 0, "failed": 1}
    assert not MailSent.objects.exists()
    monkeypatch.undo()
    assert len(jobs.reminders_send(today=today).sent) == 1


def test_two_simultaneous_runs_send_one_mail_per_person(postgres, transactional_db, today):
    facilitator = factories.make_user("fac-race")
    trajectory = factories.make_trajectory("Race", facilitator=facilitator)
    partner = factories.make_partner(trajectory, "Gemeente Race")
    people = [person(partner, f"Deelnemer {i}") for i in range(6)]
    open_round(trajectory, closes_in=1)

    results, errors = race([lambda: jobs.reminders_send(today=today) for _ in range(3)])

    assert errors == []
    assert sorted(m.to[0] for m in outbox_mail.outbox) == sorted(p.email for p in people)
    assert sum(len(r.sent) for r in results) == len(people)
    assert MailSent.objects.count() == len(people)


def test_the_sent_log_refuses_a_second_row_for_the_same_person_and_day(anouk, today):
    from django.db import IntegrityError, transaction

    claim = {
        "kind": mail.Kind.REMINDER,
        "period": today,
        "participant": anouk,
        "trajectory": anouk.partner.trajectory,
    }
    MailSent.objects.create(**claim)
    with pytest.raises(IntegrityError), transaction.atomic():
        MailSent.objects.create(**claim)


def test_the_daily_run_takes_a_fixed_number_of_queries_plus_a_constant_per_mail(
    trajectory, partner, today
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    open_round(trajectory, closes_in=2)
    other = factories.make_trajectory("Tweede")
    open_round(other, closes_in=2)
    counts = []
    for day, extra in enumerate((2, 3, 6)):
        for i in range(extra):
            person(partner, f"Persoon {day}-{i}")
            person(factories.make_partner(other, f"Partner {day}-{i}"), f"Ander {day}-{i}")
        with CaptureQueriesContext(connection) as queries:
            result = jobs.reminders_send(today=today + day * DAY)
        counts.append((len(result.sent), len(queries)))
    (n0, q0), (n1, q1), (n2, q2) = counts
    per_mail = (q1 - q0) / (n1 - n0)
    assert per_mail == (q2 - q1) / (n2 - n1)  # the same for every extra recipient
    assert per_mail <= 3  # the claim (and its savepoint); the mail itself reads nothing

"""A fresh demo gives the morning jobs something to do: a round closing in two days with
partners behind, and an overdue action item."""

import datetime

from django.core import mail as outbox_mail
from django.core.cache import cache
from django.core.management import call_command

from interests.models import InterestRound
from trajectories.models import Trajectory
from workshops.models import ActionItem


def test_run_due_jobs_on_a_fresh_demo_sends_reminders(db, today):
    call_command("load_demo", verbosity=0)
    trajectory = Trajectory.objects.get(memberships__user__username="demo")
    round = InterestRound.objects.get(trajectory=trajectory, status=InterestRound.Status.OPEN)
    assert round.closes_on == today + datetime.timedelta(days=2)
    assert ActionItem.objects.open().filter(trajectory=trajectory, due_date__lt=today).exists()
    cache.clear()

    call_command("run_due_jobs", verbosity=0)

    reminders = [m for m in outbox_mail.outbox if m.subject.startswith("Herinnering")]
    assert reminders
    behind = {m.to[0] for m in reminders}
    # The two partners that entered what was asked are not reminded of the round.
    ahead = set(
        trajectory.partners.filter(
            name__in=["Gemeente Rivierstad", "Woonstichting De Linge"]
        ).values_list("participants__email", flat=True)
    )
    for message in reminders:
        if message.to[0] in ahead:
            assert round.title not in message.body
        else:
            assert round.title in message.body
    assert behind - ahead
    # Whoever owns the overdue action item hears of it along with the round.
    overdue = (
        ActionItem.objects.open()
        .filter(trajectory=trajectory, due_date__lt=today, owner_participant__isnull=False)
        .select_related("owner_participant")
    )
    assert overdue
    for action in overdue:
        owner_mail = next(m for m in reminders if m.to[0] == action.owner_participant.email)
        assert action.title in owner_mail.body and "verlopen sinds" in owner_mail.body
    call_command("run_due_jobs", verbosity=0)
    cache.clear()
    call_command("run_due_jobs", verbosity=0)
    assert len([m for m in outbox_mail.outbox if m.subject.startswith("Herinnering")]) == len(
        reminders
    )

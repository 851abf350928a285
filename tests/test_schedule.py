"""Scheduled work without a broker: the due jobs of CELERY_BEAT_SCHEDULE run in-process, each
once per due time, and `manage.py run_due_jobs` runs them from a shell."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from coconnect import schedule
from tests import factories
from trajectories.models import Participant, Trajectory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _expired_trajectory():
    trajectory = factories.make_trajectory()
    person = factories.make_participant(factories.make_partner(trajectory), "Sanne Bakker")
    Trajectory.objects.filter(pk=trajectory.pk).update(
        status=Trajectory.Status.CLOSED, closed_at=timezone.now() - timedelta(days=31 * 30)
    )
    return person


def test_a_job_that_never_ran_here_runs_then_waits_for_its_next_time(settings):
    # The nightly job alone: the morning reminders (tests/reminders) are due at another hour.
    settings.CELERY_BEAT_SCHEDULE = {
        "apply-retention": settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    }
    cache.clear()
    person = _expired_trajectory()
    night = datetime(2026, 12, 2, 3, 20, tzinfo=AMSTERDAM)  # just after the 03:15 retention run

    assert schedule.run_due_jobs(now=night) == ["apply-retention"]
    assert Participant.objects.get(pk=person.pk).name != "Sanne Bakker"
    # Later that night and during the day: not due again.
    assert schedule.run_due_jobs(now=night + timedelta(minutes=30)) == []
    assert schedule.run_due_jobs(now=night + timedelta(hours=20)) == []
    # The next night, past 03:15: due again (and, being idempotent, harmless).
    assert schedule.run_due_jobs(now=night + timedelta(days=1)) == ["apply-retention"]


def test_the_command_runs_the_due_jobs(capsys):
    cache.clear()
    person = _expired_trajectory()
    call_command("run_due_jobs")
    assert "apply-retention" in capsys.readouterr().out
    assert Participant.objects.get(pk=person.pk).name != "Sanne Bakker"
    call_command("run_due_jobs")
    assert "nothing due" in capsys.readouterr().out


def test_the_web_process_runs_jobs_only_where_the_settings_say(settings):
    settings.RUN_DUE_JOBS_IN_WEB = False
    schedule.start_in_background()
    assert not any(t.name == "scheduled-jobs" for t in threading.enumerate())

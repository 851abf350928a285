"""A worker that dies mid-render: the requester's page notices within seconds, queues the report
again and says what is going on; after a few lost attempts it offers a retry."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from reports import services
from reports.models import AUTOMATIC_ATTEMPTS, RENDERING_SILENT_AFTER, Report
from reports.services import report_retry
from reports.tasks import requeue_silent_reports

from .conftest import make_report

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _rendering(trajectory, requested_by, *, silent_for, attempts=1):
    since = timezone.now() - silent_for
    return make_report(
        trajectory,
        requested_by=requested_by,
        status=Report.Status.RENDERING,
        attempts=attempts,
        started_at=since,
        heartbeat_at=since,
    )


def test_silent_report_is_queued_again_by_the_next_status_poll(
    manager_client, rich_trajectory, manager, django_capture_on_commit_callbacks
):
    report = _rendering(rich_trajectory, manager, silent_for=RENDERING_SILENT_AFTER + timedelta(1))

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.get(report.get_absolute_url(), headers=HTMX)

    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.attempts == 2


def test_report_that_still_beats_is_left_to_its_worker(manager_client, rich_trajectory, manager):
    report = _rendering(rich_trajectory, manager, silent_for=timedelta(seconds=5))

    page = manager_client.get(report.get_absolute_url(), headers=HTMX).content.decode()

    report.refresh_from_db()
    assert (report.status, report.attempts) == (Report.Status.RENDERING, 1)
    assert 'hx-trigger="every 2s"' in page
    assert "wordt gemaakt" in page


def test_requeued_report_tells_the_requester_why_it_waits(manager_client, rich_trajectory, manager):
    report = make_report(
        rich_trajectory, requested_by=manager, attempts=1, heartbeat_at=timezone.now()
    )

    page = manager_client.get(report.get_absolute_url()).content.decode()

    assert "gestopt voordat hij klaar was" in page
    assert 'hx-trigger="every 2s"' in page


def test_after_several_lost_attempts_the_requester_gets_a_retry_button(
    manager_client, rich_trajectory, manager, django_capture_on_commit_callbacks
):
    report = _rendering(
        rich_trajectory, manager, silent_for=timedelta(minutes=1), attempts=AUTOMATIC_ATTEMPTS
    )

    page = manager_client.get(report.get_absolute_url()).content.decode()

    report.refresh_from_db()
    assert report.status == Report.Status.RENDERING  # not queued again without asking
    assert "hx-trigger" not in page  # the page stops polling …
    assert "Opnieuw proberen" in page  # … and offers the retry
    assert "Onderbroken" in page and "Wordt gemaakt" not in page
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(f"{report.get_absolute_url()}opnieuw/")
    report.refresh_from_db()
    assert report.status == Report.Status.READY


def test_retried_old_report_waits_in_the_queue_without_looking_stuck(rich_trajectory, manager):
    report = make_report(
        rich_trajectory,
        requested_by=manager,
        status=Report.Status.FAILED,
        created_at=timezone.now() - timedelta(days=3),
    )

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services, "_enqueue_render", lambda report: None)  # no worker picks it up
        assert report_retry(report=report)

    report.refresh_from_db()
    assert report.status == Report.Status.QUEUED
    assert not report.is_stuck


@pytest.mark.django_db(transaction=True)
def test_a_long_render_keeps_beating(rich_trajectory, manager, monkeypatch):
    monkeypatch.setattr(services, "HEARTBEAT", timedelta(seconds=0.1))
    real_render = services.report_render
    beats = []

    def slow_render(report):
        started = Report.objects.get(pk=report.pk).heartbeat_at
        time.sleep(0.5)
        beats.append(Report.objects.get(pk=report.pk).heartbeat_at > started)
        return real_render(report)

    monkeypatch.setattr(services, "report_render", slow_render)
    report = make_report(rich_trajectory, requested_by=manager)

    assert services.report_build(report_id=report.pk) == "ready"
    assert beats == [True]


def test_a_starting_worker_takes_up_reports_whose_worker_died(
    rich_trajectory, manager, django_capture_on_commit_callbacks
):
    silent = _rendering(rich_trajectory, manager, silent_for=timedelta(minutes=1))
    busy = _rendering(rich_trajectory, manager, silent_for=timedelta(seconds=2))

    with django_capture_on_commit_callbacks(execute=True):
        requeue_silent_reports()

    silent.refresh_from_db()
    busy.refresh_from_db()
    assert (silent.status, silent.attempts) == (Report.Status.READY, 2)
    assert (busy.status, busy.attempts) == (Report.Status.RENDERING, 1)

import time
import uuid

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.core.files.storage import default_storage
from django.db import OperationalError, transaction

from coconnect.background import enqueue
from reports import services
from reports.models import Report
from reports.services import report_order, report_retry
from reports.tasks import render_report

from .conftest import make_report, progress_order

pytestmark = pytest.mark.django_db


def _files(report):
    folder = f"reports/{report.trajectory_id}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_task_renders_once_and_skips_work_already_done(rich_trajectory, manager):
    report = make_report(rich_trajectory, requested_by=manager)

    assert render_report.apply(args=[report.pk]).get() == "ready"
    report.refresh_from_db()
    first_file = report.file.name
    assert render_report.apply(args=[report.pk]).get() == "skipped"

    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.attempts == 1
    assert report.file.name == first_file == f"reports/{rich_trajectory.pk}/report-{report.pk}.pdf"
    assert _files(report) == [f"report-{report.pk}.pdf"]


def test_lost_file_is_rendered_again_under_the_same_name(rich_trajectory, manager):
    report = make_report(rich_trajectory, requested_by=manager)
    render_report.apply(args=[report.pk])
    report.refresh_from_db()
    default_storage.delete(report.file.name)

    assert render_report.apply(args=[report.pk]).get() == "ready"

    report.refresh_from_db()
    assert report.attempts == 2
    assert _files(report) == [f"report-{report.pk}.pdf"]


def test_transient_error_is_retried_and_then_succeeds(rich_trajectory, manager, monkeypatch):
    real_render = services.report_render
    calls = []

    def flaky(report):
        calls.append(report.pk)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_render(report)

    monkeypatch.setattr(services, "report_render", flaky)
    report = make_report(rich_trajectory, requested_by=manager)

    render_report.apply(args=[report.pk])

    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.attempts == 2
    assert _files(report) == [f"report-{report.pk}.pdf"]


def test_transient_error_that_persists_fails_with_reason(rich_trajectory, manager, monkeypatch):
    def broken(report):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(services, "report_render", broken)
    report = make_report(rich_trajectory, requested_by=manager)

    render_report.apply(args=[report.pk])

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.failure == Report.Failure.UNAVAILABLE
    assert report.attempts == 5  # the first try and four retries
    assert "could not connect" in report.error


def test_broken_section_fails_the_report_and_tells_the_requester(
    rich_trajectory, manager, monkeypatch
):
    def broken(report):
        raise ValueError("a section misbehaved")

    monkeypatch.setattr(services, "report_render", broken)
    report = make_report(rich_trajectory, requested_by=manager)

    assert render_report.apply(args=[report.pk]).get() == "failed"

    report.refresh_from_db()
    assert report.status == Report.Status.FAILED
    assert report.failure == Report.Failure.ERROR
    assert report.error == "ValueError: a section misbehaved"
    assert not report.file
    assert len(mail.outbox) == 1
    assert "kon niet worden gemaakt" in mail.outbox[0].subject


def test_timeout_fails_the_report_with_reason(rich_trajectory, manager, monkeypatch):
    def slow(report):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "report_render", slow)
    report = make_report(rich_trajectory, requested_by=manager)

    render_report.apply(args=[report.pk])

    report.refresh_from_db()
    assert report.failure == Report.Failure.TIMEOUT


def test_failed_report_can_be_retried_and_ends_ready(
    rich_trajectory, manager, django_capture_on_commit_callbacks
):
    report = make_report(
        rich_trajectory, requested_by=manager, status=Report.Status.FAILED, failure="error"
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert report_retry(report=report) is True

    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert report.failure == ""
    assert report_retry(report=report) is False


def test_ready_report_emails_the_requester_in_the_report_language(
    rich_trajectory, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report, created = report_order(
            **progress_order(rich_trajectory, requested_by=manager, language="en")
        )

    assert created
    report.refresh_from_db()
    assert report.status == Report.Status.READY
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]
    assert message.subject == "Progress report ready: Van beschermd wonen naar een eigen thuis"
    assert f"/t/{rich_trajectory.pk}/rapportages/{report.pk}/" in message.body


def test_ordering_twice_in_a_row_gives_one_report(rich_trajectory, manager):
    order = progress_order(
        rich_trajectory,
        requested_by=manager,
        submission_key=uuid.uuid4(),  # the same form, submitted twice
    )

    first, created_first = report_order(**order)
    second, created_second = report_order(**order)

    assert (created_first, created_second) == (True, False)
    assert first == second
    assert Report.objects.count() == 1


def test_nothing_is_rendered_before_the_order_commits(
    rich_trajectory, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report, _ = report_order(**progress_order(rich_trajectory, requested_by=manager))
        report.refresh_from_db()
        assert report.status == Report.Status.QUEUED

    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_report_is_rendered_in_a_thread(rich_trajectory, manager, settings):
    settings.BACKGROUND_TASKS_IN_THREAD = True
    settings.CELERY_TASK_ALWAYS_EAGER = True

    with transaction.atomic():
        report = make_report(rich_trajectory, requested_by=manager)
        enqueue(render_report, report.pk)
        # Nothing runs before the commit.
        assert Report.objects.get(pk=report.pk).status == Report.Status.QUEUED

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status == Report.Status.READY:
            break
        time.sleep(0.1)
    assert report.status == Report.Status.READY


def test_deleting_a_trajectory_removes_its_report_files(
    rich_trajectory, manager, django_capture_on_commit_callbacks
):
    report = make_report(rich_trajectory, requested_by=manager)
    render_report.apply(args=[report.pk])
    report.refresh_from_db()
    assert default_storage.exists(report.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        rich_trajectory.delete()

    assert not default_storage.exists(report.file.name)

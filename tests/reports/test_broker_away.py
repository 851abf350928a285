"""Redis away (REDIS_URL at a closed port): ordering a report still works and the report gets
made, in this process, instead of a 500 and a row that stays "queued" forever."""

import socket

import pytest

from coconnect.celery import app as celery_app
from reports.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_away(settings, monkeypatch):
    """The production shape (a broker, no eager tasks) with the broker's port closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on `port` once the probe is closed.
    closed = f"redis://127.0.0.1:{port}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=closed)
    # Forget connections made to the real broker, so the closed port is really used.
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    yield closed
    celery_app.conf.update(saved)


def test_report_order_without_broker_is_rendered_in_process(
    broker_away, manager_client, rich_trajectory, django_capture_on_commit_callbacks
):
    url = f"/t/{rich_trajectory.pk}/rapportages/bestellen/"

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(url, {"language": "nl"})

    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert report.status == Report.Status.READY


def test_retry_without_broker_is_rendered_in_process(
    broker_away,
    facilitator_client,
    rich_trajectory,
    facilitator,
    django_capture_on_commit_callbacks,
):
    report = Report.objects.create(
        trajectory=rich_trajectory,
        audience="facilitator",
        requested_by=facilitator,
        status=Report.Status.FAILED,
        failure=Report.Failure.ERROR,
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator_client.post(f"{report.get_absolute_url()}opnieuw/")

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.READY

"""A real Celery worker on the Redis broker, reading the test database (PostgreSQL) it shares
with this test. Locally these skip without PostgreSQL or Redis; in CI they must run."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

from coconnect.celery import app as celery_app
from reports.models import Report
from reports.tasks import render_report

from .conftest import make_report

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis, pytest.mark.postgres]

START_TIMEOUT = 60


def _database_url() -> str:

    db = connection.settings_dict
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def worker(postgres, redis_url, tmp_path):
    """Start a worker of the real app on a queue of its own; yields start(delay) -> Popen.

    `render_delay` makes the first attempt of a render sleep (tests/reports/slow_worker.py)."""
    queue = f"reports-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    processes = []
    # This process only sends: switch off the in-process execution of the test settings.
    always_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False

    def start(*, render_delay: float = 0, visibility_timeout: int = 0) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "coconnect.test_settings",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "TEST_RENDER_DELAY": str(render_delay),
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout or ""),
        }
        log = open(tmp_path / f"worker-{len(processes)}.log", "w")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.reports.slow_worker",
                "worker",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(process)
        return process

    def send(report_id: int) -> None:
        with celery_app.connection_for_write(redis_url) as connection:
            render_report.apply_async((report_id,), connection=connection, queue=queue)

    def kill(process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)  # the whole worker, pool and all, without a word
        process.wait(timeout=15)

    start.send = send
    start.kill = kill
    start.log_dir = tmp_path
    yield start
    celery_app.conf.task_always_eager = always_eager
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    redis.Redis.from_url(redis_url).delete(queue)


def _wait_for(report, condition, what, worker, timeout=START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if condition(report):
            return report
        time.sleep(0.2)
    logs = "\n".join(p.read_text()[-3000:] for p in Path(worker.log_dir).glob("worker-*.log"))
    pytest.fail(f"report never became {what} (status {report.status}).\nWorker log:\n{logs}")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def test_real_worker_renders_a_report_end_to_end(worker, rich_trajectory, manager):
    report = make_report(rich_trajectory, requested_by=manager)
    worker()

    worker.send(report.pk)

    _wait_for(report, lambda r: r.status == Report.Status.READY, "ready", worker)
    assert report.attempts == 1
    assert default_storage.exists(report.file.name)
    with report.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_worker_killed_mid_render_still_ends_with_one_ready_file(worker, rich_trajectory, manager):
    report = make_report(rich_trajectory, requested_by=manager)
    process = worker(render_delay=30)  # only the first attempt sleeps
    worker.send(report.pk)
    _wait_for(report, lambda r: r.status == Report.Status.RENDERING, "rendering", worker)

    children = _children(process.pid)
    assert children, "the worker has no pool process"
    for child in children:
        os.kill(child, signal.SIGKILL)  # the process doing the render dies without a word

    _wait_for(report, lambda r: r.status == Report.Status.READY, "ready", worker)
    assert report.attempts == 2
    folder = Path(settings.MEDIA_ROOT) / "reports" / str(rich_trajectory.pk)
    assert sorted(p.name for p in folder.iterdir()) == [f"report-{report.pk}.pdf"]


def test_whole_worker_killed_mid_render_is_taken_over_by_another_worker(
    worker, rich_trajectory, manager
):
    report = make_report(rich_trajectory, requested_by=manager)
    first = worker(render_delay=30, visibility_timeout=3)
    worker.send(report.pk)
    _wait_for(report, lambda r: r.status == Report.Status.RENDERING, "rendering", worker)

    worker.kill(first)
    worker(visibility_timeout=3)  # a fresh worker finds the unacknowledged task again

    _wait_for(report, lambda r: r.status == Report.Status.READY, "ready", worker)
    assert report.attempts >= 2
    folder = Path(settings.MEDIA_ROOT) / "reports" / str(rich_trajectory.pk)
    assert sorted(p.name for p in folder.iterdir()) == [f"report-{report.pk}.pdf"]


def test_whole_worker_killed_mid_render_is_recovered_by_the_status_poll_within_a_minute(
    worker, rich_trajectory, manager, manager_client
):
    """No second worker and the production visibility timeout (ten minutes): the requester's
    own status page notices the silence and has the report made again."""
    report = make_report(rich_trajectory, requested_by=manager)
    first = worker(render_delay=120)
    worker.send(report.pk)
    _wait_for(report, lambda r: r.status == Report.Status.RENDERING, "rendering", worker)

    worker.kill(first)
    killed_at = time.monotonic()
    url = report.get_absolute_url()
    while time.monotonic() - killed_at < 60:
        page = manager_client.get(url, headers={"HX-Request": "true"}).content.decode()
        report.refresh_from_db()
        if report.status == Report.Status.READY:
            break
        assert 'hx-trigger="every 2s"' in page  # the page keeps watching meanwhile
        time.sleep(1)

    assert report.status == Report.Status.READY, f"still {report.status} a minute after the kill"
    assert report.attempts == 2
    folder = Path(settings.MEDIA_ROOT) / "reports" / str(rich_trajectory.pk)
    assert sorted(p.name for p in folder.iterdir()) == [f"report-{report.pk}.pdf"]
    print(f"recovered {time.monotonic() - killed_at:.0f} s after the worker died")

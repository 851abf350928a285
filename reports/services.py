"""Ordering, rendering and retrying reports.

The render is split in three steps so that the database row is never locked while WeasyPrint
works: claim the report (lock, skip if done, mark it rendering), render without a lock, then store
the one file and mark it ready under the lock again. A second delivery of the same task (a worker
killed mid-render, a retry) finds the report ready and does nothing, or replaces the file under
the same name: there is always exactly one file per report.
"""

from __future__ import annotations

import logging
import os
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from coconnect.background import enqueue
from coconnect.once import create_once

from .models import Report, report_file_name
from .rendering import report_render

logger = logging.getLogger(__name__)

ERROR_DETAIL_MAX = 2000


def report_order(
    *,
    trajectory,
    kind: str,
    language: str,
    audience: str,
    requested_by,
    workshop=None,
    submission_key: uuid.UUID | None = None,
) -> tuple[Report, bool]:
    """Create a report and have it rendered after commit. Returns (report, created).

    A second submit of the same order form (same `submission_key`) returns the first report and
    renders nothing: one report, one render, one mail, also for simultaneous clicks.
    """
    report, created = create_once(
        Report,
        key=submission_key,
        scope={"trajectory": trajectory},
        kind=kind,
        language=language,
        audience=audience,
        requested_by=requested_by,
        workshop=workshop,
    )
    if created:
        _enqueue_render(report)
    return report, created


def report_retry(*, report: Report) -> bool:
    """Queue a failed (or stuck) report again. False when it was no longer retryable."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if not locked.can_retry:
            return False
        locked.status = Report.Status.QUEUED
        locked.failure = ""
        locked.error = ""
        locked.save(update_fields=["status", "failure", "error"])
        _enqueue_render(locked)
    return True


def _enqueue_render(report: Report) -> None:
    from .tasks import render_report

    enqueue(render_report, report.pk)


def report_claim(*, report_id: int) -> Report | None:
    """Lock the report and mark it rendering; None when there is nothing (left) to do."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("trajectory", "workshop", "requested_by")
            .filter(pk=report_id)
            .first()
        )
        if report is None or _is_done(report):
            return None
        report.status = Report.Status.RENDERING
        report.attempts += 1
        report.started_at = timezone.now()
        report.failure = ""
        report.error = ""
        report.save(update_fields=["status", "attempts", "started_at", "failure", "error"])
    return report


def _is_done(report: Report) -> bool:
    return (
        report.status == Report.Status.READY
        and bool(report.file)
        and default_storage.exists(report.file.name)
    )


def report_build(*, report_id: int, notify: bool = True) -> str:
    """Render the report and store its file. Returns what happened: "ready" or "skipped"."""
    report = report_claim(report_id=report_id)
    if report is None:
        return "skipped"
    _test_slow_render(report)
    rendered = report_render(report)
    with transaction.atomic():
        current = Report.objects.select_for_update().filter(pk=report_id).first()
        if current is None or _is_done(current):
            return "skipped"  # deleted meanwhile, or a twin delivery finished first
        name = report_file_name(current)
        if default_storage.exists(name):
            default_storage.delete(name)
        current.file.name = default_storage.save(name, ContentFile(rendered.pdf))
        current.status = Report.Status.READY
        current.pages = rendered.pages
        current.snapshot = rendered.snapshot
        current.finished_at = timezone.now()
        current.failure = ""
        current.error = ""
        current.save(
            update_fields=[
                "file",
                "status",
                "pages",
                "snapshot",
                "finished_at",
                "failure",
                "error",
            ]
        )
    if notify:
        report_notify(report=current)
    return "ready"


def report_fail(*, report_id: int, failure: str, detail: str = "") -> None:
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id).first()
        if report is None or _is_done(report):
            return
        report.status = Report.Status.FAILED
        report.failure = failure
        report.error = detail[:ERROR_DETAIL_MAX]
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "failure", "error", "finished_at"])
    report_notify(report=report)


def report_notify(*, report: Report) -> None:
    """Tell the requester, in the report's language, that the report is ready or has failed."""
    user = report.requested_by
    if user is None or not user.email:
        return
    context = {"report": report, "url": settings.SITE_URL + report.get_absolute_url(), "user": user}
    with translation.override(report.language):
        subject = render_to_string("reports/email/subject.txt", context).strip()
        body = render_to_string("reports/email/body.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:  # the report itself is fine; a mail hiccup must not undo it
        logger.exception("Could not email report %s to its requester", report.pk)


def _test_slow_render(report: Report) -> None:
    """Test hook: REPORTS_TEST_RENDER_DELAY seconds of sleep on a report's first attempt only.

    Lets the fault test kill a worker in the middle of a render; unset in every real deployment.
    """
    delay = float(os.getenv("REPORTS_TEST_RENDER_DELAY") or 0)
    if delay and report.attempts == 1:
        time.sleep(delay)

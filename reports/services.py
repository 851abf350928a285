"""Ordering, rendering and retrying reports.

The render is split in three steps so that the database row is never locked while WeasyPrint
works: claim the report (lock, skip if done, mark it rendering), render without a lock, then store
the one file and mark it ready under the lock again. A second delivery of the same task (a worker
killed mid-render, a retry) finds the report ready and does nothing, or replaces the file under
the same name: there is always exactly one file per report.
"""

from __future__ import annotations

import logging
import threading
import uuid
from contextlib import contextmanager

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from coconnect import mail
from coconnect.background import enqueue
from coconnect.once import create_once

from .dossier import dossier_build
from .models import HEARTBEAT, Report, report_file_name
from .portfolio import portfolio_render
from .rendering import RenderedReport, report_render

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
    edition: str = "",
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
        edition=edition,
    )
    if created:
        _enqueue_render(report)
    return report, created


def portfolio_order(
    *, organisation, language: str, requested_by, submission_key: uuid.UUID | None = None
) -> tuple[Report, bool]:
    """Order the portfolio report of an organisation (its coordinators' edition), rendered after
    commit like every report. Returns (report, created); a double submit orders once."""
    report, created = create_once(
        Report,
        key=submission_key,
        scope={"organisation": organisation},
        kind=Report.Kind.PORTFOLIO,
        language=language,
        audience=Report.Audience.COORDINATOR,
        requested_by=requested_by,
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
        _requeue(locked)
    return True


def report_requeue_silent(*, report: Report) -> bool:
    """Queue a report again whose worker died mid-render (see Report.is_silent).

    Called by the requester's status poll: a dead worker is noticed within seconds instead of
    after the broker's redelivery. Should the old worker only have been slow, the report still
    ends with one file: whichever render stores it second finds it done.
    """
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if not locked.may_requeue_itself:
            return False
        logger.warning("Report %s: its worker went silent, queued again", locked.pk)
        _requeue(locked)
    return True


def _requeue(report: Report) -> None:
    report.status = Report.Status.QUEUED
    report.failure = ""
    report.error = ""
    report.heartbeat_at = timezone.now()
    report.save(update_fields=["status", "failure", "error", "heartbeat_at"])
    _enqueue_render(report)


def _enqueue_render(report: Report) -> None:
    # tasks.py imports this module (report_build, report_fail): imported here to break the cycle.
    from .tasks import render_report

    enqueue(render_report, report.pk)


def report_claim(*, report_id: int) -> Report | None:
    """Lock the report and mark it rendering; None when there is nothing (left) to do."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("trajectory", "workshop", "organisation", "requested_by")
            .filter(pk=report_id)
            .first()
        )
        if report is None or _is_done(report):
            return None
        report.status = Report.Status.RENDERING
        report.attempts += 1
        report.started_at = report.heartbeat_at = timezone.now()
        report.failure = ""
        report.error = ""
        report.save(
            update_fields=["status", "attempts", "started_at", "heartbeat_at", "failure", "error"]
        )
    return report


@contextmanager
def heartbeat(report_id: int):
    """While the block runs, mark the report alive every HEARTBEAT (in a thread of its own).

    A render is one long call into WeasyPrint; the beats tell the status page that the worker
    is still at it, and their absence that it died (Report.is_silent).
    """
    if connection.in_atomic_block:
        # The render runs inside a transaction (an inline caller): another connection cannot
        # see the row until it commits, so there is nothing a beat could update.
        yield
        return
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(HEARTBEAT.total_seconds()):
                Report.objects.filter(pk=report_id, status=Report.Status.RENDERING).update(
                    heartbeat_at=timezone.now()
                )
        except DatabaseError:  # a missed beat at worst sends the report round once more
            logger.warning("Report %s: heartbeat failed", report_id, exc_info=True)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"report-{report_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


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
    with heartbeat(report.pk):
        if report.is_dossier:
            rendered = _dossier_render(report)
        elif report.is_portfolio:
            rendered = portfolio_render(report)
        else:
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


def _dossier_render(report: Report) -> RenderedReport:
    # A dossier goes through the same claim, heartbeat, store and notify as a PDF; its file is
    # the ZIP, it has no pages and leaves no snapshot for the next progress report to compare.
    data = dossier_build(report.trajectory, edition=report.edition)
    return RenderedReport(pdf=data, pages=None, snapshot={})


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
    """Tell the requester that the report is ready or has failed: in the language they chose for
    their mails, or else in the report's (the language they ordered it in)."""
    user = report.requested_by
    if user is None or not user.email:
        return
    context = {"report": report, "url": settings.SITE_URL + report.get_absolute_url(), "user": user}
    try:
        mail.send(
            mail.recipient_for_user(user, fallback_language=report.language),
            kind=mail.Kind.INVITE,
            template="reports/email/report",
            context=context,
        )
    except Exception:  # the report itself is fine; a mail hiccup must not undo it
        logger.exception("Could not email report %s to its requester", report.pk)

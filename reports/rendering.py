"""Turning a Report row into a PDF: gather the sections, build the HTML, let WeasyPrint lay it out.

Everything runs inside `translation.override(report.language)`, so the sections of every app speak
the language chosen when ordering. The result is A4 with a cover, a table of contents with page
numbers, running headers and footers, and tagged as PDF/UA for screen readers.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from weasyprint import HTML

from health.models import InterimChange
from interests.models import InterestRound
from trajectories.models import Participant, Partner
from workshops.models import Workshop

from .models import Report
from .sections import progress_sections, session_sections
from .snapshot import collect_facts, compare

try:
    from weasyprint.urls import URLFetcher
except ImportError:  # WeasyPrint before 70 filters through a fetch function instead
    from weasyprint import default_url_fetcher

    URLFetcher = None

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}

_SECTION_HEAD = re.compile(
    r'<section\b[^>]*\bid="(?P<id>[^"]+)"[^>]*>\s*<h2\b[^>]*>(?P<title>.*?)</h2>', re.S
)
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    pages: int
    snapshot: dict


def report_render(report: Report) -> RenderedReport:
    """The PDF of this report, with the snapshot of facts to store on it."""
    with translation.override(report.language), timezone.override(settings.TIME_ZONE):
        context = report_context(report)
        document_html = render_to_string("reports/pdf/document.html", context)
    pdf, pages = html_to_pdf(document_html)
    return RenderedReport(pdf=pdf, pages=pages, snapshot=context["snapshot"])


def _url_fetcher():
    """Reports are self-contained: nothing is fetched from a URL that text might smuggle in."""
    if URLFetcher is not None:
        return URLFetcher(allowed_protocols=("data",), allow_redirects=False)

    def fetch(url, *args, **kwargs):  # WeasyPrint before 70
        if url.startswith("data:"):
            return default_url_fetcher(url, *args, **kwargs)
        raise ValueError(f"Reports load no outside resources ({url[:80]})")

    return fetch


def html_to_pdf(document_html: str) -> tuple[bytes, int]:
    document = HTML(
        string=document_html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher()
    ).render(**PDF_OPTIONS)
    return document.write_pdf(**PDF_OPTIONS), len(document.pages)


def report_context(report: Report) -> dict:
    """Everything the document template needs; call inside the report's language."""
    trajectory = report.trajectory
    audience = report.audience
    snapshot = {}
    if report.kind == Report.Kind.PROGRESS:
        snapshot = collect_facts(trajectory, audience=audience)
        previous = previous_progress_report(report)
        parts = [
            {"template": "reports/report/_basics.html", "section": basics_section(trajectory)},
            {
                "template": "reports/report/_changes.html",
                "section": changes_section(previous, snapshot),
            },
            # The timeline puts rounds and workshops in one line of dates; the apps give details.
            {"template": "reports/report/_timeline.html", "section": timeline_section(trajectory)},
            *progress_sections(trajectory, audience=audience),
        ]
        subject = None
    else:
        subject = report.workshop
        parts = session_sections(subject, audience=audience)
        if not any(part["app"] == "workshops" for part in parts):
            parts.insert(
                0,
                {
                    "template": "reports/report/_session_basics.html",
                    "section": session_basics_section(subject),
                },
            )
    extra = {"report": report, "trajectory": trajectory, "audience": audience}
    sections, toc, anchors = [], [], set()
    for part in parts:
        fragment = render_to_string(part["template"], {"section": part["section"], **extra})
        fragment, entries = readable_anchors(fragment, taken=anchors)
        sections.append(mark_safe(fragment))  # rendered by our own autoescaping templates
        toc += entries
    return {
        **extra,
        "workshop": subject,
        "title": str(report.Kind(report.kind).label),
        "subject": report.subject_name(),
        "rendered_at": timezone.now(),
        "sections": sections,
        "toc": toc,
        "snapshot": snapshot,
    }


def table_of_contents(fragment: str) -> list[dict]:
    """The top-level sections in a rendered fragment: their anchor and their heading's text."""
    return [
        {"id": match["id"], "title": _text(match["title"])}
        for match in _SECTION_HEAD.finditer(fragment)
    ]


def readable_anchors(fragment: str, *, taken: set[str]) -> tuple[str, list[dict]]:
    """Give each top-level section an anchor made of its heading, in the report's language.

    A tagged PDF describes each contents link by its anchor, so a Dutch reader's screen reader
    reads "opgave-doelen-en-partners" instead of the template's English "basics". Returns the
    fragment with its anchors (and links to them) renamed, and its contents entries.
    """
    entries = []
    for entry in table_of_contents(fragment):
        readable = base = slugify(entry["title"]) or entry["id"]
        counter = 2
        while readable in taken:
            readable, counter = f"{base}-{counter}", counter + 1
        taken.add(readable)
        fragment = fragment.replace(f'id="{entry["id"]}"', f'id="{readable}"', 1)
        fragment = fragment.replace(f'href="#{entry["id"]}"', f'href="#{readable}"')
        entries.append({"id": readable, "title": entry["title"]})
    return fragment, entries


def _text(html_fragment: str) -> str:
    return html.unescape(_TAGS.sub("", html_fragment)).strip()


def previous_progress_report(report: Report) -> Report | None:
    """The last ready progress report of the same trajectory for the same audience."""
    earlier = Report.objects.filter(
        trajectory_id=report.trajectory_id,
        kind=Report.Kind.PROGRESS,
        audience=report.audience,
        status=Report.Status.READY,
        created_at__lte=report.created_at,
    ).exclude(pk=report.pk)
    return earlier.order_by("-created_at", "-pk").first()


def basics_section(trajectory) -> dict:
    partners = Partner.objects.filter(trajectory=trajectory).prefetch_related(
        Prefetch("participants", queryset=Participant.objects.order_by("name", "pk"))
    )
    partners = list(partners)
    without_mandate = sum(
        1 for partner in partners for person in partner.participants.all() if not person.mandate
    )
    return {"trajectory": trajectory, "partners": partners, "without_mandate": without_mandate}


def changes_section(previous: Report | None, snapshot: dict) -> dict:
    if previous is None or not previous.snapshot:
        return {"previous": None, "rows": []}
    return {"previous": previous, "rows": compare(previous.snapshot, snapshot)}


def timeline_section(trajectory) -> dict:
    """Start, interest rounds, workshops and interim changes in date order (three queries)."""
    events = [{"date": timezone.localdate(trajectory.created_at), "kind": "start", "title": ""}]
    for round_ in InterestRound.objects.filter(trajectory=trajectory):
        events.append(
            {
                "date": timezone.localdate(round_.opened_at or round_.created_at),
                "kind": "round",
                "title": round_.title,
                "status": round_.get_status_display(),
            }
        )
    for workshop in Workshop.objects.filter(trajectory=trajectory):
        events.append(
            {
                "date": timezone.localdate(workshop.starts_at),
                "kind": "workshop",
                "title": workshop.title,
                "status": workshop.get_status_display(),
                "place": workshop.place,
            }
        )
    for change in InterimChange.objects.filter(trajectory=trajectory):
        events.append(
            {
                "date": change.occurred_on,
                "kind": "change",
                "title": change.title,
                "status": change.get_kind_display(),
            }
        )
    events.sort(key=lambda event: event["date"])
    return {"events": events}


def session_basics_section(workshop) -> dict:
    return {"workshop": workshop}

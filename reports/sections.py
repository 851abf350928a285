"""How each app contributes a section to the PDF reports.

An app that has something to say in a report is listed in `coconnect.composition` with either or
both of these functions (PROGRESS_SECTIONS, SESSION_SECTIONS):

    def progress_section(trajectory, *, audience: str) -> dict | None
    def session_section(workshop, *, audience: str) -> dict | None

and the templates `<app>/report/_progress.html` / `<app>/report/_session.html`, which receive the
dict as `section`. `audience` is "facilitator" or "manager": a manager's report never shows
facilitator-only content, so each app filters by it. Return None to leave the section out.

Sections are plain, semantic HTML for WeasyPrint (h2/h3, p, ul, dl, table.report-table, inline
<svg>), each starting with `<section class="report-section" id="…"><h2>…</h2>`; the report
stylesheet (reports/templates/reports/pdf/report.css) styles them. Keep each to a fixed number of
queries: a large trajectory must still render in seconds.
"""

from coconnect.composition import PROGRESS_SECTIONS, SESSION_SECTIONS

AUDIENCES = ("facilitator", "manager")


def _sections(hooks, subject, audience, kind):
    sections = []
    for app, section in hooks:
        data = section(subject, audience=audience)
        if data is not None:
            sections.append({"template": f"{app}/report/_{kind}.html", "section": data, "app": app})
    return sections


def progress_sections(trajectory, *, audience):
    assert audience in AUDIENCES
    return _sections(PROGRESS_SECTIONS, trajectory, audience, "progress")


def session_sections(workshop, *, audience):
    assert audience in AUDIENCES
    return _sections(SESSION_SECTIONS, workshop, audience, "session")

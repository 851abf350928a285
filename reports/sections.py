"""How each app contributes a section to the PDF reports.

An app that has something to say in a report provides `<app>/report.py` with either or both of:

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

from importlib import import_module

PROGRESS_APPS = ("interests", "workshops", "improvements", "health")
SESSION_APPS = ("workshops", "interests", "improvements")
AUDIENCES = ("facilitator", "manager")


def _sections(apps, function_name, subject, audience, kind):
    sections = []
    for app in apps:
        try:
            module = import_module(f"{app}.report")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.report":
                raise
            continue
        function = getattr(module, function_name, None)
        if function is None:
            continue
        data = function(subject, audience=audience)
        if data is not None:
            sections.append({"template": f"{app}/report/_{kind}.html", "section": data, "app": app})
    return sections


def progress_sections(trajectory, *, audience):
    assert audience in AUDIENCES
    return _sections(PROGRESS_APPS, "progress_section", trajectory, audience, "progress")


def session_sections(workshop, *, audience):
    assert audience in AUDIENCES
    return _sections(SESSION_APPS, "session_section", workshop, audience, "session")

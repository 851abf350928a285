"""The portfolio report: one organisation across every trajectory it takes part in, for its board.

A summary table, then one page per trajectory with the same content as the portfolio page
(organisations/selectors.py, organisations/coordination.py): representatives and mandates, own
interests, positions, action items, shared risks, the pulse above the anonymity floor and the
signals with their reasons. Rendered by the report task like every PDF, in the report's language.
The coordinators' edition: what the organisation's own participants may see, never another
partner's interests or the facilitator's notes.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from organisations.selectors import portfolio, summary
from trajectories.models import Partner

from .models import Report
from .rendering import RenderedReport, html_to_pdf


def portfolio_partners_of(organisation) -> list[Partner]:
    """Every partner of the organisation, trajectory selected, in the portfolio's order."""
    return list(
        Partner.objects.filter(organisation=organisation)
        .select_related("trajectory")
        .order_by("trajectory__name", "trajectory__pk")
    )


def portfolio_context(report: Report) -> dict:
    """Everything the portfolio template needs; call inside the report's language."""
    rows = portfolio(portfolio_partners_of(report.organisation))
    return {
        "report": report,
        "organisation": report.organisation,
        "rows": rows,
        "summary": summary(rows),
        "title": str(Report.Kind.PORTFOLIO.label),
        "subject": report.organisation.name,
        "rendered_at": timezone.now(),
    }


def portfolio_render(report: Report) -> RenderedReport:
    with translation.override(report.language), timezone.override(settings.TIME_ZONE):
        document_html = render_to_string("reports/pdf/portfolio.html", portfolio_context(report))
    pdf, pages = html_to_pdf(document_html)
    return RenderedReport(pdf=pdf, pages=pages, snapshot={})

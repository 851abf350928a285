"""The wide parts of a progress report (support matrix, interest map) as compact blocks on A4.

A large trajectory used to get a proposals × partners table that ran off the right edge over many
pages; these tests check that nothing is wider than the page, that every partner's position and
mandate is still there, and that the manager's edition keeps to the tiers.
"""

import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from improvements import report as improvements_report
from improvements.models import ImprovementPackage, Position, Proposal, ProposalGain
from interests.models import Interest, InterestRound, Theme
from reports.models import Report
from reports.rendering import report_context
from reports.services import report_build
from tests import factories
from workshops.models import Workshop

from .conftest import make_report, pdf_text

pytestmark = pytest.mark.django_db

PARTNERS = 12
SECRET = "VERTROUWELIJK-MARKER-3K"
ANONYMOUS = "ANONIEM-MARKER-5Z"
STANCES = ["supports", "conditions", "objects", "undecided"]
MANDATES = ["consult", "board", "agreed"]


@pytest.fixture
def wide_trajectory(trajectory):
    partners = [
        factories.make_partner(
            trajectory, f"Stichting Maatschappelijke Opvang en Begeleiding {n:02d}"
        )
        for n in range(PARTNERS - 1)
    ]
    # A name as long as the field allows must wrap in the key, not run off the page.
    partners.append(factories.make_partner(trajectory, "Zorgcoöperatie " + "Rivierland " * 16))
    for n in range(3):
        proposal = Proposal.objects.create(
            trajectory=trajectory,
            title=f"Voorstel {n + 1}: één woonloket voor de hele regio",
            proposer_partner=partners[n],
        )
        Position.objects.bulk_create(
            Position(
                proposal=proposal,
                partner=partner,
                stance=STANCES[(n + k) % 4],
                mandate=MANDATES[(n + k) % 3],
                text=(
                    f"Woorden van partner {k} bij voorstel {n + 1}"
                    if STANCES[(n + k) % 4] in ("conditions", "objects")
                    else ""
                ),
            )
            for k, partner in enumerate(partners[:-1])  # the last partner took no position yet
        )
        ProposalGain.objects.create(proposal=proposal, partner=partners[0], level="much")
    package = ImprovementPackage.objects.create(trajectory=trajectory, title="Verbeterpakket 2027")
    package.proposals.set(Proposal.objects.filter(trajectory=trajectory)[:2])
    round_ = InterestRound.objects.create(
        trajectory=trajectory, title="Eerste ronde", phase="exploration", status="revealed"
    )
    themes = [
        Theme.objects.create(
            trajectory=trajectory,
            round=round_,
            name=f"Thema {t}: wonen, zorg en werk",
            classification="common",
            rationale=f"Rationale {t}",
        )
        for t in range(8)
    ]
    for i, partner in enumerate(partners):
        Interest.objects.create(
            round=round_,
            partner=partner,
            theme=themes[i % 8],
            tier=Interest.Tier.NAMED,
            status=Interest.Status.SUBMITTED,
            statement=f"Gedeeld belang {i} van {partner.name}",
        )
    Interest.objects.create(
        round=round_,
        partner=partners[1],
        theme=themes[1],
        tier=Interest.Tier.FACILITATOR,
        status=Interest.Status.SUBMITTED,
        statement=f"Verborgen {SECRET}",
    )
    Interest.objects.create(
        round=round_,
        partner=partners[2],
        theme=themes[2],
        tier=Interest.Tier.ANONYMOUS,
        status=Interest.Status.SUBMITTED,
        statement=f"Zonder naam {ANONYMOUS}",
    )
    trajectory.wide_partners = partners
    return trajectory


def test_support_blocks_show_every_partners_position_and_mandate(wide_trajectory):
    partners = wide_trajectory.wide_partners
    with translation.override("nl"):
        section = improvements_report.progress_section(wide_trajectory, audience="manager")
        html = render_to_string("improvements/report/_progress.html", {"section": section})
    key = html[html.index('<div class="key">') : html.index("</div>")]
    for code, partner in zip("ABCDEFGHIJKL", partners, strict=True):
        assert f"<strong>{code}</strong>&nbsp;{partner.name}" in key
    key = _spaced(key)
    assert "✔ steunt = steunt" in key and "◆ bestuur = bestuursbesluit nodig" in key
    matrix = html[html.index("Draagvlakmatrix") :]
    assert "<table" not in matrix.split("Winst tegenover inspanning")[0]
    blocks = matrix.split('<div class="support">')[1:]
    assert len(blocks) == 3
    symbols = {
        "supports": "✔ steunt",
        "conditions": "◐ voorwaarden",
        "objects": "✖ bezwaar",
        "undecided": "? twijfelt",
    }
    mandates = {"consult": "◇ achterban", "board": "◆ bestuur", "agreed": "■ mandaat"}
    for n, block in enumerate(blocks):
        lines = _grid_lines(block)
        assert [len(line) for line in lines] == [3, 3, 3, 3]  # three columns, every partner
        entries = [entry for line in lines for entry in line]
        for k, code in enumerate("ABCDEFGHIJK"):
            stance, mandate = STANCES[(n + k) % 4], MANDATES[(n + k) % 3]
            assert entries[k] == f"{code} {symbols[stance]} {mandates[mandate]}"
        assert entries[11] == "L – geen standpunt"
        block = _spaced(block)
        assert "Winst: A veel winst" in block
        assert f"Woorden van partner {(1 - n) % 4} bij voorstel {n + 1}" in block
    assert "in het pakket" in blocks[0] and "in het pakket" not in blocks[2]
    verdict = _spaced(html[html.index("Verbeterpakket 2027") : html.index("Draagvlakmatrix")])
    assert "Houdt tegen:" in verdict and re.search(r"[:,] L – geen standpunt", verdict)
    assert "Moet nog beslissen:" in verdict and "◇ achterban" in verdict


def _spaced(html: str) -> str:
    """The report keeps a code with its symbol and word by non-breaking spaces."""
    return html.replace("&nbsp;", " ")


def _grid_lines(block: str) -> list[list[str]]:
    """The positions in a support block, line by line: a tab stop between columns."""
    start = block.index('<p class="support__grid">') + len('<p class="support__grid">')
    grid = block[start : block.index("</p>", start)]
    return [[entry.strip() for entry in line.split("\t")] for line in grid.split("\n")]


def test_partner_codes_go_on_after_z():
    partners = [type("P", (), {"pk": n})() for n in range(30)]
    codes = improvements_report.partner_codes(partners)
    assert [codes[0], codes[25], codes[26], codes[29]] == ["A", "Z", "AA", "AD"]


def test_session_section_uses_the_same_blocks(wide_trajectory):

    workshop = Workshop.objects.create(
        trajectory=wide_trajectory, title="Werkbijeenkomst", starts_at=timezone.now()
    )
    Proposal.objects.filter(trajectory=wide_trajectory).update(workshop=workshop)
    with translation.override("nl"):
        section = improvements_report.session_section(workshop, audience="manager")
        html = render_to_string("improvements/report/_session.html", {"section": section})
    assert html.count('<div class="support">') == 3
    assert '<div class="key">' in html and "<table" not in html


def _overflow(pdf_html: str) -> list[str]:
    """Boxes whose right edge lies beyond the page's content area (a little slack for rounding)."""

    document = HTML(string=pdf_html, base_url=str(settings.BASE_DIR)).render()
    problems = []
    for number, page in enumerate(document.pages, start=1):
        page_box = page._page_box
        right = page_box.margin_width() - page_box.margin_right
        for root in page_box.children:
            if isinstance(root, boxes.MarginBox):
                continue
            for box in root.descendants():
                if isinstance(box, (boxes.TextBox, boxes.LineBox, boxes.BlockBox, boxes.TableBox)):
                    edge = box.position_x + box.margin_width()
                    if edge > right + 1:
                        text = getattr(box, "text", "") or type(box).__name__
                        problems.append(
                            f"page {number}: {text[:40]!r} ends at {edge:.0f} > {right:.0f}"
                        )
    return problems


@pytest.mark.parametrize("audience", ["manager", "facilitator"])
def test_wide_trajectory_fits_the_page(wide_trajectory, audience):
    report = make_report(wide_trajectory, audience=audience, language="nl")
    with translation.override("nl"):
        html = render_to_string("reports/pdf/document.html", report_context(report))
    assert _overflow(html) == []


def test_managers_pdf_keeps_the_tiers_and_names_every_partner(wide_trajectory, manager):
    report = make_report(wide_trajectory, requested_by=manager, audience="manager")
    report_build(report_id=report.pk)
    text = pdf_text(Report.objects.get(pk=report.pk))
    for partner in wide_trajectory.wide_partners:
        assert partner.name in text
    assert "Draagvlakmatrix" in text and "Partner niet genoemd" in text
    assert ANONYMOUS in text and SECRET not in text
    assert "Woorden van partner 1 bij voorstel 1" in text


def test_facilitators_pdf_holds_the_facilitator_only_interest(wide_trajectory, facilitator):
    report = make_report(wide_trajectory, requested_by=facilitator, audience="facilitator")
    report_build(report_id=report.pk)
    text = pdf_text(Report.objects.get(pk=report.pk))
    assert SECRET in text and ANONYMOUS in text


@pytest.mark.parametrize("audience", ["manager", "facilitator"])
def test_no_template_comment_reaches_the_page(wide_trajectory, audience):
    """A {# #} comment ends at its line; a longer one would be printed in the report."""
    report = make_report(wide_trajectory, audience=audience, language="nl")
    with translation.override("nl"):
        html = render_to_string("reports/pdf/document.html", report_context(report))
    assert "{#" not in html and "#}" not in html and "{%" not in html

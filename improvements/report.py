"""Sections for the PDF reports (contract: reports/sections.py)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from trajectories.models import Partner

from .charts import gain_effort_svg
from .models import Mandate, PositionChange, Proposal, Stance
from .selectors import (
    build_matrix,
    follow_up_groups,
    follow_up_totals,
    frozen_for_display,
    latest_packages,
    package_verdict,
)

# The report shows the support matrix as one compact block per proposal, so that it fits A4
# portrait whatever the number of partners and stays cheap to lay out: each partner is a letter
# (explained in a key), with a shape and a short word for the stance and for the mandate.
STANCE_SHORT = {
    Stance.SUPPORTS: pgettext_lazy("short stance", "supports"),
    Stance.CONDITIONS: pgettext_lazy("short stance", "conditions"),
    Stance.OBJECTS: pgettext_lazy("short stance", "objects"),
    Stance.UNDECIDED: pgettext_lazy("short stance", "undecided"),
}
MANDATE_SHORT = {
    Mandate.CONSULT: pgettext_lazy("short mandate", "consult"),
    Mandate.BOARD: pgettext_lazy("short mandate", "board"),
    Mandate.AGREED: pgettext_lazy("short mandate", "mandated"),
}
NO_POSITION_SHORT = pgettext_lazy("short stance", "no position")
# The positions of a proposal go three to a line, as one text with tab stops a third of the page
# apart (report.css, .support__grid): WeasyPrint lays out and tags a line of text many times
# faster than a box per partner, and the columns still line up.
GRID_COLUMNS = 3


def partner_codes(partners) -> dict:
    """A, B, … Z, AA, AB, …: a short code per partner, in the order of the partners."""
    codes = {}
    for index, partner in enumerate(partners):
        code, n = "", index
        while True:
            code = chr(ord("A") + n % 26) + code
            n = n // 26 - 1
            if n < 0:
                break
        codes[partner.pk] = code
    return codes


def legend() -> dict:
    return {
        "stances": [(s.symbol, STANCE_SHORT[s], s.label) for s in Stance],
        "mandates": [(m.symbol, MANDATE_SHORT[m], m.label) for m in Mandate],
    }


def support_blocks(
    matrix, codes, *, package_ids=frozenset(), adopted_ids=frozenset()
) -> list[dict]:
    """Per proposal: every partner's code with stance and mandate, then their words and gains."""
    blocks = []
    for row in matrix.rows:
        entries, notes, gains = [], [], []
        for cell in row.cells:
            code = codes[cell.partner.pk]
            stance, mandate = cell.stance, cell.mandate
            entries.append(
                {
                    "code": code,
                    "partner": cell.partner,
                    "stance": stance,
                    "stance_symbol": stance.symbol if stance else "–",
                    "stance_short": STANCE_SHORT[stance] if stance else NO_POSITION_SHORT,
                    "mandate": mandate,
                    "mandate_symbol": mandate.symbol if mandate else "",
                    "mandate_short": MANDATE_SHORT[mandate] if mandate else "",
                }
            )
            if cell.position and cell.position.text:
                notes.append({"code": code, "symbol": stance.symbol, "text": cell.position.text})
            if cell.gain:
                gains.append({"code": code, "gain": cell.gain})
        blocks.append(
            {
                "number": row.number,
                "grid": position_grid(entries),
                "proposal": row.proposal,
                "supporters": row.supporters,
                "in_package": row.proposal.pk in package_ids,
                "adopted": row.proposal.pk in adopted_ids,
                "entries": entries,
                "notes": notes,
                "gains": gains,
            }
        )
    return blocks


def position_text(entry: dict) -> str:
    """One partner's position in a block: "B ◐ conditions ◆ board"."""
    text = f"{entry['code']} {entry['stance_symbol']} {entry['stance_short']}"
    if entry["mandate"]:
        text += f" {entry['mandate_symbol']} {entry['mandate_short']}"
    return text


def position_grid(entries: list[dict]) -> str:
    """The positions, GRID_COLUMNS to a line: a space and a tab between them, so a screen reader
    hears a word break where the reader sees a column."""
    texts = [position_text(entry) for entry in entries]
    lines = (texts[start : start + GRID_COLUMNS] for start in range(0, len(texts), GRID_COLUMNS))
    return "\n".join(" \t".join(line) for line in lines)


def verdict_rows(verdict, codes, numbers) -> list[dict]:
    """The package's verdict per proposal: who blocks, who sets conditions, who still decides."""
    rows = {
        proposal.pk: {
            "proposal": proposal,
            "number": numbers.get(proposal.pk),
            "blockers": [],
            "conditions": [],
            "decisions": [],
        }
        for proposal in verdict.proposals
    }
    for finding in verdict.blockers:
        position = finding.proposal.position_for(finding.partner.pk)
        stance = position.stance_choice if position else None
        rows[finding.proposal.pk]["blockers"].append(
            {
                "code": codes.get(finding.partner.pk, "?"),
                "symbol": stance.symbol if stance else "–",
                "short": STANCE_SHORT[stance] if stance else NO_POSITION_SHORT,
            }
        )
    for finding in verdict.conditions:
        rows[finding.proposal.pk]["conditions"].append({"code": codes.get(finding.partner.pk, "?")})
    for finding in verdict.decisions:
        position = finding.proposal.position_for(finding.partner.pk)
        mandate = position.mandate_choice
        rows[finding.proposal.pk]["decisions"].append(
            {
                "code": codes.get(finding.partner.pk, "?"),
                "symbol": mandate.symbol,
                "short": MANDATE_SHORT[mandate],
            }
        )
    return list(rows.values())


def progress_section(trajectory, *, audience: str) -> dict | None:
    """The adopted package and the one in preparation, the support matrix with the chart, and
    the follow-up per partner: fixed queries."""
    partners = list(Partner.objects.filter(trajectory=trajectory))
    matrix = build_matrix(partners, Proposal.objects.filter(trajectory=trajectory).for_matrix())
    groups = follow_up_groups(trajectory, partners=partners)
    totals = follow_up_totals(groups)
    # A newer draft never hides what was adopted: managers see both.
    adopted, draft = latest_packages(trajectory)
    if not matrix.rows and adopted is None and draft is None and not any(totals.values()):
        return None
    verdict = package_verdict(draft) if draft else None
    codes = partner_codes(partners)
    numbers = {row.proposal.pk: row.number for row in matrix.rows}
    package_ids = frozenset(p.pk for p in verdict.proposals) if verdict else frozenset()
    return {
        "matrix": matrix,
        "partners": [{"code": codes[p.pk], "partner": p} for p in partners],
        "blocks": support_blocks(
            matrix,
            codes,
            package_ids=package_ids,
            adopted_ids=frozenset(
                item["id"]
                for item in (adopted.frozen_content if adopted else {}).get("proposals", [])
            ),
        ),
        "legend": legend(),
        "verdict_rows": verdict_rows(verdict, codes, numbers) if verdict else [],
        "chart": gain_effort_svg(matrix.chart_points(), chart_id="report-gain-effort"),
        "adopted": adopted,
        "frozen": frozen_for_display(adopted.frozen_content) if adopted else None,
        "draft": draft,
        "verdict": verdict,
        "groups": groups,
        "totals": totals,
        "audience": audience,
    }


def _session_window(workshop):
    """From the start of the session to its close; without those, the whole day it was planned."""
    day = timezone.localtime(workshop.starts_at)
    start = workshop.started_at or day.replace(hour=0, minute=0, second=0, microsecond=0)
    end = workshop.closed_at or (
        day.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    )
    return start, end


def session_section(workshop, *, audience: str) -> dict | None:
    """The proposals made in this workshop, their support, and the positions taken during it."""
    partners = list(Partner.objects.filter(trajectory_id=workshop.trajectory_id))
    proposals = Proposal.objects.filter(workshop=workshop).for_matrix()
    matrix = build_matrix(partners, proposals)
    start, end = _session_window(workshop)
    changes = list(
        PositionChange.objects.filter(
            position__proposal__trajectory_id=workshop.trajectory_id,
            changed_at__gte=start,
            changed_at__lt=end,
        )
        .select_related("position__partner", "position__proposal")
        .order_by("changed_at", "pk")
    )
    if not matrix.rows and not changes:
        return None
    codes = partner_codes(partners)
    return {
        "matrix": matrix,
        "partners": [{"code": codes[p.pk], "partner": p} for p in partners],
        "blocks": support_blocks(matrix, codes),
        "legend": legend(),
        "changes": changes,
        "workshop": workshop,
        "audience": audience,
    }

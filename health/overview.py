"""Reads that gather what the health page, the pulse page and the report show.

Each function takes a fixed number of queries, whatever the number of partners, pulses or answers.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .charts import profile_svg, trend_svg
from .diagnosis import diagnose
from .models import DiagnosisDecision, Pulse, Risk, Stakeholder
from .results import MIN_GROUP, TrajectoryResults, trend
from .statements import FORCES, TOPICS

TREND_PULSES = 6


def pulse_results(
    trajectory,
    *,
    audience: str,
    pulse: Pulse | None = None,
    pulses: list | None = None,
    partners: list | None = None,
) -> dict:
    """Profile, cuts, trend and diagnosis of one pulse (by default the latest with enough answers).

    `audience` is "facilitator" or "manager" (managers never see dismissed findings nor notes).
    """
    if pulses is None:
        pulses = list(Pulse.objects.filter(trajectory=trajectory).order_by("created_at", "pk"))
    if partners is None:
        partners = list(trajectory.partners.all())
    results = TrajectoryResults(trajectory)
    if pulse is None:
        answered = [p for p in pulses if results.respondents(p.pk) >= MIN_GROUP]
        pulse = answered[-1] if answered else (pulses[-1] if pulses else None)
    data = {
        "pulses": pulses,
        "pulse": pulse,
        "min_group": MIN_GROUP,
        "topic_heads": [{"key": t, "label": t.label} for t in TOPICS],
        "trend_points": trend(results, pulses),
    }
    if len(pulses) > 1:
        # The latest pulses only, so that the chart stays legible on a phone and on a page.
        data["trend_chart"] = trend_svg(
            data["trend_points"][-TREND_PULSES:], title=_("Driving forces per pulse")
        )
    if pulse is None:
        return data
    overall = results.overall(pulse.pk)
    overall.label = _("Everyone")
    levels = results.by_level(pulse.pk)
    data.update(
        respondents=overall.respondents,
        overall=overall,
        levels=levels,
        partners=results.by_partner(pulse.pk, partners),
        level_table=transposed([overall] + [cell for _l, cell in levels]),
        profile_chart=profile_svg(
            [(_("Everyone"), overall.means)] + [(cell.label, cell.means) for _l, cell in levels],
            title=_("Profile of the driving forces: %(pulse)s") % {"pulse": pulse.title},
        ),
        forces=FORCES,
    )
    findings = diagnose(
        overall.means, {level: cell.means for level, cell in levels if cell.visible}
    )
    decisions = {
        d.rule: d
        for d in DiagnosisDecision.objects.filter(pulse=pulse).select_related("decided_by")
    }
    for finding in findings:
        finding.decision = decisions.get(finding.key)
    if audience != "facilitator":
        findings = [f for f in findings if f.status != DiagnosisDecision.Status.DISMISSED]
    data["findings"] = findings
    return data


def transposed(cells: list) -> dict:
    """Topics as rows, groups as columns: reads well for a handful of groups (everyone + levels)."""
    return {
        "groups": cells,
        "rows": [
            {
                "label": topic.label,
                "force": topic in FORCES,
                "values": [cell.mean(topic) for cell in cells],
            }
            for topic in TOPICS
        ],
    }


def risk_register(risks: list) -> dict:
    """The context of a list of risks: the risks, those overdue for review, and the grid."""
    return {
        "risks": risks,
        "overdue_risks": [r for r in risks if r.is_overdue],
        "risk_grid": risk_grid(risks),
    }


def stakeholder_register(stakeholders: list) -> dict:
    """The context of a list of stakeholders: the stakeholders, the grid and the shared concerns."""
    return {
        "stakeholders": stakeholders,
        "stakeholder_grid": stakeholder_grid(stakeholders),
        "shared_concerns": [s for s in stakeholders if s.shared_concern],
    }


def risk_grid(risks) -> list[dict]:
    """A 5×5 grid: rows impact 5..1, columns likelihood 1..5, each cell with its count."""
    counts: dict[tuple[int, int], int] = {}
    for risk in risks:
        if risk.status == Risk.Status.OPEN:
            counts[(risk.impact, risk.likelihood)] = (
                counts.get((risk.impact, risk.likelihood), 0) + 1
            )
    rows = []
    for impact in range(5, 0, -1):
        cells = []
        for likelihood in range(1, 6):
            cells.append(
                {
                    "likelihood": likelihood,
                    "count": counts.get((impact, likelihood), 0),
                    "severity": Risk.severity_of(impact * likelihood),
                }
            )
        rows.append({"impact": impact, "cells": cells})
    return rows


def stakeholder_grid(stakeholders) -> list[dict]:
    """A 3×3 grid: rows power high..low, columns interest low..high, with the names in each cell."""
    cells = {}
    for stakeholder in stakeholders:
        cells.setdefault((stakeholder.power, stakeholder.interest), []).append(stakeholder)
    levels = Stakeholder.Level
    return [
        {
            "power": power,
            "cells": [
                {"interest": interest, "stakeholders": cells.get((power.value, interest.value), [])}
                for interest in levels
            ],
        }
        for power in reversed(levels)
    ]

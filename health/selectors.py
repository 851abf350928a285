"""Reads of the health app: pulse results with the anonymity floor, and what the health page,
the pulse page, the live item and the report show.

Pulse results are read in two grouped queries per trajectory, whatever the number of pulses,
partners or participants; the cuts (overall, per partner, per level) are summed in Python from
buckets of (pulse, partner, level). No cut ever shows a group of fewer than MIN_GROUP people.
Each function takes a fixed number of queries, whatever the amount of data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from trajectories.models import Participant

from .charts import profile_svg, trend_svg
from .diagnosis import diagnose
from .models import SCORES, Answer, DiagnosisDecision, Pulse, Response, Risk, Stakeholder
from .statements import FORCES, STATEMENTS, TOPIC_OF, TOPICS, Topic

MIN_GROUP = 3


@dataclass
class Cell:
    """The answers of one group of people on every topic."""

    label: str = ""
    respondents: int = 0
    # topic -> [sum of scores, number of scores]
    totals: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    # Hidden although big enough, because otherwise a small group could be worked out.
    protected: bool = False

    def add(self, other: Cell) -> None:
        self.respondents += other.respondents
        for topic, (total, n) in other.totals.items():
            self.totals[topic][0] += total
            self.totals[topic][1] += n

    @property
    def too_few(self) -> bool:
        return self.respondents < MIN_GROUP

    @property
    def hidden(self) -> bool:
        return self.too_few or self.protected

    @property
    def visible(self) -> bool:
        return not self.hidden and self.respondents > 0

    def mean(self, topic: str) -> float | None:
        if self.hidden:
            return None
        total, n = self.totals.get(topic, (0, 0))
        return round(total / n, 2) if n else None

    @property
    def means(self) -> dict[str, float | None]:
        return {topic: self.mean(topic) for topic in TOPICS}

    def rows(self) -> list[dict]:
        """Topic rows for templates: label and mean (None when hidden)."""
        return [{"topic": t, "label": t.label, "mean": self.mean(t)} for t in TOPICS]


def _protect(cells: list[Cell]) -> None:
    """Complementary suppression: if the hidden groups of a cut hold only one or two people, the
    overall figure minus the visible groups would reveal them; hide the smallest visible groups
    too until the hidden part holds at least MIN_GROUP people."""
    hidden_people = sum(c.respondents for c in cells if c.too_few)
    if hidden_people == 0 or hidden_people >= MIN_GROUP:
        return
    for cell in sorted((c for c in cells if not c.too_few), key=lambda c: c.respondents):
        cell.protected = True
        hidden_people += cell.respondents
        if hidden_people >= MIN_GROUP:
            return


class TrajectoryResults:
    """All pulse results of one trajectory, read in two queries."""

    def __init__(self, trajectory, *, pulse_ids=None):
        answers = Answer.objects.filter(response__pulse__trajectory=trajectory)
        responses = Response.objects.filter(pulse__trajectory=trajectory)
        if pulse_ids is not None:
            answers = answers.filter(response__pulse_id__in=pulse_ids)
            responses = responses.filter(pulse_id__in=pulse_ids)
        self.buckets: dict[tuple, Cell] = defaultdict(Cell)
        for row in responses.values("pulse_id", "partner_id", "level").annotate(n=Count("id")):
            self.buckets[(row["pulse_id"], row["partner_id"], row["level"])].respondents = row["n"]
        # One row per (pulse, partner, level) with a sum and a count per topic: a few hundred rows
        # for a large trajectory instead of one per statement.
        sums = {}
        for topic in TOPICS:
            keys = [statement.key for statement in STATEMENTS if statement.topic == topic]
            sums[f"{topic}__total"] = Sum("score", filter=Q(statement__in=keys))
            sums[f"{topic}__n"] = Count("id", filter=Q(statement__in=keys))
        grouped = answers.values(
            "response__pulse_id", "response__partner_id", "response__level"
        ).annotate(**sums)
        for row in grouped:
            key = (row["response__pulse_id"], row["response__partner_id"], row["response__level"])
            totals = self.buckets[key].totals
            for topic in TOPICS:
                n = row[f"{topic}__n"]
                if n:
                    totals[topic][0] += row[f"{topic}__total"]
                    totals[topic][1] += n

    def _sum(self, pulse_id, predicate=lambda partner_id, level: True, label="") -> Cell:
        cell = Cell(label=label)
        for (p, partner_id, level), bucket in self.buckets.items():
            if p == pulse_id and predicate(partner_id, level):
                cell.add(bucket)
        return cell

    def overall(self, pulse_id) -> Cell:
        return self._sum(pulse_id)

    def respondents(self, pulse_id) -> int:
        return self.overall(pulse_id).respondents

    def by_level(self, pulse_id) -> list[tuple[str, Cell]]:
        cells = [
            (level, self._sum(pulse_id, lambda _p, lv, level=level: lv == level, label))
            for level, label in Participant.Level.choices
        ]
        _protect([c for _l, c in cells])
        return cells

    def by_partner(self, pulse_id, partners) -> list[tuple[object, Cell]]:
        cells = [
            (partner, self._sum(pulse_id, lambda p, _lv, pk=partner.pk: p == pk, partner.name))
            for partner in partners
        ]
        _protect([c for _p, c in cells])
        return cells


def trend(results: TrajectoryResults, pulses: list[Pulse]) -> list[dict]:
    """One point per pulse: label, respondents and the mean per topic (None below the floor)."""
    points = []
    for pulse in pulses:
        cell = results.overall(pulse.pk)
        points.append(
            {
                "pulse": pulse,
                "label": pulse.title,
                "respondents": cell.respondents,
                "means": cell.means,
            }
        )
    return points


def remarks(pulse: Pulse) -> list[dict]:
    """Remarks without names, partners or order of arrival; only when enough people answered."""
    responses = Response.objects.filter(pulse=pulse).count()
    if responses < MIN_GROUP:
        return []
    rows = (
        Answer.objects.filter(response__pulse=pulse)
        .exclude(remark="")
        .values_list("statement", "remark")
        .order_by("statement", "remark")
    )
    texts = {s.key: s.text for s in STATEMENTS}
    return [
        {"topic": Topic(TOPIC_OF[key]).label, "statement": texts[key], "remark": remark}
        for key, remark in rows
        if key in texts
    ]


# --- what the pages show ---

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
    for impact in reversed(SCORES):
        cells = []
        for likelihood in SCORES:
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


@dataclass
class AnswerRate:
    partner: object
    answered: int
    asked: int

    @property
    def missing(self) -> int:
        return max(0, self.asked - self.answered)


def answer_rates(pulse: Pulse) -> list[AnswerRate]:
    """Per partner, how many of its representatives answered this pulse (for the facilitator:
    who to remind; the answers themselves stay unlinked). Two queries."""
    from trajectories.models import Partner

    partners = list(
        Partner.objects.filter(trajectory_id=pulse.trajectory_id).annotate(
            asked=Count("participants", filter=Q(participants__erased_at__isnull=True))
        )
    )
    answered = dict(
        Response.objects.filter(pulse=pulse, participant__isnull=False)
        .values_list("partner_id")
        .annotate(n=Count("pk"))
    )
    return [AnswerRate(p, answered.get(p.pk, 0), p.asked) for p in partners]

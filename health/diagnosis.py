"""The diagnosis: explicit rules over the pulse's topic averages.

Each rule is a row in RULES: a name, what it means, ways out, and the conditions under which it
fires. A rule is checked on everyone together and on each level (board, manager, professional) that
has enough answers, so a finding also says which levels see it and which do not. The facilitator
confirms or dismisses each finding (DiagnosisDecision); the rules themselves never decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from trajectories.models import Participant

from .statements import FORCES, Topic

HIGH = 3.5  # an average of at least this counts as strong
LOW = 2.9  # an average of at most this counts as weak
LEVEL_GAP = 1.0  # levels that differ this much on a topic see the collaboration differently


@dataclass(frozen=True)
class AtLeast:
    topic: str
    value: float = HIGH

    def holds(self, means: dict) -> bool:
        mean = means.get(self.topic)
        return mean is not None and mean >= self.value


@dataclass(frozen=True)
class AtMost:
    topic: str
    value: float = LOW

    def holds(self, means: dict) -> bool:
        mean = means.get(self.topic)
        return mean is not None and mean <= self.value


@dataclass(frozen=True)
class Gap:
    """`high` exceeds `low` by at least `size` points."""

    high: str
    low: str
    size: float = 1.0

    def holds(self, means: dict) -> bool:
        a, b = means.get(self.high), means.get(self.low)
        return a is not None and b is not None and a - b >= self.size


@dataclass(frozen=True)
class Rule:
    key: str
    name: str
    meaning: str
    ways_out: tuple
    conditions: tuple
    topics: tuple = ()  # the topics to show as evidence
    stagnation: bool = False

    def holds(self, means: dict) -> bool:
        return all(condition.holds(means) for condition in self.conditions)


RULES = (
    Rule(
        key="sham",
        name=_("Sham collaboration"),
        meaning=_(
            "Plans, agreements and budgets are in place, but little happens in practice: "
            "the collaboration lives on paper more than in the daily work."
        ),
        ways_out=(
            _(
                "Move from goals to practice: start one tangible joint project that gives clients "
                "something no partner can offer alone."
            ),
            _(
                "Let the professionals choose goals they can actually reach within one to two "
                "years."
            ),
            _("Managers agree on small, realistic targets and check together that they are met."),
        ),
        conditions=(
            AtLeast(Topic.INTENTION),
            AtMost(Topic.ACTION),
            Gap(Topic.INTENTION, Topic.ACTION),
        ),
        topics=(Topic.INTENTION, Topic.ACTION),
        stagnation=True,
    ),
    Rule(
        key="island",
        name=_("Island collaboration"),
        meaning=_(
            "People work together well in practice, but the organisations behind them do not "
            "connect: the results depend on a few people and do not last."
        ),
        ways_out=(
            _(
                "Move from action to connection: turn what works into a lasting joint product, "
                "for instance a shared in-between facility."
            ),
            _(
                "Let the professional team shape it as a fixed work process, a small enterprise of "
                "its own."
            ),
            _(
                "Managers link back offices, methods, logistics and ICT so that the practice is "
                "carried by the organisations."
            ),
        ),
        conditions=(
            AtLeast(Topic.ACTION),
            AtMost(Topic.CONNECTION),
            Gap(Topic.ACTION, Topic.CONNECTION),
        ),
        topics=(Topic.ACTION, Topic.CONNECTION),
        stagnation=True,
    ),
    Rule(
        key="low_trust",
        name=_("Little trust between partners"),
        meaning=_("Representatives doubt whether the others will deliver what they promise."),
        ways_out=(
            _(
                "Put interests and differences on the table in a facilitated session, without "
                "judging."
            ),
            _("Agree a few small mutual commitments and look back on them openly."),
        ),
        conditions=(AtMost(Topic.TRUST, 2.5),),
        topics=(Topic.TRUST,),
    ),
    Rule(
        key="unclear_mandate",
        name=_("Unclear mandate"),
        meaning=_("Representatives do not know what they may decide at the table."),
        ways_out=(
            _(
                "Ask every representative to agree their mandate with their own organisation, "
                "record it, and look at it again in each phase."
            ),
        ),
        conditions=(AtMost(Topic.MANDATE, 2.5),),
        topics=(Topic.MANDATE,),
    ),
    Rule(
        key="out_of_step",
        name=_("Content runs ahead of support"),
        meaning=_("Decisions at the table are not carried in the partners' own organisations."),
        ways_out=(
            _("Build in moments to take decisions back to each constituency before the next step."),
            _("Slow the content down until support has caught up."),
        ),
        conditions=(AtMost(Topic.IN_STEP, 2.5),),
        topics=(Topic.IN_STEP,),
    ),
    Rule(
        key="weak_structure",
        name=_("Work structure not good enough"),
        meaning=_("The way the work is organised gets in the way of progress."),
        ways_out=(
            _(
                "Agree a structure that is good enough: who takes part, how often, who prepares "
                "and who decides."
            ),
        ),
        conditions=(AtMost(Topic.WORK_STRUCTURE, 2.5),),
        topics=(Topic.WORK_STRUCTURE,),
    ),
    Rule(
        key="weak_invitation",
        name=_("Invitation unclear or unattractive"),
        meaning=_(
            "Partners do not see clearly what is asked of them, or why taking part pays off."
        ),
        ways_out=(
            _(
                "Restate the invitation: what the task asks of each partner, what they gain and "
                "what they can expect; adjust expectations where needed."
            ),
            _("Start a new round of sharing interests."),
        ),
        conditions=(AtMost(Topic.INVITATION, 2.5),),
        topics=(Topic.INVITATION, Topic.ATTRACTIVENESS),
    ),
    Rule(
        key="no_room",
        name=_("No room left for ambition"),
        meaning=_("There is little creative space left to look for new solutions."),
        ways_out=(
            _("Plan a session to explore new options without committing to them straight away."),
        ),
        conditions=(AtMost(Topic.AMBITION, 2.5),),
        topics=(Topic.AMBITION,),
    ),
)
RULES_BY_KEY = {rule.key: rule for rule in RULES}

LEVELS_DIFFER = Rule(
    key="levels_differ",
    name=_("Levels see the collaboration differently"),
    meaning=_(
        "Board members, managers and professionals rate the driving forces far apart. Usually "
        "boards drive the goals, managers the structure and professionals the daily practice."
    ),
    ways_out=(
        _(
            "Bring the levels together: let professionals put their bottlenecks before managers "
            "and the board."
        ),
        _(
            "Managers and board members decide on those bottlenecks, instead of leaving "
            "professionals to sort them out."
        ),
    ),
    conditions=(),
    topics=FORCES,
)
RULES_BY_KEY[LEVELS_DIFFER.key] = LEVELS_DIFFER
LEVEL_LABELS = dict(Participant.Level.choices)


@dataclass
class Finding:
    rule: Rule
    overall: bool  # holds for everyone together
    seen_by: list = field(default_factory=list)  # level labels where it holds
    not_seen_by: list = field(default_factory=list)  # level labels (with enough answers) where not
    evidence: list = field(default_factory=list)  # [{"label", "mean"}]
    gaps: list = field(default_factory=list)  # [{"topic", "high", "high_mean", "low", "low_mean"}]
    decision: object = None  # DiagnosisDecision or None

    @property
    def key(self) -> str:
        return self.rule.key

    @property
    def status(self) -> str:
        return self.decision.status if self.decision else "open"


def level_gaps(level_means: dict, topics=FORCES, size=LEVEL_GAP) -> list[dict]:
    """Topics on which the highest and lowest level differ by at least `size`."""
    gaps = []
    for topic in topics:
        rated = [
            (level, means[topic])
            for level, means in level_means.items()
            if means.get(topic) is not None
        ]
        if len(rated) < 2:
            continue
        high = max(rated, key=lambda r: r[1])
        low = min(rated, key=lambda r: r[1])
        if high[1] - low[1] >= size:
            gaps.append(
                {
                    "topic": Topic(topic).label,
                    "high": LEVEL_LABELS.get(high[0], high[0]),
                    "high_mean": high[1],
                    "low": LEVEL_LABELS.get(low[0], low[0]),
                    "low_mean": low[1],
                }
            )
    return gaps


def diagnose(overall: dict, levels: dict, rules=RULES) -> list[Finding]:
    """Findings for one pulse.

    `overall`: topic -> mean for everyone (None when too few answers).
    `levels`: level -> {topic -> mean}, only for levels with enough answers.
    """
    findings = []
    for rule in rules:
        seen = [level for level, means in levels.items() if rule.holds(means)]
        holds_overall = rule.holds(overall)
        if not holds_overall and not seen:
            continue
        findings.append(
            Finding(
                rule=rule,
                overall=holds_overall,
                seen_by=[LEVEL_LABELS.get(level, level) for level in seen],
                not_seen_by=[
                    LEVEL_LABELS.get(level, level) for level in levels if level not in seen
                ],
                evidence=[{"label": Topic(t).label, "mean": overall.get(t)} for t in rule.topics],
                gaps=level_gaps(levels, rule.topics),
            )
        )
    gaps = level_gaps(levels)
    if gaps:
        findings.append(
            Finding(
                rule=LEVELS_DIFFER,
                overall=False,
                evidence=[{"label": Topic(t).label, "mean": overall.get(t)} for t in FORCES],
                gaps=gaps,
            )
        )
    return findings

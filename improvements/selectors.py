"""Reads of the improvements app: kinds, the support matrix, a package's verdict, and the
follow-up of agreements and action items per partner.

Each function takes a fixed number of queries, whatever the number of partners, proposals or
action items. Action items are owned by the workshops app; those that follow from an adopted
package are linked to it through improvements.PackageAction.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from interests.models import (
    Interest,
    InterestRound,
    Theme,
    in_room_order,
)
from trajectories.models import Participant, Partner
from workshops.models import ActionItem, Agreement

from .models import (
    Gain,
    ImprovementKind,
    ImprovementPackage,
    Mandate,
    Position,
    Proposal,
    ProposalGain,
    Stance,
)


def kinds_for(trajectory) -> list[ImprovementKind]:
    """The trajectory's kinds of improvement, archived ones included (laid down on creation)."""
    return list(ImprovementKind.objects.filter(trajectory=trajectory))


class LinkableInterest(NamedTuple):
    """An interest as the proposal form lists it: plain values, no model instances (a round has
    hundreds of interests, and an interest and a partner instance each were a third of the
    form's time)."""

    pk: int
    statement: str
    shown_partner: str | None  # the partner's name, None when this viewer may not know it


def linkable_interests(viewer) -> list[LinkableInterest]:
    """Submitted interests this viewer may see, with the partner name they may see on each:
    the named ones by partner, then the anonymous ones apart (interests.models.in_room_order,
    which reads only pk, statement and shown_partner)."""
    values = (
        Interest.objects.visible_to(viewer)
        .filter(status=Interest.Status.SUBMITTED)
        .order_by("partner__name", "created_at", "pk")
        .values_list("pk", "statement", "partner_id", "tier", "partner__name")
    )
    names = Interest.names_partner_for
    return in_room_order(
        [
            LinkableInterest(
                pk, statement, name if names(viewer, partner_id=partner_id, tier=tier) else None
            )
            for pk, statement, partner_id, tier, name in values
        ]
    )


def linkable_themes(viewer) -> list:
    """The themes this viewer may link a proposal to (rule: Viewer.may_link_unrevealed_themes)."""
    themes = Theme.objects.filter(trajectory=viewer.trajectory)
    if not viewer.may_link_unrevealed_themes:
        themes = themes.filter(round__status=InterestRound.Status.REVEALED)
    return list(themes)


@functools.lru_cache(maxsize=512)
def _cell_html(
    stance_code,
    stance_symbol,
    stance_label,
    mandate_code,
    mandate_symbol,
    mandate_label,
    gain_prefix,
    gain_label,
) -> SafeString:
    """A matrix cell's markup; a few dozen variants per language, so each is made once."""
    stance = format_html(
        '<span class="stance stance--{}"><span class="stance__symbol" aria-hidden="true">{}'
        "</span> {}</span>",
        stance_code,
        stance_symbol,
        stance_label,
    )
    mandate = ""
    if mandate_code:
        mandate = format_html(
            ' <span class="mandate mandate--{}"><span aria-hidden="true">{}</span> {}</span>',
            mandate_code,
            mandate_symbol,
            mandate_label,
        )
    gain = format_html(' <span class="matrix-gain">{} {}</span>', gain_prefix, gain_label)
    return format_html("{}{}{}", stance, mandate, gain)


@dataclass
class Cell:
    """One organisation's position on one proposal, with what the matrix shows of it.

    The texts are set once by build_matrix from per-choice lookups: a large matrix has
    thousands of cells, and a display call or an include per cell is most of its cost.
    """

    partner: Partner
    position: Position | None
    gain: ProposalGain | None
    stance_code: str = "none"
    stance_symbol: str = "–"
    stance_label: str = ""
    mandate_code: str = ""
    mandate_symbol: str = ""
    mandate_label: str = ""
    gain_label: str = ""
    gain_prefix: str = ""

    @property
    def html(self) -> SafeString:
        """The matrix cell's content as one string: one template variable per cell instead of
        nine (a 12 × 40 matrix rendered them in most of its time). Symbols are aria-hidden; the
        words carry the meaning."""
        return _cell_html(
            self.stance_code,
            self.stance_symbol,
            self.stance_label,
            self.mandate_code,
            self.mandate_symbol,
            self.mandate_label,
            self.gain_prefix,
            self.gain_label,
        )

    @property
    def stance(self) -> Stance | None:
        return self.position.stance_choice if self.position else None

    @property
    def mandate(self) -> Mandate | None:
        return self.position.mandate_choice if self.position else None


SUPPORT_CODES = frozenset(s.value for s in Stance if s.is_support)


@dataclass
class Row:
    number: int
    proposal: Proposal
    cells: list[Cell]
    # Set by build_matrix from one lookup per choice (get_FOO_display costs one per call).
    effort_label: str = ""
    cost_label: str = ""
    proposer_level_label: str = ""

    @property
    def supporters(self) -> int:
        return sum(1 for c in self.cells if c.stance_code in SUPPORT_CODES)


@dataclass
class Matrix:
    partners: list[Partner]
    rows: list[Row]

    def chart_points(self):
        count = len(self.partners)
        return [
            {
                "number": row.number,
                "title": row.proposal.title,
                "effort": row.proposal.effort_score,
                # The average expected gain over all partners, 0 (none) to 2 (much).
                "gain": sum(c.gain.score for c in row.cells if c.gain) / count if count else 0.0,
                "supporters": row.supporters,
                "partners": count,
            }
            for row in self.rows
        ]


class Stand(NamedTuple):
    """A position as the support matrix page reads it: a plain row, no model instance."""

    stance: str
    mandate: str
    text: str

    @property
    def stance_choice(self) -> Stance:
        return Stance(self.stance)

    @property
    def mandate_choice(self) -> Mandate:
        return Mandate(self.mandate)


class Expected(NamedTuple):
    """A partner's expected gain as the support matrix page reads it."""

    level: str

    @property
    def score(self) -> int:
        return Gain(self.level).score


def build_matrix(partners, proposals, *, position_rows=None, gain_rows=None) -> Matrix:
    """Partners × proposals. Positions and gains come from each proposal's prefetched
    relations, or from `position_rows` / `gain_rows`: {proposal pk: {partner pk: row}}."""
    partners = list(partners)
    stances = {s.value: (s.symbol, str(s.label)) for s in Stance}
    mandates = {m.value: (m.symbol, str(m.label)) for m in Mandate}
    gains = {g.value: str(g.label).lower() for g in Gain}
    no_position, not_estimated = str(_("No position yet")), str(_("not estimated"))
    gain_prefix = str(_("Gain:"))
    efforts = {value: str(label) for value, label in Proposal.Effort.choices}
    costs = {value: str(label) for value, label in Proposal.Cost.choices}
    levels = {value: str(label) for value, label in Participant.Level.choices}
    rows = []
    for number, proposal in enumerate(proposals, start=1):
        if position_rows is None:
            stands = {p.partner_id: p for p in proposal.positions.all()}
            expected = {g.partner_id: g for g in proposal.gains.all()}
        else:
            stands = position_rows.get(proposal.pk, {})
            expected = gain_rows.get(proposal.pk, {})
        cells = []
        for partner in partners:
            position, gain = stands.get(partner.pk), expected.get(partner.pk)
            cell = Cell(
                partner=partner,
                position=position,
                gain=gain,
                stance_label=no_position,
                gain_prefix=gain_prefix,
            )
            if position is not None:
                cell.stance_code = position.stance
                cell.stance_symbol, cell.stance_label = stances[position.stance]
                cell.mandate_code = position.mandate
                cell.mandate_symbol, cell.mandate_label = mandates[position.mandate]
            cell.gain_label = gains.get(gain.level, gain.level) if gain else not_estimated
            cells.append(cell)
        rows.append(
            Row(
                number=number,
                proposal=proposal,
                cells=cells,
                effort_label=efforts.get(proposal.effort, proposal.effort),
                cost_label=costs.get(proposal.cost, proposal.cost),
                proposer_level_label=levels.get(proposal.proposer_level, ""),
            )
        )
    return Matrix(partners=partners, rows=rows)


def support_matrix(trajectory) -> Matrix:
    """Partners × proposals of a trajectory: five queries.

    Positions and gains are read as plain rows: for 40 proposals and 12 partners, 960 model
    instances and their prefetch bookkeeping were most of the page's time.
    """
    partners = Partner.objects.filter(trajectory=trajectory)
    proposals = (
        Proposal.objects.filter(trajectory=trajectory)
        .select_related("proposer_partner")
        .prefetch_related("kinds")
    )
    positions: dict = defaultdict(dict)
    for proposal_id, partner_id, *stand in Position.objects.filter(
        proposal__trajectory=trajectory
    ).values_list("proposal_id", "partner_id", "stance", "mandate", "text"):
        positions[proposal_id][partner_id] = Stand(*stand)
    gains: dict = defaultdict(dict)
    for proposal_id, partner_id, level in ProposalGain.objects.filter(
        proposal__trajectory=trajectory
    ).values_list("proposal_id", "partner_id", "level"):
        gains[proposal_id][partner_id] = Expected(level)
    return build_matrix(partners, proposals, position_rows=positions, gain_rows=gains)


@dataclass
class Card:
    """A proposal on the proposal list: how many partners support it, and the viewer's own
    organisation's position (participants only)."""

    number: int
    proposal: Proposal
    supporters: int
    own: Position | None = None
    effort_label: str = ""
    cost_label: str = ""
    proposer_level_label: str = ""


@dataclass
class Cards:
    partner_count: int
    rows: list[Card]


def proposal_cards(viewer) -> Cards:
    """The proposal list: four queries. Supporters are counted by the database, and only the
    viewer's own position is read, where the support matrix builds a cell per partner and
    proposal (480 positions and gains for 12 partners and 40 proposals)."""
    own_positions = Position.objects.filter(partner_id=viewer.partner_id or 0)
    proposals = (
        Proposal.objects.filter(trajectory=viewer.trajectory)
        .select_related("proposer_partner")
        .annotate(supporters=Count("positions", filter=Q(positions__stance__in=SUPPORT_CODES)))
        .prefetch_related("kinds", Prefetch("positions", own_positions, to_attr="own"))
    )
    efforts = {value: str(label) for value, label in Proposal.Effort.choices}
    costs = {value: str(label) for value, label in Proposal.Cost.choices}
    levels = {value: str(label) for value, label in Participant.Level.choices}
    rows = [
        Card(
            number=number,
            proposal=proposal,
            supporters=proposal.supporters,
            own=proposal.own[0] if proposal.own else None,
            effort_label=efforts.get(proposal.effort, proposal.effort),
            cost_label=costs.get(proposal.cost, proposal.cost),
            proposer_level_label=levels.get(proposal.proposer_level, ""),
        )
        for number, proposal in enumerate(proposals, start=1)
    ]
    partner_count = Partner.objects.filter(trajectory=viewer.trajectory).count()
    return Cards(partner_count=partner_count, rows=rows)


def latest_packages(trajectory) -> tuple[ImprovementPackage | None, ImprovementPackage | None]:
    """The newest adopted package and the newest one being composed: one query."""
    adopted = draft = None
    for package in ImprovementPackage.objects.filter(trajectory=trajectory).order_by(
        "-created_at", "-pk"
    ):
        if package.is_adopted:
            adopted = adopted or package
        else:
            draft = draft or package
    return adopted, draft


@dataclass
class Finding:
    proposal: Proposal
    partner: Partner
    text: str = ""
    label: str = ""


@dataclass
class Verdict:
    partners: list[Partner]
    proposals: list[Proposal]
    carried: bool
    blockers: list[Finding] = field(default_factory=list)
    conditions: list[Finding] = field(default_factory=list)
    decisions: list[Finding] = field(default_factory=list)
    # Per partner that has not given every position yet: (partner, the proposals it lacks).
    missing: list[tuple[Partner, list[Proposal]]] = field(default_factory=list)


def package_verdict(package: ImprovementPackage) -> Verdict:
    """Is the package carried by every partner, what blocks it and who still has to decide."""
    partners = list(Partner.objects.filter(trajectory_id=package.trajectory_id))
    proposals = list(package.proposals.all().for_matrix())
    blockers, conditions, decisions = [], [], []
    for proposal in proposals:
        for partner in partners:
            position = proposal.position_for(partner.pk)
            if position is None:
                blockers.append(Finding(proposal, partner, label=_("No position taken yet")))
                continue
            stance = position.stance_choice
            if not stance.is_support:
                blockers.append(Finding(proposal, partner, text=position.text, label=stance.label))
            elif stance == Stance.CONDITIONS:
                conditions.append(Finding(proposal, partner, text=position.text))
            if position.mandate != Mandate.AGREED:
                decisions.append(Finding(proposal, partner, label=position.mandate_choice.label))
    carried = bool(proposals) and bool(partners) and not blockers
    missing = [
        (partner, lacking)
        for partner in partners
        if (lacking := [p for p in proposals if p.position_for(partner.pk) is None])
    ]
    return Verdict(
        missing=missing,
        partners=partners,
        proposals=proposals,
        carried=carried,
        blockers=blockers,
        conditions=conditions,
        decisions=decisions,
    )


def _label(choices, code: str) -> str:
    """The label of a stored code in the reader's language; text that is no code stays as is."""
    try:
        return choices(code).label if code else ""
    except ValueError:
        return code


def frozen_for_display(frozen: dict) -> dict:
    """An adopted package's snapshot with its codes turned into labels at display time."""
    proposals = [
        {
            **item,
            "effort_label": _label(Proposal.Effort, item.get("effort", "")),
            "cost_label": _label(Proposal.Cost, item.get("cost", "")),
            "positions": [
                {
                    **position,
                    "stance_label": _label(Stance, position.get("stance", "")),
                    "mandate_label": _label(Mandate, position.get("mandate", "")),
                    "gain_label": _label(Gain, position.get("gain", "")),
                }
                for position in item.get("positions", [])
            ],
        }
        for item in frozen.get("proposals", [])
    ]
    decisions = [
        {**decision, "mandate_label": _label(Mandate, decision.get("mandate", ""))}
        for decision in frozen.get("decisions", [])
    ]
    return {**frozen, "proposals": proposals, "decisions": decisions}


# --- follow-up ---------------------------------------------------------------------------------


@dataclass
class PartnerFollowUp:
    partner: Partner | None
    open: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    done: list = field(default_factory=list)

    @property
    def items(self) -> list:
        return self.overdue + self.open + self.done

    @property
    def counts(self) -> dict:
        return {"open": len(self.open), "overdue": len(self.overdue), "done": len(self.done)}


def owner_partner_id(item) -> int | None:
    """The organisation that owns an action: named directly, or through the person who owns it."""
    if item.owner_partner_id:
        return item.owner_partner_id
    if item.owner_participant_id:
        return item.owner_participant.partner_id
    return None


def action_items(trajectory):
    return ActionItem.objects.filter(trajectory=trajectory).select_related(
        "owner_partner",
        "owner_participant",
        "workshop",
        "improvement_package_link__package",
    )


def follow_up_groups(trajectory, *, partners=None) -> list[PartnerFollowUp]:
    """One group per partner (in name order), then one for items without an owner: 2 queries."""
    partners = list(
        partners if partners is not None else Partner.objects.filter(trajectory=trajectory)
    )
    groups = {p.pk: PartnerFollowUp(partner=p) for p in partners}
    nobody = PartnerFollowUp(partner=None)
    today = timezone.localdate()
    for item in action_items(trajectory).order_by("due_date", "pk"):
        item.owner_org_id = owner_partner_id(item)
        group = groups.get(item.owner_org_id, nobody)
        if item.status == ActionItem.Status.DONE:
            group.done.append(item)
        elif item.status == ActionItem.Status.CANCELLED:
            continue
        elif item.due_date and item.due_date < today:
            group.overdue.append(item)
        else:
            group.open.append(item)
    result = list(groups.values())
    if nobody.items:
        result.append(nobody)
    return result


def follow_up_totals(groups: list[PartnerFollowUp]) -> dict:
    return {key: sum(g.counts[key] for g in groups) for key in ("open", "overdue", "done")}


def agreements(trajectory):
    return Agreement.objects.filter(trajectory=trajectory).select_related("workshop")

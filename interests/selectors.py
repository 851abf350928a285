"""Reads that span several models: progress per partner, the interest map. Fixed query counts."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from trajectories.models import Partner

from .models import (
    Interest,
    InterestRound,
    Theme,
    anonymous_order,
    in_room_order,
    with_display_partner,
)


def choice_labels(choices) -> dict[str, str]:
    """{code: label} of a TextChoices in the current language.

    A page or export that lists hundreds of interests looks each label up here once:
    get_FOO_display() translates and hashes the whole choice list on every call, which made
    up most of a large round's page and export time.
    """
    return {value: str(label) for value, label in choices.choices}


# Text symbols beside the words, so weight and tier never rest on colour alone.
WEIGHT_SYMBOLS = {"must": "★★★", "important": "★★", "nice": "★"}
TIER_SYMBOLS = {"facilitator": "⊘", "anonymous": "◐", "named": "●"}


def _badges(labels: dict[str, str], symbols: dict[str, str], kind: str) -> dict[str, SafeString]:
    return {
        code: format_html(
            '<span class="badge {} {}--{}"><span aria-hidden="true">{}</span> {}</span>',
            kind,
            kind,
            code,
            symbols.get(code, ""),
            label,
        )
        for code, label in labels.items()
    }


def with_labels(interests: list[Interest]) -> list[Interest]:
    """Set `.weight_label`, `.tier_label`, `.status_label` and the badges `.weight_badge` and
    `.tier_badge` (the markup of interests/_weight_badge.html and _tier_badge.html) on each
    interest; returns them. Each badge is built once per choice, not once per interest."""
    weights, tiers = choice_labels(Interest.Weight), choice_labels(Interest.Tier)
    statuses = choice_labels(Interest.Status)
    weight_badges = _badges(weights, WEIGHT_SYMBOLS, "weight")
    tier_badges = _badges(tiers, TIER_SYMBOLS, "tier")
    for interest in interests:
        interest.weight_label = weights.get(interest.weight, interest.weight)
        interest.tier_label = tiers.get(interest.tier, interest.tier)
        interest.status_label = statuses.get(interest.status, interest.status)
        interest.weight_badge = weight_badges.get(interest.weight, "")
        interest.tier_badge = tier_badges.get(interest.tier, "")
    return interests


def with_board_markup(interests: list[Interest]) -> list[Interest]:
    """Set `.board_html` on each interest (from `with_labels` and `with_display_partner`): its
    row on the theme board, a checkbox of the board's one selection form with the statement as
    its label. Made here rather than in a template: the board lists every interest of a round,
    and a template per row was most of the page's time."""
    not_named = html.escape(str(_("Partner not named")))
    for interest in interests:
        # Plain f-strings with html.escape: format_html escaping five values per row was a
        # third of the board's own time. The badges are safe markup already (_badges).
        partner = html.escape(interest.shown_partner.name) if interest.shown_partner else not_named
        pk = interest.pk
        interest.board_html = SafeString(
            f'<div class="board-interest" id="board-interest-{pk}">'
            f'<input type="checkbox" id="pick-{pk}" name="interests" value="{pk}" form="selection"'
            ' class="board-interest__pick">'
            f'<label for="pick-{pk}" class="board-interest__text">'
            f"<strong>{html.escape(interest.statement)}</strong>"
            f' <span class="muted">· {partner}</span></label>'
            f'<p class="cluster board-interest__badges">{interest.weight_badge}'
            f" {interest.tier_badge}</p></div>"
        )
    return interests


class IncomingInterest(NamedTuple):
    """An interest as the round page's table of incoming interests shows it: plain values, no
    model instances (an interest, a partner and an author instance per row were a third of the
    page's time)."""

    pk: int
    statement: str
    why: str
    shown_partner: str | None  # the partner's name, None when this viewer may not know it
    author: str | None
    weight: str
    tier: str
    status: str


def incoming_interests(viewer, round: InterestRound) -> list[IncomingInterest]:
    """The round's interests this viewer may read, for the round page. The facilitator follows
    what comes in (latest first); anyone else must not be able to tell an anonymous interest's
    partner from when it came in next to the partner's named ones (in_room_order)."""
    values = (
        Interest.objects.visible_to(viewer)
        .filter(round=round)
        .order_by("-updated_at", "-pk")
        .values_list(
            "pk",
            "statement",
            "why",
            "partner_id",
            "partner__name",
            "author__name",
            "weight",
            "tier",
            "status",
        )
    )
    names = Interest.names_partner_for
    incoming = [
        IncomingInterest(
            pk,
            statement,
            why,
            partner if names(viewer, partner_id=partner_id, tier=tier) else None,
            author,
            weight,
            tier,
            status,
        )
        for pk, statement, why, partner_id, partner, author, weight, tier, status in values
    ]
    return incoming if viewer.is_facilitator else in_room_order(incoming)


def incoming_rows(
    interests: list[IncomingInterest], *, facilitator: bool, tier_url: str = ""
) -> list[SafeString]:
    """Each interest's row in the round page's table of incoming interests. Made here rather
    than in a template for the reason of `with_board_markup`. `tier_url` is the facilitator's
    "make more open" link with 0 for the interest's id, reversed once for the page.

    Each row is one f-string of escaped values, not format_html calls: format_html checks every
    argument for lazy text and safe strings, and four calls per row for hundreds of rows were
    half of the page's time. Every stored text goes through `escape` (Django's own, minus that
    check); the badges are markup already."""
    escape = html.escape  # what django.utils.html.escape does with a str
    weights, tiers = choice_labels(Interest.Weight), choice_labels(Interest.Tier)
    statuses = choice_labels(Interest.Status)
    weight_badges = _badges(weights, WEIGHT_SYMBOLS, "weight")
    tier_badges = _badges(tiers, TIER_SYMBOLS, "tier")
    not_named = f"<em>{escape(str(_('Partner not named')))}</em>"
    more_open = escape(str(_("Make more open")))
    head, _zero, tail = (escape(part) for part in tier_url.rpartition("/0/"))
    rows = []
    for interest in interests:
        why = ""
        if interest.why:
            why = f'<div class="muted small">{escape(_truncated(interest.why, 160))}</div>'
        statement = escape(interest.statement)
        author = ""
        if facilitator:
            author = f"<td>{escape(interest.author) if interest.author else '—'}</td>"
        raise_tier = ""
        if facilitator and interest.tier != Interest.Tier.NAMED:
            raise_tier = (
                f' <a class="small tier-raise" href="{head}/{interest.pk}/{tail}">{more_open}'
                f'<span class="visually-hidden">: {statement}</span></a>'
            )
        partner = escape(interest.shown_partner) if interest.shown_partner else not_named
        rows.append(
            SafeString(
                f'<tr id="incoming-{interest.pk}"><td><strong>{statement}</strong>{why}</td>'
                f"<td>{partner}</td>{author}<td>{weight_badges.get(interest.weight, '')}</td>"
                f"<td>{tier_badges.get(interest.tier, '')}{raise_tier}</td>"
                f"<td>{escape(statuses.get(interest.status, interest.status))}</td></tr>"
            )
        )
    return rows


def _truncated(text: str, length: int) -> str:
    # Truncator looks at every character (combining marks do not count); a text no longer than
    # `length` characters is never cut, and most are that short.
    return text if len(text) <= length else Truncator(text).chars(length)


def rounds_for(trajectory):
    return list(InterestRound.objects.filter(trajectory=trajectory))


def current_round(rounds: list[InterestRound]) -> InterestRound | None:
    """The open round, else the most recent one."""
    for round in rounds:
        if round.is_open:
            return round
    return rounds[0] if rounds else None


@dataclass
class PartnerProgress:
    partner: Partner
    submitted: int = 0
    drafts: int = 0
    missing: int = 0


@dataclass
class RoundProgress:
    rows: list[PartnerProgress]
    anonymous: int = 0  # shared without a name: counted apart, never under their partner

    @property
    def shared(self) -> int:
        return sum(row.submitted for row in self.rows) + self.anonymous


def round_progress(viewer, round: InterestRound, partners) -> RoundProgress:
    """Per partner, what this viewer may know of its entries (one query).

    The facilitator reads every entry: submitted, drafts and how many are still missing. Anyone
    else counts only the submitted interests they may read, under the partner only where they
    may see its name; they get no drafts, no "missing" and no empty partners, each of which
    would tell about entries they may not see (or whose an anonymous one is).
    """
    counts: dict[int, PartnerProgress] = {p.pk: PartnerProgress(partner=p) for p in partners}
    anonymous = 0
    rows = (
        Interest.objects.visible_to(viewer)
        .filter(round=round)
        .values_list("partner_id", "tier", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for partner_id, tier, status, n in rows:
        if not Interest.names_partner_for(viewer, partner_id=partner_id, tier=tier):
            anonymous += n if status == Interest.Status.SUBMITTED else 0
        elif partner_id in counts and status == Interest.Status.SUBMITTED:
            counts[partner_id].submitted += n
        elif partner_id in counts:
            counts[partner_id].drafts += n
    progress = list(counts.values())
    if viewer.is_facilitator:
        for row in progress:
            row.missing = max(0, round.min_per_partner - row.submitted)
    else:
        progress = [row for row in progress if row.submitted]
    return RoundProgress(rows=progress, anonymous=anonymous)


@dataclass
class MapCell:
    theme: Theme | None
    interests: list = field(default_factory=list)
    label: str = ""  # the column's "theme · classification", set once per column

    def __len__(self):
        return len(self.interests)

    @property
    def html(self) -> SafeString:
        """The cell as one string: a large map has ~200 cells and 300 interests, and a template
        variable, filter and tag per interest were most of the page's time."""
        kind = f" map-interest--{self.theme.classification}" if self.theme else ""
        items = "".join(
            f'<div class="map-interest map-interest--{interest.weight}{kind}">'
            f'<span class="map-interest__text">{html.escape(interest.statement)}</span> '
            f'<span class="map-interest__meta">{interest.weight_badge}'
            f"{' ' + interest.tier_badge if interest.tier == Interest.Tier.FACILITATOR else ''}"
            "</span></div>"
            for interest in self.interests
        )
        return SafeString(
            f'<td class="map-cell" data-theme="{html.escape(self.label)}">{items}</td>'
        )


def _column_label(theme: Theme | None, classifications: dict[str, str]) -> str:
    if theme is None:
        return str(_("Not grouped yet"))
    return f"{theme.name} · {classifications.get(theme.classification, theme.classification)}"


@dataclass
class MapRow:
    label: str
    partner: Partner | None
    cells: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(cell) for cell in self.cells)


@dataclass
class InterestMap:
    round: InterestRound | None
    columns: list  # Theme objects, plus None for "not grouped yet"
    rows: list[MapRow]
    total: int


UNGROUPED = None


def interest_map(
    viewer, round: InterestRound | None, *, weight: str = "", classification: str = ""
) -> InterestMap:
    """Partners × themes for this viewer, restricted by `Interest.objects.visible_to`."""
    if round is None:
        return InterestMap(round=None, columns=[], rows=[], total=0)
    themes = list(Theme.objects.filter(round=round))
    if classification:
        themes = [t for t in themes if t.classification == classification]
    columns = [*themes] if classification else [*themes, UNGROUPED]
    interests = Interest.objects.visible_to(viewer).filter(round=round).select_related("partner")
    # The map shows submitted interests; a participant also sees the own organisation's drafts.
    interests = interests.filter(
        Q(status=Interest.Status.SUBMITTED) | Q(partner_id=viewer.partner_id or 0)
    )
    if weight:
        interests = interests.filter(weight=weight)
    interests = interests.order_by("partner__name", "created_at", "pk")
    interests = with_labels(with_display_partner(interests, viewer))
    column_index = {(t.pk if t else None): i for i, t in enumerate(columns)}
    classifications = choice_labels(Theme.Classification)
    labels = [_column_label(column, classifications) for column in columns]

    def cells():
        return [MapCell(theme=c, label=label) for c, label in zip(columns, labels, strict=True)]

    rows: dict = {}
    partners = list(Partner.objects.filter(trajectory=viewer.trajectory))
    for partner in partners:
        rows[partner.pk] = MapRow(partner.name, partner, cells())
    anonymous = MapRow(str(_("Partner not named")), None, cells())
    total = 0
    for interest in interests:
        index = column_index.get(interest.theme_id)
        if index is None:
            continue  # in a theme filtered away
        row = rows[interest.partner_id] if interest.shown_partner else anonymous
        row.cells[index].interests.append(interest)
        total += 1
    for cell in anonymous.cells:
        cell.interests.sort(key=anonymous_order)
    ordered = list(rows.values())
    everyone = [*ordered, anonymous]
    if columns and columns[-1] is UNGROUPED and not any(r.cells[-1].interests for r in everyone):
        columns = columns[:-1]
        for row in everyone:
            row.cells.pop()
    if not viewer.is_facilitator:
        # An empty row next to an anonymous one would hint at whose it is.
        ordered = [row for row in ordered if row.count]
    if anonymous.count:
        ordered.append(anonymous)
    return InterestMap(round=round, columns=columns, rows=ordered, total=total)

"""Signals for coordination inside the organisation (seed 003: "which signals show that the
collaboration is not going well, and when do you coordinate inside your organisation?").

Each signal says in words why it is raised, for one trajectory of the portfolio. The rules read
only what the portfolio already holds (organisations/selectors.py); they query nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from health.models import InterimChange
from improvements.models import Mandate, Stance


@dataclass(frozen=True)
class Signal:
    kind: str
    reason: str

    @property
    def label(self) -> str:
        return str(KINDS[self.kind])


# The kinds, in the order they are shown: what needs a decision inside the organisation first.
KINDS = {
    "mandate_pending": gettext_lazy("Mandate decision pending"),
    "objection_blocks": gettext_lazy("Our objection blocks a package"),
    "board_missing": gettext_lazy("No board member at the table"),
    "no_mandate": gettext_lazy("Representative without a mandate"),
    "overdue_actions": gettext_lazy("Overdue actions"),
    "pulse_falling": gettext_lazy("Pulse falling"),
    "interim_change": gettext_lazy("Interim change at our organisation"),
}


def _quoted(titles) -> str:
    return ", ".join(_("“%(title)s”") % {"title": t} for t in titles)


def signals_for(row, *, today: date) -> list[Signal]:
    """The signals of one trajectory of the portfolio (a selectors.TrajectoryPortfolio)."""
    found: list[Signal] = []

    waiting = row.positions_waiting
    for mandate in (Mandate.BOARD, Mandate.CONSULT):
        titles = [p.proposal.title for p in waiting if p.mandate == mandate]
        if not titles:
            continue
        if mandate == Mandate.BOARD:
            reason = ngettext(
                "The position on %(titles)s waits for a decision of the board.",
                "The positions on %(titles)s wait for a decision of the board.",
                len(titles),
            )
        else:
            reason = ngettext(
                "The position on %(titles)s waits until the constituency has been consulted.",
                "The positions on %(titles)s wait until the constituency has been consulted.",
                len(titles),
            )
        found.append(Signal("mandate_pending", reason % {"titles": _quoted(titles)}))

    for position in row.positions:
        packages = row.package_titles.get(position.proposal_id)
        if position.stance == Stance.OBJECTS and packages:
            found.append(
                Signal(
                    "objection_blocks",
                    _(
                        "Our objection to “%(proposal)s” keeps the package %(packages)s from "
                        "being carried by every partner."
                    )
                    % {"proposal": position.proposal.title, "packages": _quoted(packages)},
                )
            )

    board_needed = [
        p.proposal.title
        for p in row.positions
        if p.mandate == Mandate.BOARD and p.proposal_id in row.package_titles
    ]
    if board_needed and not row.has_board_member:
        found.append(
            Signal(
                "board_missing",
                _(
                    "A package needs a decision of our board (on %(titles)s), but no board "
                    "member represents us at this table."
                )
                % {"titles": _quoted(board_needed)},
            )
        )

    for person in row.without_mandate:
        found.append(
            Signal(
                "no_mandate",
                _("%(name)s sits at the table without a recorded mandate.") % {"name": person.name},
            )
        )

    if row.actions_overdue:
        count = len(row.actions_overdue)
        found.append(
            Signal(
                "overdue_actions",
                ngettext(
                    "%(count)d action item we own is past its due date: %(titles)s.",
                    "%(count)d action items we own are past their due date: %(titles)s.",
                    count,
                )
                % {"count": count, "titles": _quoted(a.title for a in row.actions_overdue)},
            )
        )

    if row.pulse_trend == "falling":
        shown = [p for p in row.pulse if p.mean is not None]
        found.append(
            Signal(
                "pulse_falling",
                _("The pulse fell from %(before)s to %(now)s (“%(pulse)s”).")
                % {
                    "before": number_format(shown[-2].mean, 1),
                    "now": number_format(shown[-1].mean, 1),
                    "pulse": shown[-1].title,
                },
            )
        )

    for change in row.changes:
        if change.follow_up_status != InterimChange.FollowUpStatus.DONE:
            found.append(
                Signal(
                    "interim_change",
                    _(
                        "%(kind)s at our organisation: “%(title)s” (%(date)s); its follow-up is "
                        "not done."
                    )
                    % {
                        "kind": change.get_kind_display(),
                        "title": change.title,
                        "date": date_format(change.occurred_on, "DATE_FORMAT"),
                    },
                )
            )
    order = list(KINDS)
    return sorted(found, key=lambda s: order.index(s.kind))

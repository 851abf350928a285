"""Charts drawn on the server as SVG, so the pages and the PDF reports show the same picture.

Accessible: the SVG has role="img", a <title> and a <desc> that states every point in words, and
every point carries its number as text (never colour alone).
"""

from __future__ import annotations

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 440
LEFT, RIGHT, TOP, BOTTOM = 78, 24, 24, 84


def _x(effort: float) -> float:
    # Effort 1..3 spread over the plot width with a margin on both sides.
    span = WIDTH - LEFT - RIGHT
    return LEFT + span * (effort - 0.5) / 3


def _y(gain: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return TOP + span * (1 - (gain + 0.2) / 2.4)


def gain_effort_svg(points: list[dict], *, chart_id: str = "gain-effort") -> str:
    """Points: dicts with number, title, effort (1–3), gain (0–2), supporters, partners."""
    title = _("Expected gain against effort")
    if points:
        described = "; ".join(
            _(
                "%(number)s. %(title)s: effort %(effort)s, average gain %(gain)s, supported by "
                "%(supporters)s of %(partners)s"
            )
            % {
                "number": p["number"],
                "title": p["title"],
                "effort": _effort_label(p["effort"]),
                # Rounded half up and in the reader's notation, as every table rounds.
                "gain": floatformat(p["gain"], 1),
                "supporters": p["supporters"],
                "partners": p["partners"],
            }
            for p in points
        )
    else:
        described = _("No proposals yet.")
    desc = (
        _(
            "Each numbered point is a proposal. Left is little effort, right is much effort; "
            "higher means more gain for the partners on average (0 none, 1 some, 2 much). "
        )
        + described
    )

    quick_wins = _("Quick wins")
    effort_axis = _("Effort")
    gain_axis = _("Average gain")
    legend_filled = _("filled: every partner supports")
    legend_open = _("open: not every partner supports yet")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" class="gain-chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    plot_left, plot_right = LEFT, WIDTH - RIGHT
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM
    # The quick-win corner: much gain for little effort.
    mid_x, mid_y = _x(2), _y(1)
    parts.append(
        f'<rect x="{plot_left}" y="{plot_top}" width="{mid_x - plot_left:.1f}" '
        f'height="{mid_y - plot_top:.1f}" fill="#e5f4ea"/>'
    )
    parts.append(
        f'<text x="{plot_left + 8}" y="{plot_top + 18}" font-size="13" fill="#1e6b35">'
        f"{escape(quick_wins)}</text>"
    )
    # Grid lines and axis labels.
    for gain, label in ((0, _("none")), (1, _("some")), (2, _("much"))):
        y = _y(gain)
        parts.append(
            f'<line x1="{plot_left}" y1="{y:.1f}" x2="{plot_right}" y2="{y:.1f}" '
            'stroke="#cfd8e1" stroke-dasharray="4 4"/>'
        )
        parts.append(
            f'<text x="{plot_left - 8}" y="{y + 4:.1f}" font-size="13" text-anchor="end" '
            f'fill="#4a5866">{escape(label)}</text>'
        )
    for effort in (1, 2, 3):
        x = _x(effort)
        parts.append(
            f'<line x1="{x:.1f}" y1="{plot_top}" x2="{x:.1f}" y2="{plot_bottom}" '
            'stroke="#cfd8e1" stroke-dasharray="4 4"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{plot_bottom + 20}" font-size="13" text-anchor="middle" '
            f'fill="#4a5866">{escape(_effort_label(effort))}</text>'
        )
    parts.append(
        f'<line x1="{plot_left}" y1="{plot_bottom}" x2="{plot_right}" y2="{plot_bottom}" '
        'stroke="#1b2733" stroke-width="1.5"/>'
    )
    parts.append(
        f'<line x1="{plot_left}" y1="{plot_top}" x2="{plot_left}" y2="{plot_bottom}" '
        'stroke="#1b2733" stroke-width="1.5"/>'
    )
    parts.append(
        f'<text x="{(plot_left + plot_right) / 2:.1f}" y="{HEIGHT - 40}" font-size="14" '
        f'text-anchor="middle" font-weight="600" fill="#1b2733">{escape(effort_axis)}</text>'
    )
    parts.append(
        f'<text transform="translate(18 {(plot_top + plot_bottom) / 2:.1f}) rotate(-90)" '
        f'font-size="14" text-anchor="middle" font-weight="600" fill="#1b2733">'
        f"{escape(gain_axis)}</text>"
    )
    # Points that share a spot are fanned out around it so every number stays readable.
    crowd: dict[tuple, int] = {}
    for point in points:
        key = (point["effort"], round(point["gain"] * 4))
        index = crowd.get(key, 0)
        crowd[key] = index + 1
        dx = ((index % 5) - 2) * 26 if index else 0
        dy = -(index // 5) * 26 if index else 0
        if index and dx == 0:
            dx = 26 * (1 + index // 5)
        x, y = _x(point["effort"]) + dx, _y(point["gain"]) + dy
        supported = point["partners"] and point["supporters"] == point["partners"]
        fill = "#0b5f5a" if supported else "#ffffff"
        ink = "#ffffff" if supported else "#0b5f5a"
        parts.append(
            f'<g class="gain-chart__point"><title>{escape(point["number"])}. '
            f"{escape(point['title'])}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="12" fill="{fill}" stroke="#0b5f5a" '
            'stroke-width="2"/>'
            f'<text x="{x:.1f}" y="{y + 4.5:.1f}" font-size="12" font-weight="700" '
            f'text-anchor="middle" fill="{ink}">{escape(point["number"])}</text></g>'
        )
    parts.append(
        f'<circle cx="{plot_left + 8}" cy="{HEIGHT - 14}" r="7" fill="#0b5f5a"/>'
        f'<circle cx="{plot_left + 280}" cy="{HEIGHT - 14}" r="7" fill="#ffffff" stroke="#0b5f5a" '
        'stroke-width="2"/>'
        f'<text x="{plot_left + 292}" y="{HEIGHT - 10}" font-size="12" fill="#1b2733">'
        f"{escape(legend_open)}</text>"
        f'<text x="{plot_left + 20}" y="{HEIGHT - 10}" font-size="12" fill="#1b2733">'
        f"{escape(legend_filled)}</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _effort_label(effort: int) -> str:
    return {1: _("small"), 2: _("medium"), 3: _("large")}.get(effort, str(effort))

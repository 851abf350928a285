"""SVG charts drawn on the server: used in the pages and in the PDF reports.

Accessible by construction: every chart has role="img", a <title> and a <desc> that state the
figures in words, text labels next to every bar and line, and shapes and dash patterns that do not
rely on colour. Groups below the anonymity floor are drawn as the words "too few answers".
"""

from __future__ import annotations

import itertools
import textwrap

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .statements import FORCES, Topic

_ids = itertools.count(1)

# Fills with enough contrast against white (WCAG 1.4.11, 3:1), told apart by labels as well.
SERIES_FILLS = ("#0b5f5a", "#1c4f8f", "#7a4d00", "#6b2c91", "#4a5866")
FORCE_STYLES = {
    Topic.INTENTION: {"colour": "#1c4f8f", "dash": "", "marker": "circle"},
    Topic.ACTION: {"colour": "#a4262c", "dash": "6 4", "marker": "square"},
    Topic.CONNECTION: {"colour": "#1e6b35", "dash": "2 3", "marker": "triangle"},
}
FONT = 'font-family="system-ui, Arial, sans-serif"'
# Axis labels of 12 px: a generous average character width, and the height of one line.
LABEL_CHAR_W = 7
LABEL_LINE_H = 15


def _num(value: float | None) -> str:
    # The tables print means with floatformat (rounded half up, the reader's notation); the
    # charts use the same filter, so a bar never says 3,6 above a table saying 3,7.
    return floatformat(value, 1) if value is not None else ""


def _wrap(text: str, *, width: int) -> list[str]:
    """Words on lines of at most `width` characters; a longer word is split, never dropped."""
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


def _frame(width: int, height: int, title: str, desc: str, body: list[str], css_class: str) -> str:
    uid = next(_ids)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="chart-title-{uid} chart-desc-{uid}" {FONT} font-size="13">'
        f'<title id="chart-title-{uid}">{escape(title)}</title>'
        f'<desc id="chart-desc-{uid}">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def profile_svg(series: list[tuple[str, dict]], *, title: str, topics=FORCES) -> str:
    """Horizontal bars per topic, one bar per series (e.g. everyone, then each level).

    `series`: [(label, {topic: mean or None})]; a None mean is drawn as "too few answers".
    """
    # Narrow enough to stay legible when scaled to a phone's width.
    label_w, bar_w, right = 120, 250, 50
    width = label_w + bar_w + right
    row_h, head_h, gap = 24, 26, 12
    y = 30
    body = []
    # Scale 1..5 along the top, with faint grid lines drawn after we know the height.
    scale_x = {v: label_w + (v - 1) / 4 * bar_w for v in range(1, 6)}
    for v, x in scale_x.items():
        body.append(f'<text x="{x:.0f}" y="16" text-anchor="middle" fill="#4a5866">{v}</text>')
    grid_top = 22
    sentences = []
    for topic in topics:
        body.append(
            f'<text x="0" y="{y + 17}" font-weight="700" '
            f'fill="#1b2733">{escape(Topic(topic).label)}</text>'
        )
        y += head_h
        for index, (label, means) in enumerate(series):
            mean = means.get(topic)
            fill = SERIES_FILLS[index % len(SERIES_FILLS)]
            body.append(f'<text x="12" y="{y + 16}" fill="#1b2733">{escape(label)}</text>')
            if mean is None:
                body.append(
                    f'<text x="{label_w + 4}" y="{y + 16}" fill="#4a5866" font-style="italic">'
                    f"{escape(_('too few answers'))}</text>"
                )
                sentences.append(f"{Topic(topic).label}, {label}: {_('too few answers')}")
            else:
                length = max(2.0, (mean - 1) / 4 * bar_w)
                body.append(
                    f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" '
                    f'fill="{fill}" rx="2"><title>{escape(label)}: {_num(mean)}</title></rect>'
                )
                body.append(
                    f'<text x="{label_w + length + 6:.1f}" y="{y + 16}" font-weight="600" '
                    f'fill="#1b2733">{_num(mean)}</text>'
                )
                sentences.append(f"{Topic(topic).label}, {label}: {_num(mean)}")
            y += row_h
        y += gap
    grid = [
        f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{grid_top}" y2="{y - gap:.0f}" stroke="#cfd8e1" '
        f'stroke-width="1"/>'
        for x in scale_x.values()
    ]
    desc = (
        _("Average scores from 1 (strongly disagree) to 5 (strongly agree).")
        + " "
        + "; ".join(sentences)
        + "."
    )
    return _frame(width, y, title, desc, grid + body, "chart--profile")


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{colour}"/>'
    if kind == "triangle":
        return (
            f'<polygon points="{x:.1f},{y - 6:.1f} {x - 6:.1f},{y + 5:.1f} '
            f'{x + 6:.1f},{y + 5:.1f}" '
            f'fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"/>'


def trend_svg(points: list[dict], *, title: str, topics=FORCES) -> str:
    """Lines per topic over the pulses. `points`: [{"label", "means": {topic: mean or None}}]."""
    left, right, top = 50, 40, 20
    plot_w = max(320, 115 * max(1, len(points) - 1) + 120)
    plot_h = 200
    inset = 60  # keeps the first and last label inside the picture
    # Each pulse's name is wrapped onto as many lines as it needs under its point, never cut off.
    spacing = (plot_w - 2 * inset) / (len(points) - 1) if len(points) > 1 else plot_w
    chars = max(8, int(spacing // LABEL_CHAR_W))
    labels = [_wrap(point["label"], width=chars) for point in points]
    too_few = _wrap(_("too few answers"), width=chars)
    below = [
        len(lines) + (len(too_few) if all(p["means"].get(t) is None for t in topics) else 0)
        for lines, p in zip(labels, points, strict=True)
    ]
    bottom = 16 + LABEL_LINE_H * max(below, default=1) + 14  # labels, "too few answers", air
    legend_h = 24 * len(topics) + 8
    width, height = left + plot_w + right, top + plot_h + bottom + legend_h

    def px(i):
        if len(points) == 1:
            return left + plot_w / 2
        return left + inset + i * (plot_w - 2 * inset) / (len(points) - 1)

    def py(v):
        return top + (5 - v) / 4 * plot_h

    body = []
    for v in range(1, 6):
        body.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
            'stroke="#cfd8e1"/>'
        )
        body.append(
            f'<text x="{left - 8}" y="{py(v) + 4:.1f}" text-anchor="end" fill="#4a5866">{v}</text>'
        )
    sentences = []
    for i, point in enumerate(points):
        x = px(i)
        lines = "".join(
            f'<tspan x="{x:.1f}" y="{top + plot_h + 18 + n * LABEL_LINE_H}">{escape(line)}</tspan>'
            for n, line in enumerate(labels[i])
        )
        body.append(
            f'<text text-anchor="middle" fill="#1b2733" font-size="12">'
            f"<title>{escape(point['label'])}</title>{lines}</text>"
        )
        if all(point["means"].get(t) is None for t in topics):
            first = top + plot_h + 18 + len(labels[i]) * LABEL_LINE_H
            lines = "".join(
                f'<tspan x="{x:.1f}" y="{first + n * LABEL_LINE_H}">{escape(line)}</tspan>'
                for n, line in enumerate(too_few)
            )
            body.append(
                f'<text text-anchor="middle" fill="#4a5866" font-style="italic" font-size="11">'
                f"{lines}</text>"
            )
            sentences.append(f"{point['label']}: {_('too few answers')}")
        else:
            sentences.append(
                f"{point['label']}: "
                + ", ".join(f"{Topic(t).label} {_num(point['means'].get(t))}" for t in topics)
            )
    legend_y = top + plot_h + bottom + 8
    for topic in topics:
        style = FORCE_STYLES.get(topic, FORCE_STYLES[Topic.INTENTION])
        coords = [
            (px(i), py(p["means"][topic]))
            for i, p in enumerate(points)
            if p["means"].get(topic) is not None
        ]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{style["colour"]}" '
                f'stroke-width="2.5"{dash}/>'
            )
        for x, y in coords:
            body.append(_marker(style["marker"], x, y, style["colour"]))
        # Legend below the plot: line sample with its marker, name and the latest value.
        lx = left
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        body.append(
            f'<line x1="{lx}" x2="{lx + 22}" y1="{legend_y}" y2="{legend_y}" '
            f'stroke="{style["colour"]}" stroke-width="2.5"{dash}/>'
        )
        body.append(_marker(style["marker"], lx + 11, legend_y, style["colour"]))
        rated = [p["means"][topic] for p in points if p["means"].get(topic) is not None]
        latest = _num(rated[-1]) if rated else ""
        body.append(
            f'<text x="{lx + 28}" y="{legend_y + 4}" fill="#1b2733">{escape(Topic(topic).label)}'
            + (f" {latest}" if latest else "")
            + "</text>"
        )
        legend_y += 24
    desc = _("Average scores per pulse from 1 to 5.") + " " + "; ".join(sentences) + "."
    return _frame(width, height, title, desc, body, "chart--trend")

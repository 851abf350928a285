"""The charts print the same figures as the tables under them (rounded half up, one decimal)."""

import re

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import translation

from health.charts import profile_svg, trend_svg
from health.statements import FORCES

MEANS = [value / 100 for value in range(100, 501)]  # every mean two decimals can hold


def _bar_labels(svg: str) -> list[str]:
    return re.findall(r'font-weight="600" fill="#1b2733">([^<]+)</text>', svg)


def test_profile_bars_print_what_the_table_prints():
    with translation.override("nl"):
        for mean in MEANS:
            svg = profile_svg([("Iedereen", dict.fromkeys(FORCES, mean))], title="Profiel")
            assert set(_bar_labels(svg)) == {floatformat(mean, 1)}, mean


def test_trend_legend_prints_what_the_table_prints():
    with translation.override("nl"):
        points = [
            {"label": "Nulmeting", "means": dict.fromkeys(FORCES, 2.0)},
            {"label": "Tussenmeting", "means": dict.fromkeys(FORCES, 3.67)},
        ]
        svg = trend_svg(points, title="Verloop")
    assert "3,7" in svg and "3,6" not in svg


def test_the_table_cell_and_the_chart_agree_on_a_rounded_mean():
    with translation.override("nl"):
        cell = render_to_string("health/_cuts_row.html", {"cell": _Cell(3.67)})
        svg = profile_svg([("Iedereen", dict.fromkeys(FORCES, 3.67))], title="Profiel")
    assert ">3,7</td>" in cell and set(_bar_labels(svg)) == {"3,7"}


class _Cell:
    """The little of a selectors.Cell the table row template reads."""

    label = "Iedereen"
    respondents = 5
    visible = True
    hidden = False
    too_few = False
    protected = False

    def __init__(self, mean):
        self.rows = [{"topic": t, "label": t.label, "mean": mean} for t in FORCES]


def test_trend_axis_labels_are_never_cut_off():
    points = [
        {"label": "Nulmeting najaar 2026", "means": dict.fromkeys(FORCES, 2.0)},
        {"label": "Tussenmeting voorjaar 2027 na de bestuurswissel", "means": {}},
        {"label": "Eindmeting", "means": dict.fromkeys(FORCES, 3.0)},
    ]

    svg = trend_svg(points, title="Verloop")

    assert "…" not in svg
    shown = re.sub(r"<title>.*?</title>", "", svg)
    for word in "Nulmeting najaar 2026 Tussenmeting voorjaar 2027 bestuurswissel".split():
        assert f">{word}" in shown or f" {word}" in shown, word
    height = int(re.search(r'height="(\d+)"', svg)[1])
    label_rows = [float(y) for y in re.findall(r'<tspan x="[\d.]+" y="([\d.]+)"', svg)]
    assert label_rows and max(label_rows) < height - 24 * len(FORCES)  # above the legend

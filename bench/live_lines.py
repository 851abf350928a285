"""
Live path: lines of code per file, against the count at commit 7813cce

The files that make a change reach every screen, counted as the issue counted them at commit
7813cce (1,562 lines then): the live modules whole, and workshops/views.py from the facilitator
console (`def _owner_choices`) to its end. No timing: a count, printed beside the others.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (file, the line it is counted from; None: the whole file)
LIVE_PATH = [
    ("workshops/asgi.py", None),
    ("workshops/doorbell.py", None),
    ("workshops/live_render.py", None),
    ("workshops/signals.py", None),
    ("static/js/workshops.js", None),
    ("workshops/views.py", "def _owner_choices"),
]
BASELINE = 1562  # the same files at commit 7813cce


def count(path: str, start: str | None) -> int:
    lines = (ROOT / path).read_text().splitlines()
    if start is not None:
        lines = lines[next(n for n, line in enumerate(lines) if line.startswith(start)) :]
    return len(lines)


def run() -> list[dict]:
    rows = [
        {"file": path + (f" (from {start})" if start else ""), "lines": count(path, start)}
        for path, start in LIVE_PATH
    ]
    total = sum(row["lines"] for row in rows)
    rows.append({"file": "total", "lines": total})
    rows.append({"file": "total at 7813cce", "lines": BASELINE})
    for row in rows:
        row["x_7813cce"] = row["lines"] / BASELINE if row["file"].startswith("total") else None
    return rows

"""`make bench`: run every bench/bench_*.py module and print its table.

A benchmark module exposes `run() -> list[dict]`: one dict per row, the same keys in every row.
Each compares against a floor measured in the same run (a bare Django view, an empty PDF) and
reports ratios; nothing here asserts a time. Besides the bench_*.py modules, `live_lines` counts
the lines of the live path (no timing). `python -m bench live` picks the modules whose name holds
"live".
"""

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def print_table(title: str, rows: list[dict]) -> None:
    print(f"\n## {title}\n")
    if not rows:
        print("(no rows)")
        return
    headers = list(rows[0])
    cells = [[_fmt(row.get(h)) for h in headers] for row in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)


def main(selected: list[str]) -> int:
    folder = Path(__file__).parent
    names = sorted(
        m.name for m in pkgutil.iter_modules([str(folder)]) if m.name.startswith("bench_")
    )
    names.append("live_lines")
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        started = time.perf_counter()
        rows = module.run()
        title = (module.__doc__ or name).strip().splitlines()[0]
        print_table(f"{title} ({time.perf_counter() - started:.1f} s)", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

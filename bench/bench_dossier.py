"""Dossier export: the ZIP of the large bench trajectory next to that of a small one

The data is bench_report's (built by its `build` step in a throwaway SQLite database): 12
partners with 3 representatives each, 300 interests in 15 themes, 10 workshops, 40 proposals
with a position of every partner. Each case runs in a fresh process, twice (cold, then warm);
wall and CPU seconds, the number of queries of the warm build and the ZIP's size. The floor is
the small trajectory's dossier (2 partners, nothing else) built in the same run: `x_small` is the
large one's warm time as a multiple of it. No progress report is rendered, so the ZIP holds no
PDF. The same build runs in the report task (reports/services.py) when a facilitator orders the
dossier. Target: the large dossier in under 2 s warm at low load.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

from bench._serve import child


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="bench-dossier-") as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "coconnect.test_settings",
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
        }
        ids = child("bench_report", ["build"], env)
        cases = [
            ("dossier, small trajectory (floor)", [str(ids["small"]), "shared"]),
            ("dossier, large trajectory, shared", [str(ids["large"]), "shared"]),
            ("dossier, large trajectory, facilitator", [str(ids["large"]), "facilitator"]),
        ]
        rows = []
        for name, args in cases:
            load = os.getloadavg()[0]
            rows.append({"case": name, **child("bench_dossier", args, env), "load_1m": load})
    floor = rows[0]["warm_s"] or 1e-9
    for row in rows:
        row["x_small"] = row["warm_s"] / floor
    return rows


# --- inside the child process --------------------------------------------------------------------


def build(trajectory_id: int, edition: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.dossier import dossier_build
    from trajectories.models import Trajectory

    trajectory = Trajectory.objects.get(pk=trajectory_id)
    timings, cpu = [], []
    for _ in range(2):
        started, started_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            data = dossier_build(trajectory, edition=edition)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {
        "kib": round(len(data) / 1024),
        "queries": len(queries),
        "first_s": timings[0],
        "first_cpu_s": cpu[0],
        "warm_s": timings[1],
        "warm_cpu_s": cpu[1],
    }


def main(argv: list[str]) -> None:
    import django

    django.setup()
    print(json.dumps(build(int(argv[0]), argv[1])))


if __name__ == "__main__":
    main(sys.argv[1:])

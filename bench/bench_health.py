"""Health pages: a small and a large trajectory next to the login page

The large trajectory has 12 partners with 3 representatives each, 10 answered pulses (36 people ×
13 statements each), 12 interim changes, 12 risks and 12 stakeholders; the small one 2 partners and
one pulse. Each page is fetched 20 times after one warm-up in a fresh process with a throwaway
SQLite database; `queries` is the count per request, which must be the same for both sizes.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time

from bench._serve import child

ROUNDS = 20


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="bench-health-") as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "coconnect.test_settings",
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
            "ALLOWED_HOSTS": "testserver",
        }
        rows = child("bench_health", ["child"], env)
    floor = rows[0]["median_ms"] or 1e-9
    for row in rows:
        row["x_login"] = row["median_ms"] / floor
    return rows


def _child() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from health import services
    from health.models import InterimChange, Risk, Stakeholder
    from health.statements import STATEMENTS
    from tests import factories
    from trajectories.models import Participant

    call_command("migrate", verbosity=0)
    user = factories.make_user("bench")
    levels = list(Participant.Level)

    def build(name, partners, pulses):
        trajectory = factories.make_trajectory(name, facilitator=user)
        people = []
        for i in range(partners):
            partner = factories.make_partner(trajectory, f"Partner {i}")
            people += [
                factories.make_participant(partner, level=levels[(i + j) % 3]) for j in range(3)
            ]
            today = timezone.localdate()
            InterimChange.objects.create(
                trajectory=trajectory, kind="other", title=f"C{i}", occurred_on=today
            )
            Risk.objects.create(
                trajectory=trajectory,
                category="policy",
                title=f"R{i}",
                likelihood=1 + i % 5,
                impact=1 + i % 5,
                owner=partner,
                review_on=today,
            )
            Stakeholder.objects.create(trajectory=trajectory, name=f"S{i}", partner=partner)
        for n in range(pulses):
            pulse = services.pulse_create(
                trajectory=trajectory, title=f"Peiling {n}", open_now=True
            )
            for k, person in enumerate(people):
                answers = {s.key: (1 + (k + n + idx) % 5, "") for idx, s in enumerate(STATEMENTS)}
                services.response_submit(pulse=pulse, participant=person, answers=answers)
            services.pulse_close(pulse=pulse)
        return trajectory

    small = build("Klein", 2, 1)
    large = build("Groot", 12, 10)
    client = Client()
    client.force_login(user)
    cases = [("login page (floor)", "/accounts/login/")]
    for label, trajectory in (("small", small), ("large", large)):
        cases.append((f"health page, {label}", f"/t/{trajectory.pk}/gezondheid/"))
        last = trajectory.pulses.last()
        cases.append((f"pulse page, {label}", f"/t/{trajectory.pk}/gezondheid/pulsen/{last.pk}/"))
    rows = []
    for name, url in cases:
        client.get(url)
        times = []
        for _ in range(ROUNDS):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        rows.append(
            {
                "case": name,
                "median_ms": statistics.median(times),
                "max_ms": max(times),
                "queries": len(ctx.captured_queries),
                "kib": len(response.content) / 1024,
            }
        )
    print(json.dumps(rows))


if __name__ == "__main__" and sys.argv[1:] == ["child"]:
    _child()

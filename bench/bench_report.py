"""Report rendering: a large trajectory's progress report next to an empty one-page PDF

Each case renders in a fresh Python process (as a worker would), twice: the first render pays for
loading fonts and templates, the second shows a warm worker. Wall-clock and CPU seconds are both
given: on a busy machine the CPU time is the steadier figure. `peak_mib` is the peak resident memory
of that process (ru_maxrss), `base_mib` its size before the first render; `pdf_cpu_s` is the part of
the first render's CPU time spent in WeasyPrint (layout and writing), the rest is queries and
templates. The data lives in a
throwaway SQLite database built with every app's models: 12 partners with 3 representatives each,
300 interests in 15 themes, 10 workshops with attendance, agreements and action items, 40
improvement proposals with a position of every partner, and the health data of the demo.
`load_1m` is the machine's load average when the case started: compare runs at a like load.
Targets for the large progress report (both editions): at most 3 s wall at low load, under
300 MiB.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

from bench._serve import child

PARTNERS = 12
PEOPLE_PER_PARTNER = 3
INTERESTS = 300
THEMES = 15
WORKSHOPS = 10
PROPOSALS = 40


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
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
            ("empty one-page PDF", ["empty"]),
            ("progress report, small trajectory", ["report", str(ids["small"]), "manager"]),
            (
                "progress report, large trajectory, managers",
                ["report", str(ids["large"]), "manager"],
            ),
            (
                "progress report, large trajectory, facilitators",
                ["report", str(ids["large"]), "facilitator"],
            ),
        ]
        rows = []
        for name, args in cases:
            load = os.getloadavg()[0]
            result = child("bench_report", ["render", *args], env)
            rows.append({"case": name, **result, "load_1m": load})
    floor = rows[0]["first_s"] or 1e-9
    for row in rows:
        row["x_empty"] = row["first_s"] / floor
    return rows


def _peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- inside the child processes ------------------------------------------------------------------


def _setup():
    import django

    django.setup()


def build() -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    small = _trajectory("Kleine samenwerking", partners=2)
    large = _trajectory(
        "Van beschermd wonen naar een eigen thuis – regio Rivierland", partners=PARTNERS
    )
    _fill_large(large)
    return {"small": small.pk, "large": large.pk}


def _trajectory(name: str, *, partners: int):
    from django.contrib.auth import get_user_model

    from trajectories.models import Membership, Participant, Partner, Trajectory

    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"email": ""})
    trajectory = Trajectory.objects.create(
        name=name,
        task="Mensen uit beschermd wonen en maatschappelijke opvang vinden sneller een eigen "
        "woning met hulp die op elkaar is afgestemd.",
        goals="Wachttijd voor een woning halveren binnen twee jaar.\nEén aanspreekpunt per cliënt.",
        phase="build_up",
    )
    Membership.objects.create(trajectory=trajectory, user=user, role="facilitator")
    kinds = [k for k, _ in Partner.Kind.choices]
    levels = ["board", "manager", "professional"]
    for p in range(partners):
        partner = Partner.objects.create(
            trajectory=trajectory,
            name=f"Organisatie {p + 1:02d} – {kinds[p % len(kinds)]}",
            kind=kinds[p % len(kinds)],
        )
        Participant.objects.bulk_create(
            Participant(
                partner=partner,
                name=f"Vertegenwoordiger {p + 1}.{i + 1} Ĳzerman-Öztürk",
                level=levels[i % 3],
                mandate="" if i == 2 else "Mag toezeggingen doen tot € 25.000 en één fte inzet.",
            )
            for i in range(PEOPLE_PER_PARTNER)
        )
    return trajectory


def _fill_large(trajectory) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from bench._data import revealed_round
    from improvements.models import ImprovementPackage, Position, Proposal
    from trajectories.models import Participant, Partner
    from workshops.models import ActionItem, Agreement, Attendance, Workshop

    now = timezone.now()
    partners = list(Partner.objects.filter(trajectory=trajectory))
    people = list(Participant.objects.filter(partner__trajectory=trajectory))
    revealed_round(
        trajectory,
        partners,
        now=now,
        themes=THEMES,
        interests=INTERESTS,
        classifications=["common", "compatible", "conflicting"],
    )
    statuses = ["open", "in_progress", "done", "open"]
    for w in range(WORKSHOPS):
        workshop = Workshop.objects.create(
            trajectory=trajectory,
            title=f"Werkbijeenkomst {w + 1}",
            starts_at=now - timedelta(days=7 * (WORKSHOPS - w)),
            place="Stadskantoor, zaal De Waal",
            status="closed",
            started_at=now - timedelta(days=7 * (WORKSHOPS - w)),
            closed_at=now - timedelta(days=7 * (WORKSHOPS - w)),
        )
        Attendance.objects.bulk_create(Attendance(workshop=workshop, participant=p) for p in people)
        for a in range(2):
            agreement = Agreement.objects.create(
                trajectory=trajectory,
                workshop=workshop,
                text=f"Afspraak {w + 1}.{a + 1}: partners delen wachtlijstgegevens maandelijks.",
            )
            ActionItem.objects.bulk_create(
                ActionItem(
                    trajectory=trajectory,
                    workshop=workshop,
                    agreement=agreement,
                    title=f"Actie {w + 1}.{a + 1}.{i + 1}: voorstel uitwerken",
                    owner_partner=partners[(w + i) % len(partners)],
                    due_date=(now + timedelta(days=14 * (i - 1))).date(),
                    status=statuses[(w + i) % 4],
                )
                for i in range(2)
            )
    stances = ["supports", "conditions", "objects", "undecided", "supports"]
    proposals = []
    for n in range(PROPOSALS):
        proposal = Proposal.objects.create(
            trajectory=trajectory,
            title=f"Voorstel {n + 1}: gezamenlijk woonloket",
            description="Eén loket waar cliënt, corporatie en zorgaanbieder samen aan tafel "
            "zitten.",
            proposer_partner=partners[n % len(partners)],
        )
        proposals.append(proposal)
        Position.objects.bulk_create(
            Position(
                proposal=proposal,
                partner=partner,
                stance=stances[(n + k) % 5],
                text=""
                if stances[(n + k) % 5] in ("supports", "undecided")
                else "Alleen met extra budget.",
                mandate=["consult", "board", "agreed"][(n + k) % 3],
            )
            for k, partner in enumerate(partners)
        )
    package = ImprovementPackage.objects.create(trajectory=trajectory, title="Verbeterpakket 2027")
    package.proposals.set(proposals[:15])
    try:
        from health import demo as health_demo

        health_demo.load(trajectory)
    except Exception as exc:  # the bench still measures the rest
        print(f"health demo data not loaded: {exc!r}", file=sys.stderr)


def render(kind: str, *args: str) -> dict:
    base = _peak_mib()
    if kind == "empty":
        from reports.rendering import html_to_pdf

        html = (
            '<!doctype html><html lang="nl"><head><title>Leeg</title></head>'
            "<body><p>Leeg</p></body></html>"
        )
        timings, cpu = [], []
        for _ in range(2):
            started, started_cpu = time.perf_counter(), time.process_time()
            pdf, pages = html_to_pdf(html)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        size = len(pdf)
        pdf_cpu = cpu[0]
    else:
        from reports import rendering
        from reports.models import Report
        from reports.services import report_build

        pdf_cpu_times = []
        html_to_pdf = rendering.html_to_pdf

        def timed_html_to_pdf(document_html):
            started_cpu = time.process_time()
            try:
                return html_to_pdf(document_html)
            finally:
                pdf_cpu_times.append(time.process_time() - started_cpu)

        rendering.html_to_pdf = timed_html_to_pdf
        trajectory_id, audience = int(args[0]), args[1]
        timings, cpu = [], []
        for _ in range(2):
            report = Report.objects.create(
                trajectory_id=trajectory_id, audience=audience, language="nl"
            )
            started, started_cpu = time.perf_counter(), time.process_time()
            assert report_build(report_id=report.pk) == "ready"
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        report.refresh_from_db()
        pages, size = report.pages, report.file.size
        pdf_cpu = pdf_cpu_times[0]
    return {
        "pages": pages,
        "kib": round(size / 1024),
        "first_s": timings[0],
        "first_cpu_s": cpu[0],
        "pdf_cpu_s": pdf_cpu,
        "warm_s": timings[1],
        "warm_cpu_s": cpu[1],
        "base_mib": base,
        "peak_mib": _peak_mib(),
    }


def main(argv: list[str]) -> None:
    _setup()
    command, *args = argv
    result = build() if command == "build" else render(*args)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])

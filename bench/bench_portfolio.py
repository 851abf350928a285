"""Portfolio report: an organisation in 20 trajectories, one in a single trajectory, empty PDF

The organisation's report (reports/portfolio.py) is a cover, a summary table and one page per
trajectory; it is built by the report task like every PDF. Each case renders in a fresh process
(as a worker would), twice: cold, then warm. `queries` are the warm build's, the same for 1 and 20
trajectories (organisations/selectors.py reads all trajectories at once); `pdf_cpu_s` is the part
of the cold build spent in WeasyPrint; `peak_mib` the process's peak resident memory
(ru_maxrss), `base_mib` its size before the first build. The floor is bench_report's empty
one-page PDF, rendered in the same run: `x_empty` is a case's cold time as a multiple of it.
Each trajectory holds 3 partners with 3 representatives each, 10 interests of the organisation and
10 of the others, 5 proposals with the positions of every partner in a package being composed, 6
action items, 2 risks, an interim change and 3 pulses of 9 respondents. Targets: the 20-trajectory
report under 10 s warm at low load and under 300 MiB.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

from bench._serve import child

TRAJECTORIES = 20


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="bench-portfolio-") as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "coconnect.test_settings",
            "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
        }
        ids = child("bench_portfolio", ["build"], env)
        rows = []
        load = os.getloadavg()[0]
        rows.append(
            {
                "case": "empty one-page PDF (floor)",
                **_floor(child("bench_report", ["render", "empty"], env)),
                "load_1m": load,
            }
        )
        for name, organisation in [
            ("portfolio, 1 trajectory", ids["one"]),
            (f"portfolio, {TRAJECTORIES} trajectories", ids["many"]),
        ]:
            load = os.getloadavg()[0]
            result = child("bench_portfolio", ["render", str(organisation)], env)
            rows.append({"case": name, **result, "load_1m": load})
    floor = rows[0]["first_s"] or 1e-9
    for row in rows:
        row["x_empty"] = row["first_s"] / floor
    return rows


def _floor(result: dict) -> dict:
    keys = ["pages", "kib", "first_s", "first_cpu_s", "pdf_cpu_s", "warm_s", "warm_cpu_s"]
    return {**{k: result[k] for k in keys}, "queries": 0, **_memory(result)}


def _memory(result: dict) -> dict:
    return {"base_mib": result["base_mib"], "peak_mib": result["peak_mib"]}


def _peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- inside the child processes ------------------------------------------------------------------


def build() -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    one = _municipality("Gemeente Eenstad", trajectories=1)
    many = _municipality("Gemeente Rivierstad", trajectories=TRAJECTORIES)
    return {"one": one.pk, "many": many.pk}


def _municipality(name: str, *, trajectories: int):
    from datetime import timedelta

    from django.utils import timezone

    from health.models import Answer, InterimChange, Pulse, Response, Risk
    from health.statements import STATEMENTS
    from improvements.models import ImprovementPackage, Mandate, Position, Proposal, Stance
    from interests.models import Interest, InterestRound
    from trajectories.models import Participant, Partner, Trajectory
    from workshops.models import ActionItem

    today = timezone.localdate()
    own = None
    for n in range(trajectories):
        trajectory = Trajectory.objects.create(
            name=f"{name}: samenwerking {n + 1:02d}",
            task="Samen zorgen dat bewoners sneller een passende woning vinden.",
            phase=list(Trajectory.Phase)[n % len(Trajectory.Phase)],
        )
        own = Partner.objects.create(trajectory=trajectory, name=name, kind="municipality")
        others = [
            Partner.objects.create(trajectory=trajectory, name=f"Partner {k} van {n}", kind=kind)
            for k, kind in enumerate(["housing", "care"])
        ]
        people = []
        for partner in [own, *others]:
            for level in Participant.Level.values:
                people.append(
                    Participant.objects.create(
                        partner=partner,
                        name=f"{level.title()} {partner.name}",
                        level=level,
                        mandate="" if level == "professional" else "Beslist over de inzet.",
                    )
                )
        round = InterestRound.objects.create(trajectory=trajectory, title="Ronde", phase="design")
        Interest.objects.bulk_create(
            Interest(round=round, partner=partner, statement=f"Belang {k} van {partner.name}")
            for partner in [own, *others]
            for k in range(5 if partner != own else 10)
        )
        package = ImprovementPackage.objects.create(trajectory=trajectory, title="Pakket")
        for k in range(5):
            proposal = Proposal.objects.create(trajectory=trajectory, title=f"Voorstel {k}")
            package.proposals.add(proposal)
            for partner in [own, *others]:
                objects = k == 0 and partner == own
                Position.objects.create(
                    proposal=proposal,
                    partner=partner,
                    stance=Stance.OBJECTS if objects else Stance.SUPPORTS,
                    text="Te duur" if objects else "",
                    mandate=Mandate.BOARD if k == 1 else Mandate.AGREED,
                )
        ActionItem.objects.bulk_create(
            ActionItem(
                trajectory=trajectory,
                title=f"Actie {k}",
                owner_partner=own,
                due_date=today + timedelta(days=k * 7 - 14),
                status="done" if k == 5 else "open",
            )
            for k in range(6)
        )
        for partner in (own, others[0]):
            Risk.objects.create(
                trajectory=trajectory,
                category="financial",
                title=f"Risico van {partner.name}",
                likelihood=3,
                impact=3,
                owner=partner,
                review_on=today,
            )
        InterimChange.objects.create(
            trajectory=trajectory,
            kind="budget_cuts",
            title="Bezuiniging",
            partner=own,
            occurred_on=today,
        )
        for p in range(3):
            pulse = Pulse.objects.create(trajectory=trajectory, title=f"Peiling {p + 1}")
            for person in people:
                response = Response.objects.create(
                    pulse=pulse, participant=person, partner=person.partner, level=person.level
                )
                Answer.objects.bulk_create(
                    Answer(response=response, statement=s.key, score=4 - p) for s in STATEMENTS
                )
    return own.organisation


def render(organisation_id: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports import portfolio
    from reports.models import Report
    from reports.services import report_build

    base = _peak_mib()
    pdf_cpu_times = []
    html_to_pdf = portfolio.html_to_pdf

    def timed_html_to_pdf(document_html):
        started_cpu = time.process_time()
        try:
            return html_to_pdf(document_html)
        finally:
            pdf_cpu_times.append(time.process_time() - started_cpu)

    portfolio.html_to_pdf = timed_html_to_pdf
    timings, cpu = [], []
    for _ in range(2):
        report = Report.objects.create(
            organisation_id=int(organisation_id),
            kind="portfolio",
            audience="coordinator",
            language="nl",
        )
        started, started_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            assert report_build(report_id=report.pk, notify=False) == "ready"
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    report.refresh_from_db()
    return {
        "pages": report.pages,
        "kib": round(report.file.size / 1024),
        "first_s": timings[0],
        "first_cpu_s": cpu[0],
        "pdf_cpu_s": pdf_cpu_times[0],
        "warm_s": timings[1],
        "warm_cpu_s": cpu[1],
        "queries": len(queries),
        "base_mib": base,
        "peak_mib": _peak_mib(),
    }


def main(argv: list[str]) -> None:
    import django

    django.setup()
    command, *args = argv
    result = build() if command == "build" else render(*args)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])

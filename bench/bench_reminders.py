"""Reminder run: 50 trajectories × 12 partners × 3 representatives with something due

Each trajectory has an open round closing tomorrow (half its partners behind), a package asking
positions today on three proposals, an open pulse closing tomorrow and an overdue action item of
one representative per partner; five facilitators share the fifty trajectories. The data is built
in a throwaway database (PostgreSQL when the local server answers, else SQLite) in a child
process; the mails go to Django's in-memory backend, so the time is Coconnect's own, not a mail
server's. Rows: the daily reminders (`send_reminders`) for 5 and for 50 trajectories, a second
run the same day (sends nothing), and Monday's facilitator digests. `q_fixed` and
`q_per_mail` split the queries into a part that does not depend on the number of recipients and a
part per mail (from the two sizes): the part per mail must stay a small constant (the claim).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time

from bench._serve import child, throwaway_database

SIZES = (5, 50)
PARTNERS = 12
PEOPLE = 3


def run() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as folder:
        for size in SIZES:
            own = os.path.join(folder, str(size))  # a SQLite file of its own per size
            os.mkdir(own)
            with throwaway_database(own, prefix=f"bench_reminders_{size}") as url:
                env = {
                    **os.environ,
                    "DJANGO_SETTINGS_MODULE": "coconnect.test_settings",
                    "DATABASE_URL": url,
                    "REDIS_URL": "",
                    "LOG_LEVEL": "WARNING",
                }
                for row in child("bench_reminders", [str(size)], env):
                    rows.append({"trajectories": size, **row, "db": url.split(":")[0]})
    by_case = {}
    for row in rows:
        by_case.setdefault(row["case"], []).append(row)
    for pair in by_case.values():
        if len(pair) == 2 and pair[1]["mails"] != pair[0]["mails"]:
            per_mail = (pair[1]["queries"] - pair[0]["queries"]) / (
                pair[1]["mails"] - pair[0]["mails"]
            )
            for row in pair:
                row["q_per_mail"] = per_mail
                row["q_fixed"] = row["queries"] - per_mail * row["mails"]
    return rows


# --- inside the child process --------------------------------------------------------------------


def build(size: int) -> None:
    import datetime

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from health.models import Pulse
    from improvements.models import ImprovementPackage, Proposal
    from interests.models import Interest, InterestRound
    from trajectories.models import Membership, Participant, Partner, Trajectory
    from workshops.models import ActionItem

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    now = timezone.now()
    facilitators = [
        get_user_model().objects.create_user(f"fac{i}", email=f"fac{i}@example.org")
        for i in range(5)
    ]
    for t in range(size):
        trajectory = Trajectory.objects.create(name=f"Traject {t + 1:02d}", task="Wonen en zorg")
        Membership.objects.create(
            trajectory=trajectory, user=facilitators[t % 5], role=Membership.Role.FACILITATOR
        )
        partners = Partner.objects.bulk_create(
            Partner(trajectory=trajectory, name=f"Partner {p + 1:02d}", kind="municipality")
            for p in range(PARTNERS)
        )
        people = Participant.objects.bulk_create(
            Participant(
                partner=partner,
                name=f"Deelnemer {partner.pk}-{n}",
                email=f"d{partner.pk}-{n}@example.org",
                level="professional",
            )
            for partner in partners
            for n in range(PEOPLE)
        )
        round_ = InterestRound.objects.create(
            trajectory=trajectory,
            title="Belangen",
            phase="exploration",
            status="open",
            min_per_partner=3,
            closes_on=today + datetime.timedelta(days=1),
            opened_at=now,
        )
        Interest.objects.bulk_create(
            Interest(
                round=round_,
                partner=partner,
                statement=f"Belang {i}",
                status="submitted",
                submitted_at=now,
            )
            for p, partner in enumerate(partners)
            for i in range(3 if p % 2 else 1)
        )
        proposals = Proposal.objects.bulk_create(
            Proposal(trajectory=trajectory, title=f"Voorstel {i}") for i in range(3)
        )
        package = ImprovementPackage.objects.create(
            trajectory=trajectory, title="Pakket", positions_due_on=today
        )
        package.proposals.set(proposals)
        Pulse.objects.create(
            trajectory=trajectory,
            title="Puls",
            status="open",
            opened_at=now,
            closes_on=today + datetime.timedelta(days=1),
        )
        ActionItem.objects.bulk_create(
            ActionItem(
                trajectory=trajectory,
                title=f"Actie {person.pk}",
                owner_participant=person,
                due_date=today - datetime.timedelta(days=1),
            )
            for person in people[::PEOPLE]
        )


def measure(size: int) -> list[dict]:
    import datetime

    from django.conf import settings
    from django.core import mail as django_mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reminders import jobs

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    django_mail.outbox = []
    build(size)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    cases = [
        ("reminders, first run", lambda: jobs.reminders_send(today=today)),
        ("reminders, second run", lambda: jobs.reminders_send(today=today)),
        ("facilitator digests", lambda: jobs.facilitator_digests_send(today=monday)),
    ]
    rows = []
    for name, job in cases:
        sent_before = len(django_mail.outbox)
        started, started_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            result = job()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        mails = len(django_mail.outbox) - sent_before
        rows.append(
            {
                "case": name,
                "mails": mails,
                "skipped": result.skipped,
                "queries": len(queries),
                "time_s": elapsed,
                "cpu_s": cpu,
                "ms_per_mail": elapsed * 1000 / mails if mails else None,
            }
        )
    return rows


def main(argv: list[str]) -> None:
    import django

    django.setup()
    print(json.dumps(measure(int(argv[0]))))


if __name__ == "__main__":
    main(sys.argv[1:])

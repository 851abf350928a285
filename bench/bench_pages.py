"""Heavy pages of a large trajectory next to the /healthz/ floor

A child process builds a large trajectory in a throwaway PostgreSQL database (a SQLite
file when no PostgreSQL answers): 12 partners with 3 representatives each, one revealed round of
300 interests (all three tiers) in 15 themes with a few links, 40 proposals each serving 5
interests with a position and an expected gain of every partner, and 40 action items, and
collects the static files with their manifest. One uvicorn process then serves the project in the
production settings (DEBUG off, a pool of DB_POOL_MAX_SIZE connections), and the facilitator
fetches each page over its own keep-alive HTTP connection: one warm-up each, then
BENCH_PAGES_ROUNDS rounds (default 15), each fetching every page once in turn (the floor four
times), so the floor and every page are timed over the same stretch of a busy machine's load
rather than one after the other. `x_floor` is the page's median over the median of /healthz/ in
the same run; target: at most 10 at p50.
`cpu_ms` is the server process's CPU time per request (10 ms clock ticks, averaged over the
rounds) and `x_floor_cpu` its ratio to the floor's: the steadier figure on a busy machine.
`queries` comes from one extra request, so counting never slows the timed ones.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import sys
import time

from bench._serve import HOST, child, cpu_seconds, production_site, running_server

ROUNDS = int(os.getenv("BENCH_PAGES_ROUNDS", "15"))
PARTNERS = 12
PEOPLE_PER_PARTNER = 3
INTERESTS = 300
THEMES = 15
PROPOSALS = 40


def run() -> list[dict]:
    with production_site("bench-pages", collect_static=True, REDIS_URL="") as site:
        data = child("bench_pages", ["build"], site.env)
        uvicorn = ["uvicorn", "coconnect.asgi:application", "--log-level", "warning"]
        uvicorn += ["--no-access-log", "--host", HOST, "--port", str(site.port)]
        # Each page's connection waits a whole round between its requests; uvicorn's default
        # (5 s) would close it on a busy machine.
        uvicorn += ["--timeout-keep-alive", "300"]
        with running_server(uvicorn, site) as server:
            rows = _measure(site.port, data["cases"], data["cookie"], server.pid)
        queries = child("bench_pages", ["queries"], site.env)
    floor, cpu_floor = rows[0]["p50_ms"] or 1e-9, rows[0]["cpu_ms"] or 1e-9
    for row in rows:
        row["queries"] = queries[row["page"]]
        row["x_floor"] = row["p50_ms"] / floor
        row["x_floor_cpu"] = row["cpu_ms"] / cpu_floor
    return rows


def _measure(port: int, cases: list[tuple[str, str]], cookie: str, pid: int) -> list[dict]:
    headers = {"Cookie": cookie, "Host": HOST}
    pages = [
        {
            "name": name,
            "url": url,
            "connection": http.client.HTTPConnection(HOST, port, timeout=60),
            "times": [],
            "cpu": 0.0,
        }
        for name, url in cases
    ]

    def fetch(page: dict) -> bytes:
        page["connection"].request("GET", page["url"], headers=headers)
        response = page["connection"].getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{page['url']}: HTTP {response.status}")
        return body

    for page in pages:
        page["size"] = len(fetch(page))  # the warm-up
    for _round in range(ROUNDS):
        for page in pages:
            for _ in range(4 if page["url"] == "/healthz/" else 1):
                cpu_before = cpu_seconds(pid)
                started = time.perf_counter()
                fetch(page)
                page["times"].append((time.perf_counter() - started) * 1000)
                page["cpu"] += cpu_seconds(pid) - cpu_before
    rows = []
    for page in pages:
        page["connection"].close()
        times = sorted(page["times"])
        rows.append(
            {
                "page": page["name"],
                "p50_ms": statistics.median(times),
                "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                "cpu_ms": page["cpu"] * 1000 / len(times),
                "queries": None,
                "kib": page["size"] / 1024,
            }
        )
    return rows


# --- inside the child process --------------------------------------------------------------------


def _build():
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from bench._data import revealed_round
    from improvements.models import Position, Proposal, ProposalGain
    from interests.models import InterestLink
    from trajectories.models import Membership, Participant, Partner, Trajectory
    from workshops.models import ActionItem, Agreement

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    now = timezone.now()
    user = get_user_model().objects.create_user("bench", password="bench")
    trajectory = Trajectory.objects.create(
        name="Van beschermd wonen naar een eigen thuis – regio Rivierland",
        task="Mensen uit beschermd wonen vinden sneller een eigen woning.",
        phase="build_up",
    )
    Membership.objects.create(trajectory=trajectory, user=user, role="facilitator")
    kinds = [k for k, _ in Partner.Kind.choices]
    partners = []
    for p in range(PARTNERS):
        partner = Partner.objects.create(
            trajectory=trajectory,
            name=f"Organisatie {p + 1:02d} – {kinds[p % len(kinds)]}",
            kind=kinds[p % len(kinds)],
        )
        partners.append(partner)
        Participant.objects.bulk_create(
            Participant(partner=partner, name=f"Vertegenwoordiger {p + 1}.{i + 1}")
            for i in range(PEOPLE_PER_PARTNER)
        )
    weights = ["must", "important", "nice"]
    round_, themes, interests = revealed_round(
        trajectory,
        partners,
        now=now,
        themes=THEMES,
        interests=INTERESTS,
        classifications=["common", "compatible", "conflicting", "unclassified"],
        interest_fields=lambda i: {
            "weight": weights[(i // 3) % 3],
            "created_at": now - timedelta(days=30, minutes=i),
        },
    )
    InterestLink.objects.bulk_create(
        InterestLink(
            round=round_,
            first=interests[i],
            second=interests[i + 1],
            kind="compatible" if i % 2 else "conflicting",
        )
        for i in range(0, 20, 2)
    )
    stances = ["supports", "conditions", "objects", "undecided", "supports"]
    for n in range(PROPOSALS):
        proposal = Proposal.objects.create(
            trajectory=trajectory,
            title=f"Voorstel {n + 1}: gezamenlijk woonloket",
            description="Eén loket waar cliënt, corporatie en zorgaanbieder samen zitten.",
            proposer_partner=partners[n % PARTNERS],
        )
        proposal.interests.set(interests[n * 7 % INTERESTS : n * 7 % INTERESTS + 5])
        proposal.themes.set(themes[n % THEMES : n % THEMES + 2])
        Position.objects.bulk_create(
            Position(
                proposal=proposal,
                partner=partner,
                stance=stances[(n + k) % 5],
                text="Alleen met extra budget." if (n + k) % 5 in (1, 2) else "",
                mandate=["consult", "board", "agreed"][(n + k) % 3],
            )
            for k, partner in enumerate(partners)
        )
        ProposalGain.objects.bulk_create(
            ProposalGain(proposal=proposal, partner=partner, level=["some", "much"][(n + k) % 2])
            for k, partner in enumerate(partners)
            if (n + k) % 3
        )
    agreement = Agreement.objects.create(trajectory=trajectory, text="Wachtlijsten delen.")
    ActionItem.objects.bulk_create(
        ActionItem(
            trajectory=trajectory,
            agreement=agreement,
            title=f"Actie {i + 1}: voorstel uitwerken",
            owner_partner=partners[i % PARTNERS],
            due_date=(now + timedelta(days=7 * (i % 6 - 2))).date(),
            status=["open", "in_progress", "done", "open"][i % 4],
        )
        for i in range(40)
    )
    return user, trajectory, round_, Proposal.objects.filter(trajectory=trajectory).first()


def _cases(trajectory_pk: int, round_pk: int, proposal_pk: int) -> list[tuple[str, str]]:
    t, r, p = trajectory_pk, round_pk, proposal_pk
    return [
        ("/healthz/ (floor)", "/healthz/"),
        ("themes board", f"/t/{t}/belangen/rondes/{r}/themas/"),
        ("revealed round page", f"/t/{t}/belangen/rondes/{r}/"),
        ("interest map", f"/t/{t}/belangen/kaart/?ronde={r}"),
        ("interest map, projector", f"/t/{t}/belangen/kaart/?ronde={r}&groot=1"),
        ("export CSV", f"/t/{t}/belangen/rondes/{r}/export.csv"),
        ("export XLSX", f"/t/{t}/belangen/rondes/{r}/export.xlsx"),
        ("proposal list", f"/t/{t}/verbeteringen/"),
        ("support matrix", f"/t/{t}/verbeteringen/draagvlak/"),
        ("proposal create form", f"/t/{t}/verbeteringen/voorstellen/nieuw/"),
        ("proposal edit form", f"/t/{t}/verbeteringen/voorstellen/{p}/bewerken/"),
        ("proposal page", f"/t/{t}/verbeteringen/voorstellen/{p}/"),
        ("follow-up", f"/t/{t}/verbeteringen/opvolging/"),
        # A light page of the same trajectory (the kinds of improvement): what the page frame
        # (session, viewer, tabs, layout) costs on its own.
        ("light page (reference)", f"/t/{t}/verbeteringen/soorten/"),
    ]


def _child_main(command: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from improvements.models import Proposal
    from interests.models import InterestRound

    if command == "build":
        user, trajectory, round_, proposal = _build()
    else:
        user = get_user_model().objects.get(username="bench")
        round_ = InterestRound.objects.get()
        trajectory = round_.trajectory
        proposal = Proposal.objects.filter(trajectory=trajectory).first()
    client = Client(HTTP_HOST=HOST)
    # Signed in through the sign-in form, as a person is: force_login's request has no address,
    # which the sign-in throttle (django-axes) cannot store in PostgreSQL.
    signed_in = client.post("/accounts/login/", {"username": user.username, "password": "bench"})
    assert signed_in.status_code == 302, signed_in.status_code
    cases = _cases(trajectory.pk, round_.pk, proposal.pk)
    if command == "build":
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        print(json.dumps({"cookie": f"{cookie.key}={cookie.value}", "cases": cases}))
        return
    counts = {}
    for name, url in cases:
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        counts[name] = len(ctx.captured_queries)
    print(json.dumps(counts))


if __name__ == "__main__" and sys.argv[1:2] in (["build"], ["queries"]):
    _child_main(sys.argv[1])

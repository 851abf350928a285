"""
Live workshop: every kind of change reaching N phones over two worker processes, and the floor

The production shape: gunicorn with 2 uvicorn workers on 127.0.0.1, a throwaway PostgreSQL
database with a pool of DB_POOL_MAX_SIZE (10) connections per process (a SQLite file without
PostgreSQL), Redis for the doorbell. N simulated participants (BENCH_LIVE_CLIENTS, default
"300,1000": one run per size) each sign in through their own invite link and hold the participant
view of one live workshop; their connections spread over both processes. One change at a time is
made through the server, as people make it: a phone posts a note (SSE, then polling), the console
moves to the next item (notes), to a dot vote (each phone draws its own dots from the shared
fragment), a phone places a dot, the console reveals the results, and moves to an interests round
(a partner-specific item: each partner its own rendering).
A phone counts as reached once it has fetched what workshops.js fetches for the new version; the
clock starts when the change request is sent. `missed`: not reached within BENCH_LIVE_TIMEOUT
seconds (default 10); `retry_503`: answers that told a phone to come back (it does, after
Retry-After); `errors_5xx`: any other 5xx. `server_cpu_s`: CPU time of gunicorn and its workers
during the phase; `phones_cpu_s`: the simulated phones' own CPU time (one process, on the same
cores: at 1,000 phones it competes with the server). `x_floor_p95`: the row's p95 over the p95
of a bare Django view measured in the same run (20 keep-alive connections alternating it with an
unchanged poll).
The mixed workshop (BENCH_LIVE_MIXED phones, default 60, for BENCH_LIVE_MIXED_SECONDS, default 60):
a room as it goes, on a fresh server. The console moves to the next item every 10 s, notes and dot
votes in turn; every phone follows its doorbell and fetches its shared fragment on each ring, posts
a note on a notes item and places its dots on a vote at moments of its own, and says it is still
there (heartbeat); the console and the projector refetch their live part on each ring. Printed:
the shared fragment fetches' p50/p95 (`clients`: phones, `missed`: fetches without an answer), all
5xx, and `server_cores`: the server's CPU time over the wall time (average cores busy).
Targets: p95 under 0.5 s (300 phones) and 1.0 s (1,000 phones) with SSE, under the poll interval
+ 0.5 s with polling, nobody missed, no 5xx; in the mixed workshop the shared fragment's p95 under
0.3 s and no 5xx.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import sys
import time

from bench._serve import HOST, child, cpu_seconds, production_site, running_server

TIMEOUT = float(os.getenv("BENCH_LIVE_TIMEOUT", "10"))
POLL_SECONDS = 2.0  # as workshops.views.POLL_SECONDS
FLOOR_REQUESTS = int(os.getenv("BENCH_LIVE_FLOOR_REQUESTS", "2000"))
WORKERS = 2


MIXED_PHONES = int(os.getenv("BENCH_LIVE_MIXED", "60"))
MIXED_SECONDS = float(os.getenv("BENCH_LIVE_MIXED_SECONDS", "60"))
MIXED_NEXT_SECONDS = 10.0


def run() -> list[dict]:
    rows = []
    for size in filter(None, os.getenv("BENCH_LIVE_CLIENTS", "300,1000").split(",")):
        rows += _run_size(int(size))
    if MIXED_PHONES:
        rows += _run_size(MIXED_PHONES, mixed=True)
    keys = list(dict.fromkeys(key for row in rows for key in row))
    return [{key: row.get(key) for key in keys} for row in rows]


def _run_size(clients: int, *, mixed: bool = False) -> list[dict]:
    redis_url = os.getenv("REDIS_URL") or "redis://127.0.0.1:6379/0"
    with production_site("bench-live", REDIS_URL=redis_url) as site:
        data = child("bench_live", ["build", str(clients), "mixed" if mixed else ""], site.env)
        gunicorn = [
            "gunicorn",
            "--worker-class",
            "uvicorn_worker.UvicornWorker",
            "--workers",
            str(WORKERS),
            "--bind",
            f"{HOST}:{site.port}",
            "--keep-alive",
            "30",
            "--timeout",
            "120",
            "--log-level",
            "warning",
            "bench.bench_live:server_app()",
        ]
        measure = _measure_mixed if mixed else _measure
        with running_server(gunicorn, site) as server:
            rows = asyncio.run(measure(site.port, data, site.env, server.pid))
    return rows


# --- the measurement (parent process) -------------------------------------------------------------


# (case, how phones follow, the change): in this order, on the bench's agenda.
CHANGES = [
    ("a note", "sse", "note"),
    ("a note (polling, no stream)", "poll", "note"),
    ("next item (notes)", "sse", "next"),
    ("next item to a dot vote (own dots)", "sse", "next"),
    ("a dot placed", "sse", "dot"),
    ("the vote revealed", "sse", "reveal"),
    ("next item, partner-specific (interests)", "sse", "next"),
]


async def _measure(port: int, data: dict, env: dict, pid: int) -> list[dict]:
    clients = [Phone(port, phone, data) for phone in data["phones"]]
    await _gather_limited([c.sign_in() for c in clients], 20)
    await _gather_limited([c.fetch_fragment() for c in clients], 20)

    # Warm up both fresh processes (templates, Redis subscriptions) with a note nobody times.
    tasks = [asyncio.create_task(c.follow_sse()) for c in clients]
    await _wait_until(lambda: all(c.ready for c in clients), 30)
    await _make_change(port, data, clients[0], "note")
    await _wait_until(lambda: all(c.reached_at for c in clients), TIMEOUT)
    await _stop(clients, tasks)

    rows = []
    for case, follow, change in CHANGES:
        version = child("bench_live", ["version", str(data["workshop"])], env)["version"]
        for client in clients:
            client.reset(version)
        tasks = [
            asyncio.create_task(c.follow_poll() if follow == "poll" else c.follow_sse())
            for c in clients
        ]
        await _wait_until(lambda: all(c.ready for c in clients), 30)
        await asyncio.sleep(POLL_SECONDS + 0.5 if follow == "poll" else 0.5)
        cpu_before, phones_cpu_before = cpu_seconds(pid), time.process_time()
        started = await _make_change(port, data, clients[0], change)
        await _wait_until(lambda: all(c.reached_at for c in clients), TIMEOUT)
        cpu = cpu_seconds(pid) - cpu_before
        phones_cpu = time.process_time() - phones_cpu_before
        await _stop(clients, tasks)
        delays = sorted(c.reached_at - started for c in clients if c.reached_at)
        if os.getenv("BENCH_LIVE_DEBUG"):
            failed = [t.exception() for t in tasks if t.done() and not t.cancelled()]
            rung = sorted(c.rang_at - started for c in clients if c.rang_at)
            print(
                case,
                "ready",
                sum(c.ready for c in clients),
                "rung",
                len(rung),
                rung[:: max(1, len(rung) // 5)],
                [f for f in failed if f][:3],
                file=sys.stderr,
            )
        row = _row(f"{follow}: {case}", len(clients), delays, len(clients) - len(delays), cpu)
        row["retry_503"] = sum(c.busy for c in clients)
        row["errors_5xx"] = sum(c.errors for c in clients)
        row["phones_cpu_s"] = phones_cpu
        rows.append(row)

    bare, poll = await _floor(port, data)
    floor = _pct(bare, 95) or 1e-9
    rows.append(_row("bare Django view (floor)", 20, bare, 0, None))
    rows.append(_row("unchanged poll (204)", 20, poll, 0, None))
    for row in rows:
        row.setdefault("retry_503", 0)
        row.setdefault("errors_5xx", 0)
        row.setdefault("phones_cpu_s", None)
        row["x_floor_p95"] = (row["p95_s"] or 0) / floor
    return rows


async def _stop(clients, tasks) -> None:
    """End the phase's streams. A phone keeps its fetch connection alive, as a browser does,
    unless it was stopped halfway through a fetch (that connection is spoilt)."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for client in clients:
        if client.reached_at is None:
            await client.close()


def _row(case, clients, delays, missed, cpu) -> dict:
    return {
        "case": case,
        "clients": clients,
        "p50_s": _pct(delays, 50),
        "p95_s": _pct(delays, 95),
        "max_s": max(delays) if delays else None,
        "missed": missed,
        "server_cpu_s": cpu,
    }


def _pct(values, pct):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(pct / 100 * (len(values) - 1))))]


async def _floor(port: int, data: dict):
    """20 keep-alive connections alternate a bare Django view and an unchanged poll."""
    bare, poll = [], []
    version_path = f"/live/{data['live_key']}/version/?v="
    version = None

    async def worker(n):
        nonlocal version
        conn = Connection(port)
        for _ in range(FLOOR_REQUESTS // 20):
            started = time.perf_counter()
            await conn.request("GET", "/bench/bare/")
            bare.append(time.perf_counter() - started)
            if version is None:
                _status, _h, body = await conn.request("GET", version_path + "0")
                version = body.decode()
            started = time.perf_counter()
            status, _h, _b = await conn.request("GET", version_path + version)
            assert status == 204, status
            poll.append(time.perf_counter() - started)
        await conn.close()

    await asyncio.gather(*(worker(n) for n in range(20)))
    return sorted(bare), sorted(poll)


async def _make_change(port: int, data: dict, phone, change: str) -> float:
    """Make the change as people do, through the server: a phone adds a note or places a dot, or
    the facilitator moves on or reveals from the console. Returns the moment it was sent."""
    conn = Connection(port)
    try:
        if change in ("next", "reveal"):
            cookie, page = data["facilitator_cookie"], data["console_path"]
            path, body = page + f"{change}/", b""
        else:
            cookie, page = phone.cookie, data["fragment_path"]
            if change == "dot":
                path, body = page + "stip/", f"option={data['option']}".encode()
            else:
                path = page + "bijdrage/"
                body = f"text=Een+nieuwe+bijdrage&item={data['first_item']}".encode()
        _status, headers, _body = await conn.request(
            "GET", page, {"Cookie": cookie, "HX-Request": "true"}
        )
        found = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
        assert found, (_status, headers)
        token = found.group(1)
        started = time.time()
        status, _h, _b = await conn.request(
            "POST",
            path,
            {"Cookie": f"{cookie}; csrftoken={token}", "X-CSRFToken": token, "X-Live-Queue": "1"},
            body,
        )
        assert status in (200, 302), (change, status)
        return started
    finally:
        await conn.close()


class Phone:
    """One participant's phone: a session cookie, a doorbell, and fragment fetches."""

    def __init__(self, port, phone, data):
        self.port = port
        self.token = phone["token"]
        self.shared_path = phone["shared_path"]
        self.fragment_path = data["fragment_path"]
        self.item = data["first_item"]
        self.live_key = data["live_key"]
        self.items = data.get("mixed_items", [])
        self.options = data.get("mixed_options", {})
        self.options = {int(k): v for k, v in self.options.items()}
        self.cookie = ""
        self.csrf = ""
        self.conn = None
        self.reset(0)

    def reset(self, version):
        self.version = version
        self.ready = False
        self.reached_at = self.rang_at = None
        self.busy = self.errors = 0

    async def sign_in(self):
        conn = Connection(self.port)
        status, headers, _body = await conn.request("GET", f"/i/{self.token}/")
        await conn.close()
        assert status == 302, status
        match = re.search(r"sessionid=([^;]+)", headers.get("set-cookie", ""))
        self.cookie = f"sessionid={match.group(1)}"

    async def fetch_fragment(self, retries=0):
        if self.conn is None:
            self.conn = Connection(self.port)
        status, headers, body = await self.conn.request(
            "GET", self.fragment_path, {"Cookie": self.cookie, "HX-Request": "true"}
        )
        found = re.search(r"csrftoken=([^;]+)", headers.get("set-cookie", ""))
        if found:
            self.csrf = found.group(1)
        if status != 200 and retries < 4:  # as workshops.js: a little later, a few times
            await asyncio.sleep(retries + 1 + random.random())
            return await self.fetch_fragment(retries + 1)
        assert status == 200, status
        match = re.search(rb'id="live-region"[^>]*data-version="(\d+)"', body)
        return int(match.group(1))

    async def fetch_shared(self, version):
        """What workshops.js does on the doorbell: the partner's shared part of this version (a
        vote's dots are drawn from it), and the phone's own part from Django only for another
        app's item (data-personal). A 503 is retried after its Retry-After, as workshops.js does."""
        if self.conn is None:
            self.conn = Connection(self.port)
        status, headers, body = await self.conn.request("GET", f"{self.shared_path}?v={version}")
        if status != 200:
            if status == 503:
                self.busy += 1
            elif status >= 500:
                self.errors += 1
            await asyncio.sleep(float(headers.get("retry-after", "1")) + random.random())
            return 0
        # The shared part names its item in data-for ("<status>-<item pk>"), as workshops.js does.
        item = int(re.search(rb'data-for="[a-z]+-(\d*)"', body).group(1) or 0)
        if item != self.item and re.search(rb"data-personal", body):
            await asyncio.sleep(random.uniform(0, 2.5))  # as workshops.js spreads them
            await self.fetch_fragment()
        self.item = item
        return int(re.search(rb'data-version="(\d+)"', body).group(1))

    async def _fetch_until(self, version):
        while True:
            if await self.fetch_shared(version) >= version:
                self.reached_at = time.time()
                return

    async def follow_sse(self):
        reader, writer = await asyncio.open_connection(HOST, self.port)
        try:
            writer.write(
                (
                    f"GET /live/{self.live_key}/events/ HTTP/1.1\r\nHost: {HOST}\r\n"
                    "Accept: text/event-stream\r\n\r\n"
                ).encode()
            )
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            assert b" 200 " in head.split(b"\r\n")[0], head
            buffer = b""
            while self.reached_at is None:
                size_line = await reader.readline()
                size = int(size_line.strip() or b"0", 16)
                if size == 0:
                    return
                buffer += await reader.readexactly(size)
                await reader.readexactly(2)
                for event in re.findall(rb"event: version\ndata: (\d+)\n\n", buffer):
                    version = int(event)
                    if not self.ready:
                        self.ready = True
                    elif version > self.version:
                        self.rang_at = time.time()
                        await self._fetch_until(version)
                buffer = buffer[buffer.rfind(b"\n\n") + 2 :] if b"\n\n" in buffer else buffer
        finally:
            writer.close()

    async def follow_poll(self):
        conn = Connection(self.port)
        try:
            await asyncio.sleep(random.uniform(0, POLL_SECONDS))
            while self.reached_at is None:
                status, _h, body = await conn.request(
                    "GET", f"/live/{self.live_key}/version/?v={self.version}"
                )
                self.ready = True
                if status == 200:
                    await self._fetch_until(int(body))
                    return
                await asyncio.sleep(POLL_SECONDS)
        finally:
            await conn.close()

    async def follow_room(self, room):
        """The mixed workshop: on every ring, the shared fragment of that version, timed."""
        reader, writer = await asyncio.open_connection(HOST, self.port)
        try:
            writer.write(
                (
                    f"GET /live/{self.live_key}/events/ HTTP/1.1\r\nHost: {HOST}\r\n"
                    "Accept: text/event-stream\r\n\r\n"
                ).encode()
            )
            await writer.drain()
            await reader.readuntil(b"\r\n\r\n")
            async for newest in _versions(reader):
                if not self.ready:
                    self.ready, self.version = True, newest
                    continue
                if newest <= self.version:
                    continue
                if self.conn is None:
                    self.conn = Connection(self.port)
                started = time.perf_counter()
                try:
                    status, _h, body = await self.conn.request(
                        "GET", f"{self.shared_path}?v={newest}"
                    )
                except (OSError, asyncio.IncompleteReadError):
                    room.unanswered += 1
                    await self.close()
                    continue
                if room.over:
                    continue
                room.count(status)
                if status == 200:
                    room.fetches.append(time.perf_counter() - started)
                    self.version = int(re.search(rb'data-version="(\d+)"', body).group(1))
        finally:
            writer.close()

    async def take_part(self, room):
        """Post a note on a notes item, place this phone's dots on a vote, each at a moment of
        its own; say it is still there every 30 s, as workshops.js does."""
        conn = Connection(self.port)
        headers = {
            "Cookie": f"{self.cookie}; csrftoken={self.csrf}",
            "X-CSRFToken": self.csrf,
        }
        base = self.fragment_path
        beat = time.monotonic() + random.uniform(0, 30)
        try:
            while True:
                item = room.item
                await asyncio.sleep(random.uniform(1, MIXED_NEXT_SECONDS - 1))
                if item != room.item or room.over:
                    continue
                if time.monotonic() > beat:
                    status, _h, _b = await conn.request("POST", base + "hier/", headers)
                    room.count(status)
                    beat += 30
                if item % 2 == 0:
                    body = f"text=Bijdrage+{random.randrange(10**6)}&item={self.items[item]}"
                    status, _h, _b = await conn.request(
                        "POST", base + "bijdrage/", {**headers, "X-Live-Queue": "1"}, body.encode()
                    )
                    room.notes += status == 200
                    room.count(status)
                else:
                    for option in random.choices(self.options[item], k=3):
                        status, _h, _b = await conn.request(
                            "POST",
                            base + "stip/",
                            {**headers, "HX-Request": "true"},
                            f"option={option}".encode(),
                        )
                        room.dots += status == 200
                        room.count(status)
                        await asyncio.sleep(random.uniform(0.3, 1.5))
        finally:
            await conn.close()

    async def close(self):
        if self.conn is not None:
            await self.conn.close()
            self.conn = None


# --- the mixed workshop ---------------------------------------------------------------------------


async def _measure_mixed(port: int, data: dict, env: dict, pid: int) -> list[dict]:
    phones = [Phone(port, phone, data) for phone in data["phones"]]
    await _gather_limited([p.sign_in() for p in phones], 20)
    await _gather_limited([p.fetch_fragment() for p in phones], 20)
    room = Room(phones)
    followers = [asyncio.create_task(p.follow_room(room)) for p in phones]
    await _wait_until(lambda: all(p.ready for p in phones), 30)
    screens = [
        asyncio.create_task(_follow_screen(port, room, data["facilitator_cookie"], path))
        for path in (data["console_path"], data["projector_path"])
    ]
    cpu_before, wall_before = cpu_seconds(pid), time.monotonic()
    phones_cpu_before = time.process_time()
    acting = [asyncio.create_task(p.take_part(room)) for p in phones]
    moves = 0
    while time.monotonic() - wall_before < MIXED_SECONDS:
        await asyncio.sleep(MIXED_NEXT_SECONDS)
        if time.monotonic() - wall_before >= MIXED_SECONDS:
            break
        while True:  # a busy server tells the console to come back (503), as workshops.js does
            try:
                await _make_change(port, data, phones[0], "next")
                break
            except AssertionError:
                room.busy += 1
                await asyncio.sleep(2)
        moves += 1
        room.item += 1
    room.over = True
    cpu = cpu_seconds(pid) - cpu_before
    wall = time.monotonic() - wall_before
    phones_cpu = time.process_time() - phones_cpu_before
    for task in [*followers, *screens, *acting]:
        task.cancel()
    await asyncio.gather(*followers, *screens, *acting, return_exceptions=True)
    for phone in phones:
        await phone.close()
    fetches = sorted(room.fetches)
    return [
        {
            **_row(
                f"mixed workshop {wall:.0f} s: shared fragment fetch",
                len(phones),
                fetches,
                room.unanswered,
                cpu,
            ),
            "retry_503": room.busy,
            "errors_5xx": room.errors,
            "phones_cpu_s": phones_cpu,
            "server_cores": cpu / wall,
            "fetches": len(fetches),
            "notes_dots_moves": f"{room.notes}/{room.dots}/{moves}",
        }
    ]


class Room:
    """What the mixed workshop's phones share: the agenda position and the tallies."""

    def __init__(self, phones):
        self.phones = phones
        self.item = 0  # index on the bench's mixed agenda: even notes, odd a dot vote
        self.over = False
        self.fetches: list[float] = []
        self.unanswered = self.busy = self.errors = self.notes = self.dots = 0

    def count(self, status: int) -> None:
        if status == 503:
            self.busy += 1
        elif status >= 500:
            self.errors += 1


async def _follow_screen(port, room, cookie, path):
    """The console or the projector: its live part again on every ring (workshops.js refresh)."""
    conn, version = Connection(port), 0
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(
            (
                f"GET /live/{room.phones[0].live_key}/events/ HTTP/1.1\r\nHost: {HOST}\r\n"
                "Accept: text/event-stream\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        await reader.readuntil(b"\r\n\r\n")
        async for newest in _versions(reader):
            if newest > version:
                version = newest
                status, _h, _b = await conn.request(
                    "GET", path, {"Cookie": cookie, "HX-Request": "true"}
                )
                room.count(status)
    finally:
        writer.close()
        await conn.close()


async def _versions(reader):
    """The versions an SSE stream announces, the newest of what has arrived at a time."""
    buffer = b""
    while True:
        size = int((await reader.readline()).strip() or b"0", 16)
        if size == 0:
            return
        buffer += await reader.readexactly(size)
        await reader.readexactly(2)
        found = re.findall(rb"event: version\ndata: (\d+)\n\n", buffer)
        buffer = buffer[buffer.rfind(b"\n\n") + 2 :] if b"\n\n" in buffer else buffer
        if found:
            yield max(int(v) for v in found)


class Connection:
    """A minimal HTTP/1.1 keep-alive client for loopback (Content-Length bodies)."""

    def __init__(self, port):
        self.port = port
        self.reader = self.writer = None

    async def request(self, method, path, headers=None, body=b""):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body:
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        parsed = {}
        for line in header_lines:
            if ":" in line:
                key, value = line.split(":", 1)
                key = key.strip().lower()
                parsed[key] = (parsed[key] + ", " if key in parsed else "") + value.strip()
        if parsed.get("transfer-encoding") == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                if size == 0:
                    await self.reader.readline()
                    break
                body += await self.reader.readexactly(size)
                await self.reader.readexactly(2)
        else:
            body = await self.reader.readexactly(int(parsed.get("content-length", "0")))
        return status, parsed, body

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def _gather_limited(coroutines, limit):
    semaphore = asyncio.Semaphore(limit)

    async def one(coroutine):
        async with semaphore:
            return await coroutine

    return await asyncio.gather(*(one(c) for c in coroutines))


async def _wait_until(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)


# --- the server: the project plus one bare view, for the floor ------------------------------------

urlpatterns: list = []


def server_app():
    """uvicorn factory: the project's ASGI application, with /bench/bare/ added to its URLs."""
    global urlpatterns
    import django
    from django.conf import settings

    django.setup()
    from django.http import HttpResponse
    from django.urls import path

    from coconnect.urls import urlpatterns as project

    def bare(request):
        return HttpResponse("ok", content_type="text/plain")

    urlpatterns = [path("bench/bare/", bare), *project]
    settings.ROOT_URLCONF = "bench.bench_live"
    from coconnect.asgi import application

    return application


# --- inside the child processes -------------------------------------------------------------------


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coconnect.settings")
    import django

    django.setup()


def _build(count: int, mixed: bool = False) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from datetime import timedelta

    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from trajectories.models import Membership, Participant, Partner, Trajectory
    from trajectories.services import invite_issue
    from workshops import services
    from workshops.models import AgendaItem, Workshop

    trajectory = Trajectory.objects.create(name="Bench", task="Samen sneller.")
    user = get_user_model().objects.create_user("bench-facilitator", password="bench-" + "x" * 20)
    Membership.objects.create(trajectory=trajectory, user=user, role=Membership.Role.FACILITATOR)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    partners = [
        Partner.objects.create(trajectory=trajectory, name=f"Partner {n}", kind="other")
        for n in range(10)
    ]
    from workshops.live_render import shared_token

    people = []
    for n in range(count):
        person = Participant.objects.create(
            partner=partners[n % 10], name=f"Deelnemer {n}", level="professional"
        )
        people.append((person, *invite_issue(participant=person)))
    workshop = Workshop.objects.create(
        trajectory=trajectory,
        title="Bench",
        starts_at=timezone.now() + timedelta(hours=1),
        place="Zaal",
    )
    first = services.agenda_item_add(
        workshop=workshop, kind=AgendaItem.Kind.CHECK_IN, title="Check-in"
    )
    services.agenda_item_add(workshop=workshop, kind=AgendaItem.Kind.CHECK_OUT, title="Check-out")
    vote = services.agenda_item_add(
        workshop=workshop, kind=AgendaItem.Kind.DOT_VOTING, title="Stemmen"
    )
    options = [services.option_add(item=vote, label=label) for label in ("Wonen", "Zorg", "Werk")]
    # A partner-specific item: each partner sees its own interests besides the shared ones.
    from interests import services as interest_services
    from interests.models import Interest

    round_ = interest_services.round_open(
        round=interest_services.round_create(trajectory=trajectory, title="Ronde", by=user),
        by=user,
    )
    for n, (person, _link, _token) in enumerate(people[:30]):
        interest_services.interest_save(
            round=round_,
            partner=person.partner,
            by=person,
            data={
                "statement": f"Belang {n} van {person.partner.name}",
                "weight": "important",
                "tier": Interest.Tier.NAMED if n % 2 else Interest.Tier.FACILITATOR,
            },
            submit=True,
        )
    services.agenda_item_add(
        workshop=workshop,
        kind=AgendaItem.Kind.INTERESTS_ROUND,
        title="Belangen",
        interest_round=round_,
    )
    mixed_items, mixed_options = [], {}
    if mixed:
        # The mixed workshop's agenda, after the bench's own items: notes and dot votes in turn.
        for n in range(8):
            kind = AgendaItem.Kind.DOT_VOTING if n % 2 else AgendaItem.Kind.CHECK_IN
            item = services.agenda_item_add(workshop=workshop, kind=kind, title=f"Ronde {n}")
            mixed_items.append(item.pk)
            if n % 2:
                mixed_options[n] = [
                    services.option_add(item=item, label=f"Optie {n}.{m}").pk for m in range(4)
                ]
    services.workshop_start(workshop=workshop)
    if mixed:
        services.workshop_go(workshop=workshop, item=AgendaItem.objects.get(pk=mixed_items[0]))
    workshop.refresh_from_db()

    def shared_path(partner_id, invite_id):
        variant = f"partner-{partner_id}"
        token = shared_token(workshop.live_key, variant, invite_id)
        return f"/live/{workshop.live_key}/s/{variant}/{invite_id}/{token}/nl/"

    return {
        "workshop": workshop.pk,
        "first_item": first.pk,
        "option": options[0].pk,
        "live_key": workshop.live_key,
        "phones": [
            {"token": token, "shared_path": shared_path(p.partner_id, link.pk)}
            for p, link, token in people
        ],
        "fragment_path": f"/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/live/",
        "console_path": f"/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/regie/",
        "projector_path": f"/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/scherm/",
        "mixed_items": mixed_items,
        "mixed_options": mixed_options,
        "facilitator_cookie": f"sessionid={session.session_key}",
    }


if __name__ == "__main__":
    _setup()
    command, *rest = sys.argv[1:]
    if command == "build":
        result = _build(int(rest[0]), mixed=rest[1:] == ["mixed"])
    else:
        from workshops.models import Workshop

        result = {"version": Workshop.objects.get(pk=int(rest[0])).version}
    print(json.dumps(result))

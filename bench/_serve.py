"""What the benches share: child processes, a throwaway database and a server on a free port.

A bench measures in a fresh process (`child`); the served benches prepare the project in its
production settings with its own database and folder (`production_site`) and run a server on it
(`running_server`). Not a benchmark module itself: the leading underscore keeps it out of
`python -m bench`.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def child(module: str, args: list[str], env: dict):
    """Run `python -m bench.<module> <args>` and return the JSON of its last line of output."""
    completed = subprocess.run(
        [sys.executable, "-m", f"bench.{module}", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if completed.returncode:
        raise RuntimeError(f"bench.{module} {' '.join(args)} failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def throwaway_database(folder: str, *, prefix: str) -> Iterator[str]:
    """The URL of a throwaway PostgreSQL database when the local server answers, else of a
    SQLite file in `folder`; the PostgreSQL database is dropped afterwards.

    PostgreSQL first: each request runs in its own thread under ASGI, so SQLite's single writer
    would show up as "database is locked" under hundreds of simultaneous sign-ins.
    """
    server = os.getenv("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"{prefix}_{os.getpid()}"
    try:
        # Imported here: psycopg is optional, its absence means "no PostgreSQL here".
        import psycopg

        admin = psycopg.connect(server, autocommit=True, connect_timeout=2)
    except Exception:  # noqa: BLE001 - no PostgreSQL here
        yield f"sqlite:///{folder}/bench.sqlite3"
        return
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield server.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Site:
    folder: str  # throwaway: media (and collected static files) live here
    port: int
    env: dict  # for the server and for the bench's child processes


@contextlib.contextmanager
def production_site(name: str, *, collect_static: bool = False, **extra: str) -> Iterator[Site]:
    """The project in its production settings (DEBUG off) with a throwaway folder and database,
    to be served on a free port. `collect_static`: the static files go to the throwaway folder
    (the bench collects them, with their manifest, as production does). `extra`: more settings."""
    with (
        tempfile.TemporaryDirectory(prefix=f"{name}-") as folder,
        throwaway_database(folder, prefix=name.replace("-", "_")) as database_url,
    ):
        port = free_port()
        if collect_static:
            extra = {"STATIC_ROOT": f"{folder}/static", **extra}
        env = _production_env(
            name=name, folder=folder, port=port, database_url=database_url, **extra
        )
        yield Site(folder=folder, port=port, env=env)


@contextlib.contextmanager
def running_server(command: list[str], site: Site) -> Iterator[subprocess.Popen]:
    """`python -m <command>` serving `site` until the block ends; its access log is dropped."""
    server = subprocess.Popen(
        [sys.executable, "-m", *command], cwd=ROOT, env=site.env, stdout=subprocess.DEVNULL
    )
    try:
        wait_for_port(site.port)
        yield server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _production_env(*, name: str, folder: str, port: int, database_url: str, **extra: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coconnect.settings",
        "DEBUG": "",
        "SECRET_KEY": f"{name}-" + "x" * 40,
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"http://{HOST}:{port}",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": f"{folder}/media",
        "LOG_LEVEL": "WARNING",
        # Under ASGI every request has its own thread; persistent connections would pile up.
        # The production shape (docker-compose) shares a pool of connections per process.
        "DB_CONN_MAX_AGE": "0",
        "DB_POOL_MAX_SIZE": os.getenv("DB_POOL_MAX_SIZE", "10"),
        **extra,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"the bench server did not come up on port {port}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` and its direct children (a gunicorn master and its
    workers): steadier than wall-clock on a shared machine."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")

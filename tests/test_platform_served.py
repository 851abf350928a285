"""The web container's command, run for real: the app it serves and what ends up in its logs.

The steps of docker-compose's web command (migrate, collectstatic, gunicorn with
coconnect/gunicorn_conf.py) run against a fresh SQLite file without DEBUG, on a free port.
"""

import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import yaml
from django.conf import settings

ROOT = settings.BASE_DIR
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE_CMD = next(
    line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD ")
)

INVITE_TOKEN = "SecretInviteTokenAbcdefghijklmnopqrstuvwxyz012"
LIVE_KEY = "SecretLiveKey123456"
SIGNATURE = "0123456789abcdef0123456789abcdef"


def _web_steps() -> list[list[str]]:
    """The web service's command as separate argv lists (sh -c "a && b && exec c")."""
    shell, flag, script = COMPOSE["services"]["web"]["command"]
    assert (shell, flag) == ("sh", "-c")
    steps = [shlex.split(step) for step in script.split("&&")]
    return [step[1:] if step[0] == "exec" else step for step in steps]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Base URL of the running server and a function that stops it and returns its output."""
    tmp = tmp_path_factory.mktemp("served")
    port = _free_port()
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DJANGO_SETTINGS_MODULE="coconnect.settings",
        DEBUG="0",
        SECRET_KEY="served-test-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        ALLOWED_HOSTS="127.0.0.1",
        WEB_WORKERS="1",
        PYTHONUNBUFFERED="1",
    )
    bin_dir = os.path.dirname(sys.executable)
    env["PATH"] = f"{bin_dir}:{env.get('PATH', '')}"
    *setup, server = _web_steps()
    for step in setup:
        subprocess.run(step, cwd=ROOT, env=env, check=True, capture_output=True, timeout=180)
    output = (tmp / "out.log").open("w+")
    process = subprocess.Popen(
        [*server, "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if _get(f"{base}/healthz/")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("the web command did not come up:\n" + (tmp / "out.log").read_text())

    def stop() -> str:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)
        output.flush()
        return (tmp / "out.log").read_text()

    yield base, stop
    stop()


def test_the_dockerfile_serves_as_the_compose_web_command_does():
    *_setup, server = _web_steps()
    assert yaml.safe_load(DOCKERFILE_CMD.removeprefix("CMD ")) == server


def test_the_web_command_serves_the_app_in_dutch_without_debug(served):
    base, _stop = served
    assert _get(f"{base}/healthz/") == (200, "ok")
    status, page = _get(f"{base}/nergens/")
    assert status == 404
    assert "Pagina niet gevonden" in page
    assert "Django" not in page
    assert _get(f"{base}/favicon.ico")[0] == 200  # redirected to the collected favicon.svg


def test_the_web_health_check_passes(served):
    base, _stop = served
    command = COMPOSE["services"]["web"]["healthcheck"]["test"]
    assert command[0] == "CMD"
    port = base.rsplit(":", 1)[1]
    argv = [part.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for part in command[1:]]
    assert subprocess.run(argv, capture_output=True, timeout=30).returncode == 0


def test_invite_tokens_and_live_keys_stay_out_of_the_logs(served):
    base, stop = served
    assert _get(f"{base}/i/{INVITE_TOKEN}/")[0] == 404
    _get(f"{base}/live/{LIVE_KEY}/version/?v=1")
    _get(f"{base}/live/{LIVE_KEY}/s/partner-1/7/{SIGNATURE}/nl/")
    _get(f"{base}/nergens/")
    log = stop()
    assert "/i/***/" in log and "/live/***/" in log, log  # the requests were logged …
    for secret in (INVITE_TOKEN, LIVE_KEY, SIGNATURE):
        assert secret not in log, log  # … without their secrets
    # A refusal is one line, not a traceback.
    assert "Not Found: /nergens/" in log
    assert "Traceback" not in log, log

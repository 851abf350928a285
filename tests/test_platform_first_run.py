"""`make run` on a fresh machine: a stable local secret, and a demo link that keeps working."""

import io
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.test_platform_make import _dry_run, _index
from trajectories.models import InviteLink

ROOT = settings.BASE_DIR
pytestmark = pytest.mark.django_db


def _demo_link() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return re.search(r"Open as participant .*?: (\S+)", out.getvalue()).group(1)


@pytest.fixture
def token_file(settings, tmp_path):
    settings.DEMO_INVITE_TOKEN_FILE = tmp_path / "var" / "demo_invite_token"
    return settings.DEMO_INVITE_TOKEN_FILE


def test_loading_the_demo_again_prints_the_same_working_link(client, token_file):
    first = _demo_link()
    second = _demo_link()
    assert second == first
    assert client.get(first.removeprefix(settings.SITE_URL)).status_code == 302
    assert oct(token_file.stat().st_mode & 0o777) == "0o600"


def test_a_demo_link_that_stopped_working_is_replaced(client, token_file):
    first = _demo_link()
    InviteLink.objects.revoke()
    second = _demo_link()
    assert second != first
    assert client.get(second.removeprefix(settings.SITE_URL)).status_code == 302


def test_the_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("k" * 50 + "\n")
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", "import coconnect.settings as s; print(s.DEBUG, s.SECRET_KEY)"],
        cwd=ROOT,
        env={**env, "DEBUG": "0", "SECRET_KEY_FILE": str(key_file)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["False", "k" * 50], result.stderr


def test_make_run_serves_as_the_product_does():
    lines = _dry_run("run", HOST="127.0.0.1", PORT="8123")
    serve = _index(lines, "uvicorn coconnect.asgi:application")
    assert "DEBUG=0" in lines[serve] and "--port 8123" in lines[serve]
    assert "SECRET_KEY_FILE=var/secret_key" in lines[serve]
    assert "ALLOWED_HOSTS='127.0.0.1," in lines[serve]
    assert _index(lines, "secrets.token_urlsafe") < _index(lines, "manage.py migrate")
    assert _index(lines, "manage.py collectstatic") < serve
    assert not [line for line in lines if "DEBUG=1" in line]

"""Every model change has its migration, checked the way any machine would: no secret, no DEBUG."""

import os
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR


def _manage(*args):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_no_model_change_lacks_a_migration():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_commands_that_use_the_secret_still_refuse_without_it():
    result = _manage("migrate", "--plan")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr

"""What `make test` and `make run` actually do, read from make's own dry run."""

import subprocess

from django.conf import settings

ROOT = settings.BASE_DIR


def _dry_run(target: str, **env) -> list[str]:
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", target, *(f"{k}={v}" for k, v in env.items())],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def _index(lines: list[str], fragment: str) -> int:
    return next(i for i, line in enumerate(lines) if fragment in line)


def test_make_test_lints_formats_and_checks_migrations_before_the_suite():
    lines = _dry_run("test")
    suite = _index(lines, "-m pytest")
    assert _index(lines, "ruff check .") < suite
    assert _index(lines, "ruff format --check .") < suite
    assert _index(lines, "makemigrations --check --dry-run") < suite


def test_every_documented_target_can_run():
    for target in ("run", "test", "worker", "bench", "messages", "migrate", "demo", "static"):
        assert _dry_run(target), target

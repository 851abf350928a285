"""The settings, the CI service check, the Makefile and the container files point at real things."""

import importlib
import os
import re
import shlex
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import yaml
from django.conf import settings
from django.utils import timezone

from tests.services_check import missing_services

ROOT = settings.BASE_DIR
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


# --- settings ----------------------------------------------------------------------------------


def _import_settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import coconnect.settings as s; print(s.DEBUG, bool(s.SECRET_KEY))",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = _import_settings(DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_settings_load_with_a_secret_key_or_in_debug():
    assert _import_settings(DEBUG="0", SECRET_KEY="x" * 50).stdout.strip() == "False True"
    assert _import_settings(DEBUG="1").stdout.strip() == "True True"


def _run_with_settings(code: str, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DATABASE_URL", "DB_POOL_MAX_SIZE", "DB_CONN_MAX_AGE", "DJANGO_SETTINGS_MODULE"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_connections_are_not_kept_under_asgi_by_default():
    result = _run_with_settings(
        "import coconnect.settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], 'pool' in d.get('OPTIONS', {}))",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/coconnect",
    )
    assert result.stdout.split() == ["0", "False"], result.stderr


def test_a_postgresql_pool_is_configured_and_serves_queries(postgres):
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'coconnect.settings'; "
        "django.setup(); "
        "from django.db import connection; d = connection.settings_dict; "
        "cursor = connection.cursor(); cursor.execute('select 41 + 1'); "
        "print(d['OPTIONS']['pool']['max_size'], d['CONN_MAX_AGE'], cursor.fetchone()[0], "
        "type(connection.pool).__name__)"
    )
    result = _run_with_settings(
        code, DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres", DB_POOL_MAX_SIZE="4"
    )
    assert result.stdout.split() == ["4", "0", "42", "ConnectionPool"], result.stderr


def test_empty_numeric_variables_fall_back_to_their_defaults():
    """docker-compose passes `${VAR:-}` as an empty string; that must mean "the default"."""
    result = _run_with_settings(
        "import coconnect.settings as s; "
        "print(s.EMAIL_PORT, s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], "
        "s.INVITE_LINK_DAYS)",
        EMAIL_PORT="",
        CELERY_VISIBILITY_TIMEOUT="",
        INVITE_LINK_DAYS=" ",
    )
    assert result.stdout.split() == ["25", "600", "60"], result.stderr


def test_sqlite_ignores_the_pool_setting():
    result = _run_with_settings(
        "import coconnect.settings as s; print('pool' in s.DATABASES['default'].get('OPTIONS', "
        "{}))",
        DB_POOL_MAX_SIZE="4",
    )
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.django_db
def test_a_visitor_without_a_language_preference_gets_dutch_in_amsterdam_time(client):
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="nl">' in page
    assert timezone.localtime(datetime(2026, 7, 1, 10, tzinfo=UTC)).hour == 12  # CEST


# --- the CI service check ----------------------------------------------------------------------


def test_ci_check_names_every_missing_service():
    problems = missing_services(
        database_engine="django.db.backends.sqlite3",
        redis_url="",
        chromium_path="/nowhere/chromium",
        redis_ping=lambda url: True,
        which=lambda path: None,
    )
    assert len(problems) == 3
    assert "PostgreSQL" in problems[0]
    assert "Redis" in problems[1]
    assert "Chromium" in problems[2] and "apt-get install chromium" in problems[2]


def test_ci_check_refuses_an_unreachable_redis():
    problems = missing_services(
        database_engine="django.db.backends.postgresql",
        redis_url="redis://127.0.0.1:1/0",
        chromium_path="/usr/bin/chromium",
        redis_ping=lambda url: False,
        which=lambda path: path,
    )
    assert problems == ["Redis is not reachable at REDIS_URL='redis://127.0.0.1:1/0'"]


def test_ci_check_is_quiet_when_everything_is_there():
    assert (
        missing_services(
            database_engine="django.db.backends.postgresql",
            redis_url="redis://127.0.0.1:6379/0",
            chromium_path="/usr/bin/chromium",
            redis_ping=lambda url: True,
            which=lambda path: path,
        )
        == []
    )


def test_ci_entry_point_runs_make_test_in_ci_mode(tmp_path):
    fake_make = tmp_path / "make"
    fake_make.write_text('#!/bin/sh\necho "make $* CI=$CI"\n')
    fake_make.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    env.pop("CI", None)
    result = subprocess.run(
        [ROOT / ".ci" / "run"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "make test CI=true"


# --- docker-compose.yml and Dockerfile ---------------------------------------------------------


def _command(service) -> list[str]:
    command = COMPOSE["services"][service]["command"]
    if isinstance(command, str):
        command = shlex.split(command)
    if command[:2] == ["sh", "-c"]:
        return [part for step in command[2].split("&&") for part in [shlex.split(step.strip())]]
    return [command]


def test_compose_has_web_worker_database_and_redis_with_health_checks():
    services = COMPOSE["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_compose_volumes_are_declared():
    declared = set(COMPOSE.get("volumes") or {})
    for name, service in COMPOSE["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} uses undeclared volume {source}"


def test_worker_command_points_at_the_celery_app():
    (command,) = _command("worker")
    assert command[:2] == ["celery", "-A"]
    package = importlib.import_module(command[2])
    from celery import Celery

    assert isinstance(package.celery_app, Celery)
    assert command[3] == "worker"


def test_compose_runs_one_beat_whose_jobs_the_worker_knows():
    (command,) = _command("beat")
    assert command[:4] == ["celery", "-A", "coconnect", "beat"]
    from coconnect import celery_app

    celery_app.loader.import_default_modules()
    schedule = celery_app.conf.beat_schedule
    assert "apply-retention" in schedule
    for name, entry in schedule.items():
        assert entry["task"] in celery_app.tasks, f"{name}: no task {entry['task']}"


def test_compose_environment_names_are_read_by_the_settings():
    source = (ROOT / "coconnect" / "settings.py").read_text()
    source += (ROOT / "coconnect" / "gunicorn_conf.py").read_text()
    read = set(re.findall(r"(?:getenv|env_bool|env_int|env_list)\(\s*[\"']([A-Z_]+)[\"']", source))
    for service in ("web", "worker"):
        environment = COMPOSE["services"][service]["environment"]
        module = environment["DJANGO_SETTINGS_MODULE"]
        assert importlib.util.find_spec(module) is not None
        unknown = set(environment) - read - {"DJANGO_SETTINGS_MODULE"}
        assert not unknown, f"{service} sets variables the settings never read: {unknown}"


@pytest.mark.django_db
def test_health_endpoint_answers_ok(client):
    response = client.get("/healthz/")
    assert response.status_code == 200 and response.content == b"ok"


def test_dockerignore_keeps_secrets_and_the_virtualenv_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".git" in ignored

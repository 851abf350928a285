import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import sync_playwright

from coconnect.cache import outage as redis_outage
from tests import factories
from tests.mailserver import smtp_server  # noqa: F401 (a fixture for every test folder)
from tests.services_check import missing_services, redis_reachable

IN_CI = os.getenv("CI", "").lower() == "true"
CHROMIUM = os.getenv("CHROMIUM_PATH", "/usr/bin/chromium")


def pytest_sessionstart(session):
    """In CI every real part must be there: fail loudly instead of skipping."""
    if not IN_CI:
        return
    problems = missing_services(
        database_engine=settings.DATABASES["default"]["ENGINE"],
        redis_url=settings.REDIS_URL,
        chromium_path=CHROMIUM,
    )
    if problems:
        pytest.exit("CI needs its real services: " + "; ".join(problems), returncode=3)


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    # Several test runs may share one PostgreSQL server: give each its own test database.
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.postgresql":
        base = db.get("TEST", {}).get("NAME") or f"test_{db['NAME']}"
        db.setdefault("TEST", {})["NAME"] = f"{base}_{os.getpid()}"


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Every test gets its own cache, media folder and in-process task execution."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-{os.getpid()}-{id(tmp_path)}",
            # Also the prefix of the live keys in Redis: this run's own (see test_settings).
            "KEY_PREFIX": settings.TEST_KEY_PREFIX,
        }
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()
    redis_outage.forget()  # a test that took Redis away leaves no cool-down to the next


@pytest.fixture
def redis_url():
    url = os.getenv("REDIS_URL") or "redis://127.0.0.1:6379/0"
    if not redis_reachable(url):
        if IN_CI:
            pytest.fail(f"Redis is required in CI but not reachable at {url}")
        pytest.skip(f"Redis not reachable at {url}")
    return url


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        if IN_CI:
            pytest.fail("PostgreSQL is required in CI (set DATABASE_URL)")
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")


# --- people and places (built by tests/factories.py) -------------------------------------------


@pytest.fixture
def facilitator(db):
    return factories.make_user("facilitator", may_create_trajectories=True)


@pytest.fixture
def manager(db):
    return factories.make_user("manager")


@pytest.fixture
def trajectory(facilitator, manager):
    return factories.make_trajectory(
        factories.DEMO_TRAJECTORY_NAME, facilitator=facilitator, manager=manager
    )


@pytest.fixture
def partner(trajectory):
    return factories.make_partner(trajectory, "Gemeente Rivierstad")


@pytest.fixture
def participant(partner):
    return factories.make_participant(partner, "Anouk de Vries")


@pytest.fixture
def other_trajectory(db):
    """A second trajectory with its own facilitator, manager, partner and participant."""
    return factories.make_other_trajectory()


@pytest.fixture
def facilitator_client(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def participant_client(client, participant):
    return factories.login_participant(client, participant)


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    if not shutil.which(CHROMIUM):
        if IN_CI:
            pytest.fail(f"Chromium is required in CI but missing at {CHROMIUM}")
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium):
    """Open pages in fresh browser contexts (separate cookies, like separate people)."""
    contexts = []

    def open_page(*, phone=False, locale="nl-NL"):
        options = {"locale": locale}
        if phone:
            options.update(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        else:
            options.update(viewport={"width": 1280, "height": 900})
        context = chromium.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


ARTIFACTS = settings.BASE_DIR / "tests" / "artifacts"


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under tests/artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take

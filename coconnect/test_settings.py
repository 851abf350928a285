"""Settings for the test suite: the production settings plus a throwaway key and fast hashing."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from .settings import *  # noqa: E402,F403

# load_demo's kept link: out of the working tree (tests roll its invite back anyway).
DEMO_INVITE_TOKEN_FILE = Path(tempfile.gettempdir()) / f"coconnect-test-demo-token-{os.getpid()}"
# Each run keeps its cache entries and live keys apart in a Redis shared with other runs (the
# previous one's passes and fragments outlive it by minutes; invite and workshop ids repeat).
# Processes a test starts (a Celery worker, a second server) inherit the run's id.
TEST_RUN = os.environ.setdefault("COCONNECT_TEST_RUN", os.urandom(4).hex())
TEST_KEY_PREFIX = f"coconnect-test-{TEST_RUN}"
CACHES["default"]["KEY_PREFIX"] = TEST_KEY_PREFIX  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True  # static files straight from static/, as in development

# Tasks run in this process, inline when the transaction commits: a test never enqueues into a
# broker nobody consumes (in CI REDIS_URL is set). Tests that start a real worker send to it
# explicitly (tests/reports/test_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
BACKGROUND_TASKS_IN_THREAD = False

# The worker fault test lets Redis hand a dead worker's unacknowledged task to another worker
# after a few seconds instead of the production setting (ten minutes).
if os.getenv("CELERY_VISIBILITY_TIMEOUT"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ["CELERY_VISIBILITY_TIMEOUT"]),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }

# A test process is no web process: scheduled jobs run only where a test calls them.
RUN_DUE_JOBS_IN_WEB = False
# Failed sign-ins answer at once in tests; tests/test_security.py checks the slow-down itself.
LOGIN_SLOWDOWN_SECONDS = 0

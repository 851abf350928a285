"""A real OpenID Connect provider on loopback for the sign-in tests.

panva/oidc-provider (OpenID Certified), the version pinned in tests/oidc/provider/package-lock.json,
installed once with `npm ci` into var/test-oidc/<hash of the lock file>/ and started by
`node tests/oidc/provider/server.mjs <port> <redirect_uri>` for the test session. In CI it must
run: a missing node/npm or a failed install fails the tests instead of skipping them.
"""

import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from coconnect import oidc

IN_CI = os.getenv("CI", "").lower() == "true"
PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
CACHE = settings.BASE_DIR / "var" / "test-oidc"

CLIENT_ID = "coconnect"
CLIENT_SECRET = "coconnect-test-secret-only-for-loopback"  # as in server.mjs
PROVIDER_NAME = "Gemeente Rivierstad"
ALLOWED_DOMAIN = "rivierstad.nl"
# The provider's accounts (server.mjs): login name -> e-mail address it reports.
ANNA = ("anna", "Anna.de.Vries@Rivierstad.nl")  # verified, differs in case from her account
BRAM = ("bram", "bram.nieuw@rivierstad.nl")  # verified, no account yet, allowed domain
CARLA = ("carla", "carla@elders.example")  # verified, another domain
DIRK = ("dirk", "dirk@rivierstad.nl")  # email_verified false


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"the OpenID Connect provider is required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def oidc_provider_modules():
    """The node_modules folder holding the pinned oidc-provider, installed on first use."""
    if not shutil.which("node") or not shutil.which("npm"):
        _unavailable("node and npm are needed to run the OpenID Connect provider")
    lock = (PROVIDER_DIR / "package-lock.json").read_bytes()
    folder = CACHE / hashlib.sha256(lock).hexdigest()[:16]
    if not (folder / "node_modules" / "oidc-provider" / "package.json").exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        # Installed beside and then renamed, so a run that breaks off leaves no half install.
        work = Path(tempfile.mkdtemp(dir=CACHE, prefix="installing-"))
        for name in ("package.json", "package-lock.json"):
            shutil.copy(PROVIDER_DIR / name, work / name)
        result = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            shutil.rmtree(work, ignore_errors=True)
            _unavailable(f"npm ci failed: {result.stderr[-2000:]}")
        try:
            work.rename(folder)
        except OSError:  # another run installed it meanwhile
            shutil.rmtree(work, ignore_errors=True)
    return folder / "node_modules"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider(live_server, oidc_provider_modules):
    """The running provider's issuer URL; its one client sends people back to the live server."""
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    redirect_uri = f"{live_server.url}/oidc/callback/"
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        ["node", str(PROVIDER_DIR / "server.mjs"), str(port), redirect_uri],
        env={**os.environ, "OIDC_PROVIDER_MODULES": str(oidc_provider_modules)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                document = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2)
                if document.ok and document.json()["issuer"] == issuer:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                _unavailable(f"the provider did not start: {log.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield issuer
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def oidc_settings(settings, oidc_provider):
    """Sign-in through the loopback provider switched on, as the environment would."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = oidc_provider
    settings.OIDC_ALLOWED_EMAIL_DOMAINS = [ALLOWED_DOMAIN]
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "coconnect.oidc.OIDCBackend",
    ]
    oidc._discovered.clear()
    yield settings
    oidc._discovered.clear()

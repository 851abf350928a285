"""The security baseline a municipality checks (BIO): headers on every response, the live
endpoints included; nothing confidential cached; sign-ins and reset mails throttled without
telling whether an account exists; `check --deploy` clean for an https site."""

import asyncio
import logging
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client

from interests import services as interest_services
from tests import factories
from tests.workshops.conftest import make_workshop

pytestmark = pytest.mark.django_db

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def assert_strict_policy(policy: str):
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


# --- headers ----------------------------------------------------------------------------------


def test_pages_of_every_kind_of_visitor_carry_the_strict_policy(
    facilitator_client, facilitator, trajectory, participant
):
    round_ = interest_services.round_create(trajectory=trajectory, title="Ronde", by=facilitator)
    for response in (
        Client().get("/accounts/login/"),
        facilitator_client.get(f"/t/{trajectory.pk}/"),
        facilitator_client.get(f"/t/{trajectory.pk}/belangen/rondes/{round_.pk}/export.csv"),
        factories.login_participant(Client(), participant).get(f"/t/{trajectory.pk}/welkom/"),
    ):
        assert response.status_code == 200
        assert_strict_policy(response["Content-Security-Policy"])
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_confidential_pages_fragments_and_exports_are_never_stored(
    facilitator_client, facilitator, trajectory
):
    round_ = interest_services.round_create(trajectory=trajectory, title="Ronde", by=facilitator)
    for path in (
        f"/t/{trajectory.pk}/",
        f"/t/{trajectory.pk}/belangen/",
        f"/t/{trajectory.pk}/belangen/rondes/{round_.pk}/",
        f"/t/{trajectory.pk}/belangen/rondes/{round_.pk}/export.csv",
        f"/t/{trajectory.pk}/belangen/rondes/{round_.pk}/export.xlsx",
    ):
        response = facilitator_client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path


def test_a_view_that_chose_its_own_caching_keeps_it(facilitator_client, trajectory):
    workshop = make_workshop(trajectory)
    response = facilitator_client.get(f"/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/qr.svg")
    assert response["Cache-Control"] == "private, max-age=3600"


def _in_a_thread(coroutine):
    """Run a coroutine on a loop of its own: the browser tests keep one running in this thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _through_asgi(app, path: str, host: bytes) -> tuple[int, dict]:
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "path": path,
        "query_string": b"v=0",
        "method": "GET",
        "headers": [(b"host", host)],
    }
    await app(scope, receive, send)
    start = sent[0]
    return start["status"], {name.decode(): value.decode() for name, value in start["headers"]}


@pytest.mark.django_db(transaction=True)
def test_live_endpoints_get_the_same_headers_and_host_check(trajectory, settings):
    from coconnect.security import secured
    from workshops.asgi import live_router

    settings.REDIS_URL = ""
    settings.ALLOWED_HOSTS = ["coconnect.example.nl"]
    workshop = make_workshop(trajectory)

    async def django_app(scope, receive, send):
        raise AssertionError("the version poll is answered in front of Django")

    app = secured(live_router(django_app))
    path = f"/live/{workshop.live_key}/version/"

    status, headers = _in_a_thread(_through_asgi(app, path, b"coconnect.example.nl"))
    assert status == 200
    assert_strict_policy(headers["content-security-policy"])
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"

    status, headers = _in_a_thread(_through_asgi(app, path, b"evil.example.com"))
    assert status == 400
    assert "content-security-policy" in headers


def test_headers_a_response_already_has_are_not_doubled(settings):
    from coconnect.security import secured

    settings.ALLOWED_HOSTS = ["testserver"]

    async def django_app(scope, receive, send):
        headers = [(b"x-frame-options", b"SAMEORIGIN")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    status, headers = _in_a_thread(_through_asgi(secured(django_app), "/", b"testserver"))
    assert headers["x-frame-options"] == "SAMEORIGIN"


# --- https -------------------------------------------------------------------------------------


def _deploy_check(site_url: str) -> subprocess.CompletedProcess:
    keep = {"PATH", "HOME", "LANG", "VIRTUAL_ENV", "COCONNECT_TEST_RUN"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        DEBUG="0",
        SECRET_KEY="k" * 30 + "Q9$z" * 10,
        SITE_URL=site_url,
        ALLOWED_HOSTS="coconnect.example.nl",
    )
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_for_an_https_site():
    result = _deploy_check("https://coconnect.example.nl")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_about_a_plain_http_site():
    result = _deploy_check("http://coconnect.example.nl")
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stdout + result.stderr


def test_https_site_sends_hsts_and_redirects_plain_http_except_the_health_check(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
    assert client.get("/accounts/login/").status_code == 301
    assert client.get("/healthz/").status_code == 200
    secure = client.get("/accounts/login/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"].startswith("max-age=31536000")


# --- sign-in protection ------------------------------------------------------------------------


def _sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_repeated_failures_pause_sign_in_for_the_account_with_a_dutch_message(
    client, facilitator, caplog
):
    for _ in range(4):
        assert _sign_in(client, facilitator.username, "wrong").status_code == 200
    # The fifth failure pauses signing in; the right password does not help meanwhile.
    assert _sign_in(client, facilitator.username, "wrong").status_code == 429
    with caplog.at_level(logging.WARNING, logger="coconnect.security"):
        refused = _sign_in(client, facilitator.username, factories.PASSWORD)
    assert refused.status_code == 429
    assert "Aanmelden is tijdelijk gepauzeerd" in refused.content.decode()
    assert "15 minuten" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert "sign-in refused" in caplog.text
    # From another address the account stays paused: the limit is per account too.
    assert _sign_in(
        client, facilitator.username, factories.PASSWORD, "198.51.100.9"
    ).status_code == (429)


def _page_without(response, username: str) -> str:
    """The page as the visitor reads it, without the name they typed and the form's CSRF token."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return html.replace(username, "NAME")


def test_an_unknown_account_gets_exactly_the_same_answers(client, facilitator):
    unknown = [_sign_in(client, "niemand", "wrong", "192.0.2.1") for _ in range(6)]
    known = [_sign_in(client, facilitator.username, "wrong", "192.0.2.2") for _ in range(6)]
    expected = [200] * 4 + [429, 429]
    assert [r.status_code for r in unknown] == [r.status_code for r in known] == expected
    for first, second in ((unknown[0], known[0]), (unknown[-1], known[-1])):
        assert _page_without(first, "niemand") == _page_without(second, facilitator.username)


def test_one_address_trying_many_accounts_is_paused(client, facilitator):
    for n in range(5):
        _sign_in(client, f"gok{n}", "wrong", "192.0.2.50")
    assert (
        _sign_in(client, facilitator.username, factories.PASSWORD, "192.0.2.50").status_code == 429
    )
    # Somebody else, elsewhere, signs in as usual.
    other = get_user_model().objects.create_user("collega", password=factories.PASSWORD)
    assert _sign_in(client, other.username, factories.PASSWORD, "192.0.2.60").status_code == 302


def test_each_failure_answers_later_than_the_one_before_until_the_pause(
    client, facilitator, settings, monkeypatch
):
    from coconnect import security

    settings.LOGIN_SLOWDOWN_SECONDS = 1
    waits = []
    monkeypatch.setattr(security.time, "sleep", waits.append)
    for _ in range(6):
        _sign_in(client, facilitator.username, "wrong")
    # 0, 1, 2, 3 seconds for the first four; the fifth pauses signing in and waits no more.
    assert waits == [0, 1, 2, 3]


def test_a_successful_sign_in_clears_the_earlier_failures(client, facilitator):
    for _ in range(4):
        _sign_in(client, facilitator.username, "wrong")
    assert _sign_in(client, facilitator.username, factories.PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _sign_in(client, facilitator.username, "wrong").status_code == 200
    assert _sign_in(client, facilitator.username, factories.PASSWORD).status_code == 302


# --- password reset mails ----------------------------------------------------------------------


def test_reset_mails_to_one_address_are_limited_and_the_answer_never_changes(client, facilitator):
    cache.clear()
    facilitator.email = "f.jansen@gemeente.example"
    facilitator.save()
    answers = [
        client.post(
            "/accounts/password_reset/", {"email": facilitator.email}, REMOTE_ADDR=f"10.0.0.{n}"
        )
        for n in range(5)
    ]
    assert len(mail.outbox) == 3
    assert {(r.status_code, r["Location"]) for r in answers} == {
        (302, "/accounts/password_reset/done/")
    }
    unknown = client.post("/accounts/password_reset/", {"email": "niemand@example.org"})
    assert (unknown.status_code, unknown["Location"]) == (302, "/accounts/password_reset/done/")


def test_reset_requests_from_one_client_are_limited(client, facilitator):
    cache.clear()
    for n in range(12):
        get_user_model().objects.create_user(
            f"user{n}", email=f"user{n}@example.org", password=factories.PASSWORD
        )
    for n in range(12):
        client.post(
            "/accounts/password_reset/", {"email": f"user{n}@example.org"}, REMOTE_ADDR="10.1.1.1"
        )
    assert len(mail.outbox) == 10

"""What the server's logs say about a request: refusals on one line, no secrets, and no 404s
for the favicon every browser asks for."""

import contextlib
import io
import logging
import re

import pytest

from tests import factories


@contextlib.contextmanager
def _log_output(*logger_names):
    """Everything the configured handlers of these loggers print, as text."""
    stream = io.StringIO()
    handlers = {
        handler
        for name in logger_names
        for handler in logging.getLogger(name).handlers
        if type(handler) is logging.StreamHandler  # the configured ones, not pytest's
    }
    assert handlers, "no handler configured"
    previous = {handler: handler.setStream(stream) for handler in handlers}
    try:
        yield stream
    finally:
        for handler, old in previous.items():
            handler.setStream(old)


def test_a_refused_request_is_logged_as_one_line(facilitator_client, other_trajectory):
    with _log_output("django") as log:
        assert facilitator_client.get(f"/t/{other_trajectory.pk}/partners/").status_code == 404
    assert log.getvalue() == f"Not Found: /t/{other_trajectory.pk}/partners/\n"


def test_a_forbidden_request_is_logged_as_one_line(manager_client, trajectory):
    with _log_output("django") as log:
        status = manager_client.get(f"/t/{trajectory.pk}/instellingen/").status_code
    assert status == 403
    assert log.getvalue().count("\n") == 1 and "Traceback" not in log.getvalue()


def test_an_error_keeps_its_traceback():
    with _log_output("django") as log:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logging.getLogger("django.request").error(
                "Internal Server Error: %s", "/x/", exc_info=True, extra={"status_code": 500}
            )
    assert "Traceback" in log.getvalue() and "RuntimeError: boom" in log.getvalue()


@pytest.mark.django_db
def test_invite_tokens_are_masked_in_the_request_log(client):
    with _log_output("django") as log:
        client.get("/i/SecretToken0123456789abcdefghijklmnop/")
    assert log.getvalue() == "Not Found: /i/***/\n"


def test_access_logs_mask_invite_tokens_and_live_keys():
    """uvicorn's access record: the path is an argument, which its formatter reads by position."""
    with _log_output("uvicorn.access", "gunicorn.access") as log:
        for name in ("uvicorn.access", "gunicorn.access"):
            logging.getLogger(name).info(
                '%s - "%s %s HTTP/%s" %d',
                "10.0.0.1:5000",
                "GET",
                "/live/LiveKey12345678/s/partner-2/17/0123456789abcdef0123456789abcdef/nl/",
                "1.1",
                200,
            )
    lines = log.getvalue().splitlines()
    assert lines == ['10.0.0.1:5000 - "GET /live/***/s/partner-2/17/***/nl/ HTTP/1.1" 200'] * 2


def test_reset_tokens_and_sign_in_codes_are_masked_in_access_logs():
    with _log_output("uvicorn.access") as log:
        for path in (
            "/accounts/reset/MQ/cz7g1k-0123456789abcdef0123456789abcdef/",
            "/oidc/callback/?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj&next=/t/1/",
        ):
            logging.getLogger("uvicorn.access").info("GET %s", path)
    assert log.getvalue().splitlines() == [
        "GET /accounts/reset/MQ/***/",
        "GET /oidc/callback/?code=***&state=***&next=/t/1/",
    ]


def test_a_workshops_own_live_pages_are_logged_as_they_are():
    with _log_output("uvicorn.access") as log:
        logging.getLogger("uvicorn.access").info("GET %s", "/t/1/bijeenkomsten/2/live/bijdrage/")
    assert log.getvalue() == "GET /t/1/bijeenkomsten/2/live/bijdrage/\n"


def test_every_page_names_a_favicon_that_exists(client, participant):
    factories.login_participant(client, participant)
    page = client.get("/accounts/login/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert icon, "no <link rel=icon>"
    assert client.get(icon.group(1)).status_code == 200


@pytest.mark.django_db
def test_browsers_asking_for_favicon_ico_find_it(client):
    assert client.get("/favicon.ico", follow=True).status_code == 200


@pytest.mark.django_db
def test_a_request_for_a_foreign_host_is_logged_as_one_line(client):
    with _log_output("django") as log:
        assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    assert log.getvalue().startswith("Invalid HTTP_HOST header: 'evil.example'")
    assert log.getvalue().count("\n") == 1, log.getvalue()

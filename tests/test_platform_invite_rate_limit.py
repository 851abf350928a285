"""The invite rate limit holds against forged X-Forwarded-For and never locks out a valid link.

Served the way production serves it: uvicorn's proxy-header handling with the addresses
`coconnect/gunicorn_conf.py` trusts, in front of the ASGI application.
"""

import asyncio
import contextlib

import pytest
from asgiref.sync import async_to_sync
from django.core import signals
from django.db import close_old_connections
from uvicorn.config import Config

from coconnect import gunicorn_conf
from coconnect.asgi import application
from tests import factories

BAD = "/i/not-a-token-{n}-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx/"
OUTSIDE = ("198.51.100.7", 40000)


@contextlib.contextmanager
def _request_signals_kept_off_the_test_connection():
    # As django.test.Client does: a request's start or end must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _served_status(path: str, *, client: tuple[str, int], forwarded_for: str = "") -> int:
    config = Config(
        app=application,
        forwarded_allow_ips=gunicorn_conf.forwarded_allow_ips,
        log_config=None,
        lifespan="off",
    )
    config.load()
    headers = [(b"host", b"testserver")]
    if forwarded_for:
        headers.append((b"x-forwarded-for", forwarded_for.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": client,
        "server": ("127.0.0.1", 8000),
    }
    sent = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client stays connected until the answer is sent

    async def send(message):
        sent.append(message)

    with _request_signals_kept_off_the_test_connection():
        async_to_sync(config.loaded_app)(scope, receive, send)
    return next(m["status"] for m in sent if m["type"] == "http.response.start")


@pytest.mark.django_db
def test_forged_forwarded_for_from_outside_does_not_dodge_the_limit(settings):
    settings.INVITE_RATE_LIMIT_ATTEMPTS = 10
    statuses = [
        _served_status(BAD.format(n=n), client=OUTSIDE, forwarded_for=f"10.1.{n // 250}.{n % 250}")
        for n in range(60)
    ]
    assert statuses[:10] == [404] * 10
    assert statuses[10:] == [429] * 50


@pytest.mark.django_db
def test_the_app_ignores_forwarded_for_unless_the_sender_is_a_trusted_proxy(client, settings):
    settings.INVITE_RATE_LIMIT_ATTEMPTS = 3
    for n in range(3):
        client.get(BAD.format(n=n), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.2.0.{n}")
    assert client.get(BAD.format(n=9), REMOTE_ADDR="127.0.0.1").status_code == 429


@pytest.mark.django_db
def test_a_trusted_proxy_keeps_its_visitors_apart(client, settings):
    settings.INVITE_RATE_LIMIT_ATTEMPTS = 3
    settings.TRUSTED_PROXIES = ["192.0.2.1"]
    for n in range(3):
        client.get(BAD.format(n=n), REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.3.0.1")
    via_proxy = {"REMOTE_ADDR": "192.0.2.1"}
    assert (
        client.get(BAD.format(n=9), HTTP_X_FORWARDED_FOR="10.3.0.1", **via_proxy).status_code == 429
    )
    # A forged first hop does not help: the proxy appends the address it really saw.
    forged = "10.9.9.9, 10.3.0.1"
    assert client.get(BAD.format(n=9), HTTP_X_FORWARDED_FOR=forged, **via_proxy).status_code == 429
    assert (
        client.get(BAD.format(n=9), HTTP_X_FORWARDED_FOR="10.3.0.2", **via_proxy).status_code == 404
    )


def test_bad_tries_in_the_name_of_an_address_never_refuse_its_valid_link(
    client, participant, settings
):
    settings.INVITE_RATE_LIMIT_ATTEMPTS = 10
    room = {"REMOTE_ADDR": "203.0.113.50"}  # every phone in the room shares one public address
    for n in range(15):
        client.get(BAD.format(n=n), **room)
    assert client.get(BAD.format(n=99), **room).status_code == 429
    _link, token = factories.make_invite(participant)
    assert client.get(f"/i/{token}/", **room).status_code == 302


@pytest.mark.django_db
def test_a_valid_link_through_the_server_is_never_refused(participant, settings):
    settings.INVITE_RATE_LIMIT_ATTEMPTS = 2
    for n in range(5):
        _served_status(BAD.format(n=n), client=OUTSIDE)
    _link, token = factories.make_invite(participant)
    assert _served_status(f"/i/{token}/", client=OUTSIDE) == 302

"""Signing in a Playwright page, for the browser tests."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import PASSWORD


def sign_in(page, live_server, username, password=PASSWORD):
    """Sign in through the login form, as a person would, and wait for the home page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"{live_server.url}/")


def sign_in_by_session(page, live_server, username):
    """Give the browser the session of a signed-in user without the form (for tests about other
    pages; the login form has its own tests)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def wait_until(page, predicate: str, arg=None, *, timeout_ms: int = 10_000):
    """Wait until a JavaScript predicate holds in the page.

    Playwright's wait_for_function evaluates its predicate string inside the page, which the strict
    Content-Security-Policy (no unsafe-eval) refuses; page.evaluate goes through the browser's
    debugging protocol, which the policy does not govern. So poll from here.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(predicate, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout_ms} ms for: {predicate}")
        page.wait_for_timeout(50)

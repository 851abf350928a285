"""What the BIO asks of every response: security headers (also on the live endpoints that never
reach Django), no caching of anything confidential, and throttled password-reset mails."""

from __future__ import annotations

import ipaddress
import logging
import time

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.http.request import split_domain_port, validate_host
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from trajectories.middleware import client_address

logger = logging.getLogger(__name__)


class NoStoreMiddleware:
    """Everything Django renders is confidential to someone (pages, fragments, exports, reports),
    so shared computers and proxies keep nothing, unless a view chose otherwise (the QR code is
    `private` for an hour). Static files never get here: WhiteNoise answers them first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True)
        return response


# --- the live endpoints, answered in front of Django (workshops/asgi.py) ----------------------


def _header_values() -> list[tuple[bytes, bytes]]:
    from csp.utils import build_policy  # django-csp builds the same policy for Django's responses

    headers = [
        (b"content-security-policy", build_policy().encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", settings.SECURE_REFERRER_POLICY.encode()),
        (b"x-frame-options", settings.X_FRAME_OPTIONS.encode()),
        (b"cross-origin-opener-policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY.encode()),
    ]
    if settings.SECURE_HSTS_SECONDS:
        hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            hsts += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            hsts += "; preload"
        headers.append((b"strict-transport-security", hsts.encode()))
    return headers


def _allowed_hosts() -> list[str]:
    # As Django's HttpRequest.get_host(): with DEBUG and no list, the local names are allowed.
    if settings.DEBUG and not settings.ALLOWED_HOSTS:
        return [".localhost", "127.0.0.1", "[::1]"]
    return settings.ALLOWED_HOSTS


def _host_allowed(scope) -> bool:
    host = next((value for name, value in scope.get("headers", ()) if name == b"host"), b"")
    domain, _port = split_domain_port(host.decode("latin-1"))
    return bool(domain) and validate_host(domain, _allowed_hosts())


def secured(app):
    """Wrap the ASGI application: requests for an unknown host are refused (400) before the live
    endpoints answer them, and every response carries the security headers Django's middleware
    gives its own (a header a response already has is left as it is)."""
    headers = None

    async def secured_app(scope, receive, send):
        nonlocal headers
        if scope["type"] != "http":
            return await app(scope, receive, send)
        if headers is None:
            headers = _header_values()
        if not _host_allowed(scope):
            body = b"Bad Request"
            await send(
                {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [
                        *headers,
                        (b"content-type", b"text/plain"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return None

        async def send_secured(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _value in message.get("headers", ())}
                missing = [(name, value) for name, value in headers if name not in present]
                message = {**message, "headers": [*message.get("headers", ()), *missing]}
            await send(message)

        return await app(scope, receive, send_secured)

    return secured_app


# --- password reset mails ---------------------------------------------------------------------

RESET_LIMIT_PER_ADDRESS = 3  # mails to one e-mail address per window
RESET_LIMIT_PER_CLIENT = 10  # requests from one network address per window
RESET_WINDOW = 60 * 60


def _over_limit(key: str, limit: int) -> bool:
    cache.add(key, 0, RESET_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RESET_WINDOW)
        count = 1
    return count > limit


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, sending at most a few mails per address and per client an hour. The
    answer is the same page whether a mail went out, was held back, or the address is unknown, so
    it never tells whether an account exists."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        client = client_address(self.request)
        over_client = _over_limit(f"password-reset:client:{client}", RESET_LIMIT_PER_CLIENT)
        over_email = _over_limit(f"password-reset:email:{email}", RESET_LIMIT_PER_ADDRESS)
        if over_client or over_email:
            logger.warning("password reset held back: too many requests from %s", client)
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def axes_client_address(request) -> str | None:
    """django-axes counts failed sign-ins per address as the invite rate limit does: proxies'
    X-Forwarded-For only from FORWARDED_ALLOW_IPS. None when there is no address (a request made
    in a test, a management command): axes stores addresses in an IP field, which PostgreSQL
    checks."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def sign_in_paused(request, credentials, *args, **kwargs):
    """What django-axes answers while sign-ins are refused: the same page for every account name,
    known or not, and one log line."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    logger.warning(
        "sign-in refused for a while: too many failures from %s", client_address(request)
    )
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def slow_down_failed_sign_in(sender, credentials, request=None, **kwargs):
    """Each failed sign-in answers a little later than the one before (0, 1, 2, 3 s with the
    default step) until django-axes pauses signing in: guessing slows down before it is refused.
    The delay holds only this request's thread, and the pause bounds how many there can be."""
    step = settings.LOGIN_SLOWDOWN_SECONDS
    if not step or request is None or getattr(request, "axes_locked_out", False):
        return
    from axes.handlers.proxy import AxesProxyHandler  # needs the apps loaded

    earlier = AxesProxyHandler.get_failures(request, credentials) - 1  # axes counted this one
    time.sleep(min(max(earlier, 0), settings.AXES_FAILURE_LIMIT) * step)

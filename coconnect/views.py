from datetime import UTC, date, timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from coconnect.htmx import HtmxHttpRequest


@require_GET
def favicon(request: HtmxHttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page names; the icon is a collected static file
    (looked up per request: the manifest may not exist yet when the URLs are imported)."""
    return redirect(static("favicon.svg"), permanent=True)


def _operator() -> dict:
    return {
        "name": settings.OPERATOR_NAME,
        "address": settings.OPERATOR_ADDRESS,
        "email": settings.OPERATOR_EMAIL,
    }


@require_GET
def privacy_statement(request: HtmxHttpRequest) -> HttpResponse:
    return render(
        request,
        "statements/privacy.html",
        {
            "operator": _operator(),
            "privacy_email": settings.PRIVACY_CONTACT_EMAIL,
            "lockout_minutes": round(settings.AXES_COOLOFF_TIME * 60),
        },
    )


@require_GET
def accessibility_statement(request: HtmxHttpRequest) -> HttpResponse:
    # A date that does not parse is left out rather than shown wrong.
    try:
        statement_date: date | None = parse_date(settings.ACCESSIBILITY_STATEMENT_DATE)
    except ValueError:
        statement_date = None
    return render(
        request,
        "statements/accessibility.html",
        {
            "operator": _operator(),
            "accessibility_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "statement_date": statement_date,
        },
    )


@require_GET
def security_txt(request: HtmxHttpRequest) -> HttpResponse:
    """RFC 9116. Expires is always a year ahead, so the file never goes stale on its own."""
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: mailto:{settings.SECURITY_CONTACT_EMAIL}",
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: nl, en",
        f"Canonical: {settings.SITE_URL}{reverse('security_txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# The error handlers take a plain HttpRequest: an error raised in a middleware before
# HtmxMiddleware reaches them without `request.htmx`.
def _error(request: HttpRequest, status: int, template: str) -> HttpResponse:
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "500.html")

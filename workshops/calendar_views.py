"""The private calendar feed (/agenda/<token>.ics) and the page where a person manages its address.

The feed needs no session: the token in the address is the key. An unknown, revoked or forged
token answers 404 like any other missing page, so the answer says nothing about why.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from . import calendar, feeds

ACCOUNT, PARTICIPANT = "account", "participant"


@require_safe  # some calendar clients ask with HEAD first
def feed(request: HttpRequest, token: str) -> HttpResponse:
    content = feeds.feed_for_token(token)
    response = HttpResponse(
        feeds.feed_ics(content), content_type=f"{calendar.CONTENT_TYPE}; charset=utf-8"
    )
    # Personal: no shared cache may keep it, and no search engine should list it.
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    response["Content-Disposition"] = 'inline; filename="coconnect.ics"'
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def owners(request: HttpRequest) -> dict:
    """Whose feeds this request may manage: the signed-in account, the participant, or both."""
    found = {}
    if request.user.is_authenticated:
        found[ACCOUNT] = {"user": request.user}
    participant = getattr(request, "participant", None)
    if participant is not None and participant.erased_at is None:
        found[PARTICIPANT] = {"participant": participant}
    return found


def feed_section(request: HttpRequest, owner: str) -> dict | None:
    """What the settings section shows for one owner (None: not this request's)."""
    who = owners(request).get(owner)
    if who is None:
        return None
    current = feeds.feed_current(**who)
    return {
        "owner": owner,
        "feed": current,
        "url": request.build_absolute_uri(current.get_absolute_url()) if current else "",
        "webcal_url": (
            "webcal://" + request.get_host() + current.get_absolute_url() if current else ""
        ),
        "next": request.get_full_path(),
    }


@require_GET
def settings_page(request: HttpRequest) -> HttpResponse:
    found = owners(request)
    if not found:
        return redirect_to_login(request.get_full_path())
    sections = [feed_section(request, owner) for owner in found]
    return render(request, "workshops/calendar_settings.html", {"sections": sections})


def _back(request: HttpRequest, owner: str = "") -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("calendar:settings")
    anchor = f"calendar-feed-{owner}" if owner in (ACCOUNT, PARTICIPANT) else "main"
    return redirect(f"{target.split('#')[0]}#{anchor}")


def _owner_from_post(request: HttpRequest) -> dict | None:
    return owners(request).get(request.POST.get("owner", ""))


@require_POST
def renew(request: HttpRequest) -> HttpResponse:
    who = _owner_from_post(request)
    if who is None:
        if not owners(request):
            return redirect_to_login(reverse("calendar:settings"))
        messages.error(request, _("This calendar address is not yours to change."))
        return _back(request)
    had = feeds.feed_current(**who) is not None
    feeds.feed_renew(**who)
    if had:
        messages.success(
            request, _("Your calendar has a new address. The previous address no longer works.")
        )
    else:
        messages.success(request, _("Your calendar address is ready. Add it to your calendar."))
    return _back(request, request.POST["owner"])


@require_POST
def stop(request: HttpRequest) -> HttpResponse:
    who = _owner_from_post(request)
    if who is None:
        if not owners(request):
            return redirect_to_login(reverse("calendar:settings"))
        messages.error(request, _("This calendar address is not yours to change."))
        return _back(request)
    if feeds.feed_stop(**who):
        messages.success(request, _("The calendar address no longer works."))
    return _back(request, request.POST["owner"])

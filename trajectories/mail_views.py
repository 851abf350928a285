"""The pages that mails lead to, and each person's own mail settings.

Sign-in links, "lost your link?" and unsubscribing need no session; each answers a forged or
stale link with a page in the visitor's language (Dutch by default) that says what to do next.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from coconnect import mail
from coconnect.htmx import HtmxHttpRequest, form_status
from coconnect.security import _over_limit

from . import services
from .access import PARTICIPANT, SESSION_INVITE_KEY, Viewer, trajectory_view
from .forms import AccountSettingsForm, LostLinkForm, ParticipantSettingsForm
from .middleware import client_address
from .models import AccountPreferences, Membership

logger = logging.getLogger(__name__)

LOST_LINK_LIMIT_PER_CLIENT = 5  # requests from one network address per window
LOST_LINK_LIMIT_PER_EMAIL = 3  # mails to one e-mail address per window
LOST_LINK_WINDOW = 60 * 60


def language_follow(response: HttpResponse, language: str) -> HttpResponse:
    """The pages after a sign-in speak the person's own language (LocaleMiddleware reads the
    cookie that the language switch sets)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=False,
    )
    return response


def _private(response: HttpResponse) -> HttpResponse:
    # The token must reach no other site through the Referer, nor any search index. Not
    # "no-referrer": with it browsers post this page's forms (the sign-in button, the language
    # switch) with `Origin: null`, which Django's CSRF check refuses.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners that open links do not spend it); POST spends the link
    and starts the participant's session as the invite link does."""
    try:
        if request.method == "GET":
            row = services.sign_in_checked(token)
            response = render(
                request,
                "trajectories/sign_in.html",
                {"entry": row.participant, "trajectory": row.participant.partner.trajectory},
            )
            return _private(response)
        link = services.sign_in_spend(token=token)
    except services.SignInRefused as refusal:
        status = 404 if refusal.reason == "invalid" else 410
        response = render(
            request,
            "trajectories/sign_in_refused.html",
            {"reason": refusal.reason, "days": settings.SIGN_IN_TOKEN_DAYS},
            status=status,
        )
        return _private(response)
    # A new session key: whoever planted a session id before cannot ride along.
    request.session.cycle_key()
    request.session[SESSION_INVITE_KEY] = link.pk
    response = redirect("trajectories:welcome", link.participant.partner.trajectory_id)
    return _private(language_follow(response, link.participant.language))


def _email_key(email: str) -> str:
    # Only a hash of the address reaches the cache (Redis is not where personal data lives).
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


@never_cache
@require_http_methods(["GET", "POST"])
def lost_link(request: HtmxHttpRequest) -> HttpResponse:
    """Ask for a fresh sign-in mail. The answer is the same page, with the same status, whether
    the address is known, unknown, held back by the rate limit or a double submit."""
    if request.method == "POST":
        form = LostLinkForm(request.POST)
        if form.is_valid():
            _lost_link_request(request, form)
            return redirect("trajectories:lost_link_sent")
        return render(
            request, "trajectories/lost_link.html", {"form": form}, status=form_status(form)
        )
    return render(request, "trajectories/lost_link.html", {"form": LostLinkForm()})


def _lost_link_request(request, form: LostLinkForm) -> None:
    email = form.cleaned_data["email"]
    key = form.submission_key
    # A double submit (two clicks, a browser resending) sends one mail: the first claims the key.
    if key is not None and not cache.add(f"lost-link:submit:{key}", 1, LOST_LINK_WINDOW):
        return
    client = client_address(request)
    over_client = _over_limit(f"lost-link:client:{client}", LOST_LINK_LIMIT_PER_CLIENT)
    over_email = _over_limit(f"lost-link:email:{_email_key(email)}", LOST_LINK_LIMIT_PER_EMAIL)
    if over_client or over_email:
        logger.warning("lost-link mail held back: too many requests from %s", client)
        return
    try:
        services.lost_link_send(email=email)
    except mail.MailFailed:
        # The answer stays the same: telling "the mail failed" would tell the address is known.
        logger.warning("lost-link mail could not be sent")


@never_cache
@require_http_methods(["GET"])
def lost_link_sent(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, "trajectories/lost_link_sent.html")


@csrf_exempt  # RFC 8058: mail clients post the one-click unsubscribe without a session or token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HtmxHttpRequest, value: str) -> HttpResponse:
    """GET asks to confirm (a link opened by a scanner changes nothing); POST, a button or a mail
    client's one-click (`List-Unsubscribe=One-Click`), switches that one kind of mail off."""
    found = mail.unsubscribe_read(value)
    if found is None:
        return _private(render(request, "trajectories/unsubscribe_refused.html", status=400))
    context = {
        "kind": found.kind,
        "kind_label": found.kind.label,
        "participant": found.participant,
        "value": value,
        "done": False,
    }
    if request.method == "POST":
        mail.opt_out_set(
            participant=found.participant, user=found.user, kind=found.kind, wanted=False
        )
        context["done"] = True
    return _private(render(request, "trajectories/unsubscribe.html", context))


# --- each person's own settings ----------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@trajectory_view(PARTICIPANT)
def my_settings(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    """A representative's language, digest and mails."""
    participant = viewer.participant
    opted_out = frozenset(participant.mail_opt_outs.values_list("kind", flat=True))
    form = ParticipantSettingsForm(request.POST or None, instance=participant, opted_out=opted_out)
    if request.method == "POST" and form.is_valid():
        saved = services.participant_settings_save(
            participant=participant,
            language=form.cleaned_data["language"],
            wants_digest=form.cleaned_data["wants_digest"],
            wanted=form.wanted(),
        )
        with translation.override(saved.language):
            messages.success(request, _("Your settings have been saved."))
        response = redirect("trajectories:my_settings", viewer.trajectory.pk)
        return language_follow(response, saved.language)
    return render(
        request,
        "trajectories/my_settings.html",
        {"viewer": viewer, "form": form},
        status=form_status(form),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HtmxHttpRequest) -> HttpResponse:
    """An account's mail language and mails, and the weekly digest per trajectory it
    facilitates."""
    user = request.user
    preferences = AccountPreferences.objects.filter(user=user).first()
    memberships = (
        Membership.objects.filter(user=user, role=Membership.Role.FACILITATOR)
        .select_related("trajectory")
        .order_by("trajectory__name", "trajectory__pk")
    )
    opted_out = frozenset(user.mail_opt_outs.values_list("kind", flat=True))
    language = preferences.language if preferences else settings.LANGUAGE_CODE
    form = AccountSettingsForm(
        request.POST or None,
        initial={"language": language},
        memberships=memberships,
        opted_out=opted_out,
    )
    if request.method == "POST" and form.is_valid():
        services.account_settings_save(
            user=user,
            language=form.cleaned_data["language"],
            wanted=form.wanted(),
            digests=form.digests(),
        )
        messages.success(request, _("Your settings have been saved."))
        return redirect("trajectories:account_settings")
    return render(
        request, "trajectories/account_settings.html", {"form": form}, status=form_status(form)
    )

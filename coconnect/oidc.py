"""Sign-in with OpenID Connect against the organisation's identity provider (mozilla-django-oidc).

On only when OIDC_RP_CLIENT_ID is set (settings.py). An account is matched by its e-mail address,
case-insensitively, and only when the provider says the address is verified; a first sign-in
creates an account only for an address in OIDC_ALLOWED_EMAIL_DOMAINS. A new account has no
trajectory: a facilitator still decides who joins which one. Local accounts keep their password.

The provider's endpoints come from OIDC_OP_* when given, otherwise from the issuer's discovery
document, fetched at the first sign-in (not at startup, so the site starts while the provider is
down, and signing in with a password never waits for it).
"""

import logging
import re
import threading

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .forms import clean_text

log = logging.getLogger(__name__)

# The setting that overrides each endpoint, and its name in the discovery document.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}

CLOCK_LEEWAY_SECONDS = 60

_discovered: dict[str, dict] = {}
_discovery_lock = threading.Lock()


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read or does not fit the issuer."""


class Refused(Exception):
    """The provider signed the person in, but Coconnect does not let them in; `reason` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def provider_name() -> str:
    return settings.OIDC_PROVIDER_NAME or _("your organisation")


def discovery(issuer: str) -> dict:
    """The issuer's discovery document, fetched once per process (only a good one is kept)."""
    with _discovery_lock:
        if issuer not in _discovered:
            url = f"{issuer}/.well-known/openid-configuration"
            try:
                response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
                response.raise_for_status()
                document = response.json()
            except (requests.RequestException, ValueError) as exc:
                raise ProviderUnavailable(f"discovery at {url} failed: {exc}") from exc
            # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer asked for.
            if document.get("issuer", "").rstrip("/") != issuer:
                raise ProviderUnavailable(f"discovery at {url} names another issuer")
            _discovered[issuer] = document
        return _discovered[issuer]


def endpoint(setting: str) -> str:
    explicit = getattr(settings, setting, None)
    if explicit:
        return explicit
    document = discovery(settings.OIDC_OP_ISSUER)
    try:
        return document[ENDPOINTS[setting]]
    except KeyError as exc:
        raise ProviderUnavailable(f"discovery names no {ENDPOINTS[setting]}") from exc


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


class OIDCBackend(OIDCAuthenticationBackend):
    """Matches a verified e-mail address to an account, or creates one for an allowed domain."""

    def __init__(self, *args, **kwargs):
        # Django builds the backend for every sign-in (also with a password) and for every request
        # of a person signed in through it, so nothing here may reach the provider: the endpoints
        # are looked up when a sign-in through the provider needs them (properties below).
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.UserModel = get_user_model()

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: endpoint("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: endpoint("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: endpoint("OIDC_OP_JWKS_ENDPOINT"))

    def authenticate(self, request, **kwargs):
        if not enabled():
            return None
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token, id_token, payload):
        self._check_id_token(payload)
        claims = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: userinfo about someone else must not be used.
        if claims.get("sub") != payload.get("sub"):
            raise Refused("userinfo-sub-mismatch")
        email = (claims.get("email") or "").strip()
        if not email or "@" not in email:
            raise Refused("no-email")
        # Only a verified address says who this is (the claim may also arrive as the string "true").
        if claims.get("email_verified") not in (True, "true"):
            raise Refused("email-unverified")
        users = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if len(users) > 1:
            raise Refused("several-accounts")
        if users:
            return users[0]
        if email_domain(email) not in settings.OIDC_ALLOWED_EMAIL_DOMAINS:
            raise Refused(f"domain-not-allowed ({email_domain(email)})")
        # The callback logs the sign-in once it succeeds, saying whether the account is new.
        self.request.oidc_created_account = True
        return self.create_user(claims)

    def _verify_jws(self, payload, key):
        # As mozilla-django-oidc's, with a minute's leeway for the provider's clock (a token
        # "issued" a second in our future would otherwise be refused), and every way a token can
        # be wrong (expired, not yet valid, bad signature) a refusal instead of an error page.
        try:
            alg = jwt.get_unverified_header(payload).get("alg")
            if alg != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation(
                    f"token signed with {alg!r}, not {self.OIDC_RP_SIGN_ALGO}"
                )
            return jwt.decode(
                payload,
                key,
                algorithms=[alg],
                options={"verify_aud": False},  # checked for the ID token in _check_id_token
                leeway=CLOCK_LEEWAY_SECONDS,
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"token refused: {exc}") from exc

    def _check_id_token(self, payload: dict) -> None:
        # mozilla-django-oidc checks the signature and the nonce, not who issued the token nor for
        # whom: a token the provider made for another application must not sign anyone in here.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise Refused("id-token-audience")
        issuer = settings.OIDC_OP_ISSUER
        if issuer and (payload.get("iss") or "").rstrip("/") != issuer:
            raise Refused("id-token-issuer")

    def create_user(self, claims):
        email = claims["email"].strip()
        user = self.UserModel(
            username=self._free_username(email),
            email=email,
            # Names from the provider are text like any other: one line, no control characters.
            first_name=clean_text(str(claims.get("given_name") or ""), multiline=False)[:150],
            last_name=clean_text(str(claims.get("family_name") or ""), multiline=False)[:150],
        )
        # Signs in only through the provider (or after a password reset mail).
        user.set_unusable_password()
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # The same person's first sign-in in two tabs at once: the other made the account.
            existing = self.UserModel.objects.filter(email__iexact=email).first()
            if existing is None:
                raise
            return existing
        return user

    def _free_username(self, email: str) -> str:
        # The address itself, in the characters a username allows; a number added when taken.
        base = re.sub(r"[^\w.@+-]", "", email.lower())[:140] or "oidc"
        username, number = base, 1
        while self.UserModel.objects.filter(username__iexact=username).exists():
            number += 1
            username = f"{base}-{number}"
        return username


# What the login page says after a refusal, by reason; every other reason gets the last one.
REFUSALS = {
    "email-unverified": lambda: _(
        "%(provider)s has not confirmed your e-mail address, so you cannot sign in with it. "
        "Ask your organisation to confirm it, or sign in with your username and password."
    ),
    "domain-not-allowed": lambda: _(
        "There is no Coconnect account for your e-mail address, and accounts for addresses of "
        "your organisation are not created automatically. Ask the facilitator of your trajectory "
        "to create an account for you."
    ),
    "failed": lambda: _(
        "Signing in with %(provider)s did not work. Please try again, or sign in with your "
        "username and password."
    ),
}


def failure_message(reason: str) -> str:
    message = REFUSALS.get(reason.split()[0], REFUSALS["failed"])()
    return message % {"provider": provider_name()}


class SignInView(OIDCAuthenticationRequestView):
    """/oidc/authenticate/: sends the browser to the provider (a 404 while sign-in is off)."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoint is looked up in get(), not in every request

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoint("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable as exc:
            log.warning("oidc sign-in refused: provider unavailable (%s)", exc)
            messages.error(request, failure_message("provider-unavailable"))
            return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """/oidc/callback/: the provider sends the browser back here; signs in or says why not."""

    def get(self, request):
        if not enabled():
            raise Http404
        self.refusal = "failed"
        if request.GET.get("error"):
            # The person cancelled at the provider, or the provider refused them.
            self.refusal = f"provider-error {request.GET['error'][:50]!r}"
        try:
            return super().get(request)
        except Refused as exc:
            self.refusal = exc.reason
        except (SuspiciousOperation, ProviderUnavailable, requests.RequestException) as exc:
            # A forged or replayed callback, a token that does not verify, a provider that is down.
            self.refusal = f"{type(exc).__name__}: {str(exc)[:200]}"
        return self.login_failure()

    def login_success(self):
        response = super().login_success()
        how = "created" if getattr(self.request, "oidc_created_account", False) else "matched"
        log.info(
            "oidc sign-in: account %s %s (domain %s)",
            self.user.pk,
            how,
            email_domain(self.user.email),
        )
        return response

    def login_failure(self):
        if getattr(self, "user", None) is not None and not self.user.is_active:
            self.refusal = "account-inactive"
        if getattr(self.request, "axes_locked_out", False):
            # django-axes answers with its own page (and log line): too many failures here.
            return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))
        log.warning("oidc sign-in refused: %s", self.refusal)
        messages.error(self.request, failure_message(self.refusal))
        return HttpResponseRedirect(resolve_url(settings.LOGIN_URL))

import functools
import ipaddress

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django_htmx.http import HttpResponseClientRedirect

from .access import LoginRequired, participant_invite


class ParticipantMiddleware:
    """Adds `request.participant` and `request.invite`: the participant behind this session's
    usable invite link and that link, or None.

    Costs a query only for sessions that hold an invite; facilitators and strangers pay nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        invite = participant_invite(request)
        request.invite = invite
        request.participant = invite.participant if invite else None
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LoginRequired):
            response = redirect_to_login(request.get_full_path())
            if getattr(request, "htmx", False):
                # An htmx request would swap the login page into a fragment: reload instead.
                return HttpResponseClientRedirect(response["Location"])
            return response
        return None


# --- invite rate limit -------------------------------------------------------------------------
# Bad invite links cost an address a try; a valid link is never refused because of them, so a
# room whose phones share one public address cannot be locked out by a few stale links.


def client_address(request) -> str:
    """The visitor's address: the peer, or what our own proxies say the peer was.

    X-Forwarded-For is believed only when the peer is one of TRUSTED_PROXIES (from
    FORWARDED_ALLOW_IPS, default none); then the nearest hop that is not one of them counts, since
    anything further left was written by the visitor.
    """
    peer = request.META.get("REMOTE_ADDR") or "unknown"
    if not _is_trusted_proxy(peer):
        return peer
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_trusted_proxy(hop):
            return hop
    return peer


def _is_trusted_proxy(address: str) -> bool:
    trusted = tuple(settings.TRUSTED_PROXIES)
    if "*" in trusted:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(trusted))


@functools.cache
def _networks(entries: tuple[str, ...]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def _failures_key(request) -> str:
    return f"invite-failures:{client_address(request)}"


def invite_failures_exceeded(request) -> bool:
    """Whether this address has used up its bad tries; ask only after the token proved bad."""
    return cache.get(_failures_key(request), 0) >= settings.INVITE_RATE_LIMIT_ATTEMPTS


def invite_failure_count(request) -> None:
    key = _failures_key(request)
    if cache.add(key, 1, settings.INVITE_RATE_LIMIT_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.INVITE_RATE_LIMIT_WINDOW)

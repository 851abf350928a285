from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import MEMBERS, PARTICIPANT, SESSION_INVITE_KEY, trajectory_view
from .models import Participant, Partner, Trajectory
from .services import invite_lookup
from .summaries import trajectory_summaries


@require_GET
def home(request):
    if not request.user.is_authenticated:
        if request.participant is not None:
            return redirect("trajectories:welcome", request.participant.partner.trajectory_id)
        return redirect(settings.LOGIN_URL)
    trajectories = (
        Trajectory.objects.for_user(request.user)
        .annotate(partner_count=Count("partners", distinct=True))
        .order_by("status", "name")
    )
    roles = dict(request.user.memberships.values_list("trajectory_id", "role"))
    return render(
        request,
        "trajectories/home.html",
        {"trajectories": trajectories, "roles": roles},
    )


@require_GET
@trajectory_view(*MEMBERS)
def trajectory_detail(request, viewer):
    partners = Partner.objects.filter(trajectory=viewer.trajectory).prefetch_related(
        Prefetch("participants", queryset=Participant.objects.order_by("name"))
    )
    return render(
        request,
        "trajectories/detail.html",
        {
            "viewer": viewer,
            "active_tab": "overview",
            "partners": partners,
            "summaries": trajectory_summaries(viewer),
        },
    )


@require_GET
@trajectory_view(PARTICIPANT)
def welcome(request, viewer):
    colleagues = Participant.objects.filter(partner=viewer.partner).order_by("name")
    partners = Partner.objects.filter(trajectory=viewer.trajectory)
    return render(
        request,
        "trajectories/welcome.html",
        {
            "viewer": viewer,
            "active_tab": "overview",
            "colleagues": colleagues,
            "partners": partners,
            "summaries": trajectory_summaries(viewer),
        },
    )


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _rate_limited(request) -> bool:
    key = f"invite-failures:{_client_ip(request)}"
    return cache.get(key, 0) >= settings.INVITE_RATE_LIMIT_ATTEMPTS


def _count_failure(request) -> None:
    key = f"invite-failures:{_client_ip(request)}"
    if cache.add(key, 1, settings.INVITE_RATE_LIMIT_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, settings.INVITE_RATE_LIMIT_WINDOW)


@never_cache
@require_GET
def invite_open(request, token):
    """Exchange the token for a session, then send the browser to a clean URL without it."""
    if _rate_limited(request):
        response = render(request, "trajectories/invite_refused.html", {"reason": "rate"}, status=429)
        response["Retry-After"] = str(settings.INVITE_RATE_LIMIT_WINDOW)
    else:
        invite = invite_lookup(token)
        if invite is None:
            _count_failure(request)
            response = render(request, "trajectories/invite_refused.html", {"reason": "invalid"}, status=404)
        elif invite.is_revoked:
            _count_failure(request)
            response = render(request, "trajectories/invite_refused.html", {"reason": "revoked"}, status=410)
        elif invite.is_expired:
            response = render(request, "trajectories/invite_refused.html", {"reason": "expired"}, status=410)
        else:
            request.session.cycle_key()
            request.session[SESSION_INVITE_KEY] = invite.pk
            invite.last_used_at = timezone.now()
            invite.save(update_fields=["last_used_at"])
            response = redirect("trajectories:welcome", invite.participant.partner.trajectory_id)
    response["Referrer-Policy"] = "no-referrer"
    return response

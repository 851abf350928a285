from copy import copy
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count, F, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from coconnect.htmx import HtmxHttpRequest, form_status
from coconnect.stale import StaleEdit

from . import retention, services
from .access import (
    EVERYONE,
    FACILITATOR,
    MEMBERS,
    PARTICIPANT,
    SESSION_INVITE_KEY,
    Viewer,
    get_object_in_trajectory,
    may_create_trajectories,
    trajectory_view,
)
from .forms import (
    MemberAddForm,
    ParticipantForm,
    PartnerForm,
    TrajectoryDeleteForm,
    TrajectoryForm,
)
from .mail_views import language_follow
from .middleware import invite_failure_count, invite_failures_exceeded
from .models import InviteLink, Membership, Participant, Partner, Trajectory
from .selectors import participant_data
from .summaries import participant_todo, trajectory_summaries

PAGE = "trajectories/partners.html"


# --- helpers -----------------------------------------------------------------------------------


def _participants_with_invites():
    return Participant.objects.order_by("name", "pk").prefetch_related(
        Prefetch(
            "invite_links",
            queryset=InviteLink.objects.order_by("-created_at", "-pk"),
            to_attr="prefetched_invites",
        )
    )


def _partners(trajectory):
    return Partner.objects.filter(trajectory=trajectory).prefetch_related(
        Prefetch("participants", queryset=_participants_with_invites())
    )


def _participant_in(viewer: Viewer, pk: int) -> Participant:
    return get_object_in_trajectory(
        _participants_with_invites().select_related("partner"),
        viewer,
        trajectory_field="partner__trajectory",
        pk=pk,
    )


def _members(trajectory):
    return (
        Membership.objects.filter(trajectory=trajectory)
        .select_related("user")
        .order_by("role", "user__username")
    )


def _model_fields(form) -> dict:
    """A model form's cleaned model fields, without the submission key that travels along."""
    return {name: form.cleaned_data[name] for name in form._meta.fields if name in form.fields}


def _partners_url(viewer: Viewer, anchor: str = "") -> str:
    url = reverse("trajectories:partners", args=[viewer.trajectory.pk])
    return f"{url}#{anchor}" if anchor else url


def _fragment(request: HtmxHttpRequest, template: str, context, status: int = 200) -> HttpResponse:
    """An htmx fragment, followed by the pending messages swapped into #messages out of band."""
    html = render_to_string(template, context, request=request)
    html += render_to_string("_messages.html", {"oob": True}, request=request)
    return HttpResponse(html, status=status)


def _part(
    request: HtmxHttpRequest, viewer: Viewer, partial: str, context, *, title, status: int = 200
) -> HttpResponse:
    """Render one part of the partners page: the fragment for htmx, a whole page without JS."""
    context = {"viewer": viewer, **context}
    if request.htmx:
        return _fragment(request, f"{PAGE}#{partial}", context, status=status)
    return render(
        request,
        "trajectories/part_page.html",
        {**context, "fragment": f"{PAGE}#{partial}", "page_title": title, "standalone": True},
        status=status,
    )


# --- the facilitator's trajectories ------------------------------------------------------------


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        if request.participant is not None:
            return redirect("trajectories:welcome", request.participant.partner.trajectory_id)
        return redirect(settings.LOGIN_URL)
    if not request.user.memberships.exists() and request.user.coordinations.exists():
        # A coordinator with no trajectory of their own reads their organisation's portfolio.
        return redirect("organisations:index")
    trajectories = (
        Trajectory.objects.for_user(request.user)
        # for_user joined the user's own membership: its role comes along in the same query.
        .annotate(partner_count=Count("partners", distinct=True), my_role=F("memberships__role"))
        .order_by("status", "name")
    )
    return render(
        request,
        "trajectories/home.html",
        {"trajectories": trajectories, "may_create": may_create_trajectories(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def trajectory_create(request: HtmxHttpRequest) -> HttpResponse:
    if not may_create_trajectories(request.user):
        raise PermissionDenied
    form = TrajectoryForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        trajectory = services.trajectory_create(
            by=request.user, key=form.submission_key, **_model_fields(form)
        )
        messages.success(
            request, _("Trajectory created. Now add the partner organisations and their people.")
        )
        return redirect("trajectories:partners", trajectory.pk)
    return render(
        request, "trajectories/trajectory_form.html", {"form": form}, status=form_status(form)
    )


@require_GET
@trajectory_view(*EVERYONE)
def trajectory_detail(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    if viewer.is_participant:
        # A participant's overview is their welcome page.
        return redirect("trajectories:welcome", viewer.trajectory.pk)
    partners = Partner.objects.filter(trajectory=viewer.trajectory).annotate(
        participant_count=Count("participants")
    )
    return render(
        request,
        "trajectories/detail.html",
        {
            "viewer": viewer,
            "partners": partners,
            "members": _members(viewer.trajectory),
            "summaries": trajectory_summaries(viewer),
        },
    )


def _settings_context(viewer: Viewer, *, form=None, member_form=None) -> dict:
    members = list(_members(viewer.trajectory))
    facilitator_pks = sorted(m.pk for m in members if m.role == Membership.Role.FACILITATOR)
    for membership in members:
        # Offer no remove button where the service would refuse (the last facilitator).
        membership.removable = services.member_removable(
            membership=membership, facilitator_pks=facilitator_pks
        )
    return {
        "viewer": viewer,
        "form": form or TrajectoryForm(instance=viewer.trajectory),
        "member_form": member_form or MemberAddForm(trajectory=viewer.trajectory),
        "members": members,
    }


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def trajectory_settings(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    form = None
    if request.method == "POST":
        # A copy: the page's heading keeps the saved name while the form shows what was typed.
        form = TrajectoryForm(request.POST, instance=copy(viewer.trajectory), user=request.user)
        if form.is_valid():
            try:
                services.trajectory_update(
                    trajectory=viewer.trajectory,
                    seen_version=form.seen_version,
                    **_model_fields(form),
                )
            except StaleEdit as stale:
                form.show_stale(stale)
            else:
                messages.success(request, _("The trajectory has been saved."))
                return redirect("trajectories:settings", viewer.trajectory.pk)
    return render(
        request,
        "trajectories/settings.html",
        _settings_context(viewer, form=form),
        status=form_status(form) if form else 200,
    )


@require_POST
@trajectory_view(FACILITATOR)
def member_add(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    form = MemberAddForm(request.POST, trajectory=viewer.trajectory)
    added = None
    if form.is_valid():
        try:
            added = services.member_add(
                trajectory=viewer.trajectory,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("email", error)
    if added:
        membership, created = added
        if created:
            messages.success(
                request,
                _("%(email)s has been added. We sent a link to choose a password.")
                % {"email": membership.user.email},
            )
        else:
            messages.success(
                request, _("%(name)s has been added.") % {"name": membership.user.get_username()}
            )
        form = None
        if not request.htmx:
            return redirect(
                reverse("trajectories:settings", args=[viewer.trajectory.pk]) + "#members"
            )
    context = _settings_context(viewer, member_form=form)
    status = form_status(form) if form else 200
    if request.htmx:
        return _fragment(request, "trajectories/settings.html#members", context, status=status)
    return render(request, "trajectories/settings.html", context, status=status)


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def member_remove(request: HtmxHttpRequest, viewer: Viewer, membership_pk: int) -> HttpResponse:
    membership = get_object_in_trajectory(
        Membership.objects.select_related("user"), viewer, pk=membership_pk
    )
    if request.method == "GET":
        return render(
            request,
            "trajectories/confirm_remove.html",
            {
                "viewer": viewer,
                "what": membership.user.get_username(),
                "action": request.path,
                "cancel": reverse("trajectories:settings", args=[viewer.trajectory.pk]),
            },
        )
    try:
        services.member_remove(membership=membership, by=viewer)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("%(name)s has been removed.") % {"name": membership.user.get_username()}
        )
        if membership.user_id == request.user.pk:
            if request.htmx:
                return HttpResponseClientRedirect(reverse("home"))
            return redirect("home")
    if request.htmx:
        return _fragment(request, "trajectories/settings.html#members", _settings_context(viewer))
    return redirect(reverse("trajectories:settings", args=[viewer.trajectory.pk]) + "#members")


# --- partners and participants -----------------------------------------------------------------


@require_GET
@trajectory_view(*MEMBERS)
def partners(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    return render(
        request,
        PAGE,
        {
            "viewer": viewer,
            "partners": _partners(viewer.trajectory),
            "partner_form": PartnerForm(trajectory=viewer.trajectory),
        },
    )


@require_GET
@trajectory_view(*MEMBERS)
def partner_card(request: HtmxHttpRequest, viewer: Viewer, partner_pk: int) -> HttpResponse:
    partner = get_object_in_trajectory(_partners(viewer.trajectory), viewer, pk=partner_pk)
    if not request.htmx:
        return redirect(_partners_url(viewer, f"partner-{partner.pk}"))
    return render(request, f"{PAGE}#partner-card", {"viewer": viewer, "partner": partner})


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def partner_create(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    form = PartnerForm(request.POST or None, trajectory=viewer.trajectory)
    partner = None
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(
                trajectory=viewer.trajectory, key=form.submission_key, **_model_fields(form)
            )
        except ValidationError as error:
            form.add_error("name", error)
    if partner is not None:
        messages.success(request, _("%(name)s has been added.") % {"name": partner.name})
        if not request.htmx:
            return redirect(_partners_url(viewer, f"partner-{partner.pk}"))
        partner = _partners(viewer.trajectory).get(pk=partner.pk)
        return _fragment(
            request,
            f"{PAGE}#partner-created",
            {
                "viewer": viewer,
                "partner": partner,
                "partner_form": PartnerForm(trajectory=viewer.trajectory),
            },
        )
    return _part(
        request,
        viewer,
        "partner-add",
        {"partner_form": form},
        title=_("Add a partner"),
        status=form_status(form),
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def partner_edit(request: HtmxHttpRequest, viewer: Viewer, partner_pk: int) -> HttpResponse:
    partner = get_object_in_trajectory(Partner.objects.all(), viewer, pk=partner_pk)
    form = PartnerForm(request.POST or None, instance=partner, trajectory=viewer.trajectory)
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.partner_update(
                partner=partner, seen_version=form.seen_version, **_model_fields(form)
            )
        except StaleEdit as stale:
            form.show_stale(stale)
    if saved is not None:
        partner = saved
        messages.success(request, _("%(name)s has been saved.") % {"name": partner.name})
        if not request.htmx:
            return redirect(_partners_url(viewer, f"partner-{partner.pk}"))
        return _part(request, viewer, "partner-head", {"partner": partner}, title=partner.name)
    return _part(
        request,
        viewer,
        "partner-edit",
        {"partner": partner, "form": form},
        title=_("Edit %(name)s") % {"name": partner.name},
        status=form_status(form),
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def partner_remove(request: HtmxHttpRequest, viewer: Viewer, partner_pk: int) -> HttpResponse:
    partner = get_object_in_trajectory(Partner.objects.all(), viewer, pk=partner_pk)
    if request.method == "POST":
        partner.delete()
        messages.success(request, _("%(name)s has been removed.") % {"name": partner.name})
        if request.htmx:
            return _fragment(request, f"{PAGE}#removed", {"viewer": viewer})
        return redirect(_partners_url(viewer))
    return _part(
        request,
        viewer,
        "confirm",
        {
            "dom_id": f"partner-{partner.pk}",
            "question": _(
                "Remove %(name)s from this trajectory? Its representatives and their invite "
                "links are removed too."
            )
            % {"name": partner.name},
            "action": request.path,
            "cancel": reverse("trajectories:partner_card", args=[viewer.trajectory.pk, partner.pk]),
            "cancel_href": _partners_url(viewer, f"partner-{partner.pk}"),
        },
        title=_("Remove %(name)s") % {"name": partner.name},
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def participant_create(request: HtmxHttpRequest, viewer: Viewer, partner_pk: int) -> HttpResponse:
    partner = get_object_in_trajectory(Partner.objects.all(), viewer, pk=partner_pk)
    form = ParticipantForm(request.POST or None, partner=partner)
    if request.method == "POST" and form.is_valid():
        participant = services.participant_create(
            partner=partner, key=form.submission_key, by=viewer, **_model_fields(form)
        )
        messages.success(request, _("%(name)s has been added.") % {"name": participant.name})
        if not request.htmx:
            return redirect(_partners_url(viewer, f"participant-{participant.pk}"))
        participant = _participant_in(viewer, participant.pk)
        return _fragment(
            request,
            f"{PAGE}#participant-created",
            {"viewer": viewer, "partner": partner, "participant": participant},
        )
    return _part(
        request,
        viewer,
        "participant-add",
        {"partner": partner, "form": form},
        title=_("Add a representative of %(name)s") % {"name": partner.name},
        status=form_status(form),
    )


@require_GET
@trajectory_view(*MEMBERS)
def participant_row(request: HtmxHttpRequest, viewer: Viewer, participant_pk: int) -> HttpResponse:
    participant = _participant_in(viewer, participant_pk)
    if not request.htmx:
        return redirect(_partners_url(viewer, f"participant-{participant.pk}"))
    return render(
        request, f"{PAGE}#participant-row", {"viewer": viewer, "participant": participant}
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def participant_edit(request: HtmxHttpRequest, viewer: Viewer, participant_pk: int) -> HttpResponse:
    participant = _participant_in(viewer, participant_pk)
    form = ParticipantForm(request.POST or None, instance=participant, partner=participant.partner)
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.participant_update(
                participant=participant,
                seen_version=form.seen_version,
                by=viewer,
                **_model_fields(form),
            )
        except StaleEdit as stale:
            form.show_stale(stale)
    if saved is not None:
        participant = saved
        messages.success(request, _("%(name)s has been saved.") % {"name": participant.name})
        if not request.htmx:
            return redirect(_partners_url(viewer, f"participant-{participant.pk}"))
        return _part(
            request, viewer, "participant-row", {"participant": participant}, title=participant.name
        )
    return _part(
        request,
        viewer,
        "participant-edit",
        {"participant": participant, "form": form},
        title=_("Edit %(name)s") % {"name": participant.name},
        status=form_status(form),
    )


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def participant_remove(
    request: HtmxHttpRequest, viewer: Viewer, participant_pk: int
) -> HttpResponse:
    participant = _participant_in(viewer, participant_pk)
    if request.method == "POST":
        services.participant_remove(participant=participant, by=viewer)
        messages.success(request, _("%(name)s has been removed.") % {"name": participant.name})
        if request.htmx:
            return _fragment(request, f"{PAGE}#removed", {"viewer": viewer})
        return redirect(_partners_url(viewer, f"partner-{participant.partner_id}"))
    return _part(
        request,
        viewer,
        "confirm",
        {
            "dom_id": f"participant-{participant.pk}",
            "question": _("Remove %(name)s? Their invite link stops working at once.")
            % {"name": participant.name},
            "action": request.path,
            "cancel": reverse(
                "trajectories:participant_row", args=[viewer.trajectory.pk, participant.pk]
            ),
            "cancel_href": _partners_url(viewer, f"participant-{participant.pk}"),
        },
        title=_("Remove %(name)s") % {"name": participant.name},
    )


# --- invite links, facilitator side ------------------------------------------------------------


def _invite_part(
    request: HtmxHttpRequest,
    viewer: Viewer,
    participant: Participant,
    *,
    token: str | None = None,
    error: str | None = None,
) -> HttpResponse:
    participant = _participant_in(viewer, participant.pk)  # fresh invite state
    context = {
        "participant": participant,
        "token": token,
        "invite_url": services.invite_url(token) if token else "",
        "invite_error": error,
    }
    return _part(
        request,
        viewer,
        "invite-panel",
        context,
        title=_("Invite link for %(name)s") % {"name": participant.name},
    )


@require_POST
@trajectory_view(FACILITATOR)
def invite_issue(request: HtmxHttpRequest, viewer: Viewer, participant_pk: int) -> HttpResponse:
    participant = _participant_in(viewer, participant_pk)
    _link, token = services.invite_issue(participant=participant, by=request.user)
    return _invite_part(request, viewer, participant, token=token)


@require_POST
@trajectory_view(FACILITATOR)
def invite_revoke(request: HtmxHttpRequest, viewer: Viewer, participant_pk: int) -> HttpResponse:
    participant = _participant_in(viewer, participant_pk)
    services.invite_revoke(participant=participant, by=viewer)
    messages.success(
        request, _("The invite link of %(name)s has been revoked.") % {"name": participant.name}
    )
    if not request.htmx:
        return redirect(_partners_url(viewer, f"participant-{participant.pk}"))
    return _invite_part(request, viewer, participant)


@require_POST
@trajectory_view(FACILITATOR)
def invite_mail(request: HtmxHttpRequest, viewer: Viewer, participant_pk: int) -> HttpResponse:
    """Mail the link just shown (`token` posted back), or make a new link and mail that."""
    participant = _participant_in(viewer, participant_pk)
    token = request.POST.get("token", "")
    try:
        if token:
            services.invite_mail(participant=participant, token=token, by=request.user)
        else:
            token = services.invite_send(participant=participant, by=request.user)
    except ValidationError as error:
        # A link just shown stays on screen while it works: nothing the facilitator saw is lost.
        shown = services.invite_current(participant=participant, token=token) and token
        return _invite_part(request, viewer, participant, token=shown, error=error.messages[0])
    messages.success(
        request,
        _("The invite link has been sent to %(email)s.") % {"email": participant.email},
    )
    return _invite_part(request, viewer, participant, token=token)


def _qr_svg(data: str) -> str:
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=20,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


@never_cache
@require_POST
@trajectory_view(FACILITATOR)
def invite_qr(request: HtmxHttpRequest, viewer: Viewer, participant_pk: int) -> HttpResponse:
    """A full-screen QR code of the link just issued (the token is posted back, never in a URL)."""
    participant = _participant_in(viewer, participant_pk)
    token = request.POST.get("token", "")
    if services.invite_current(participant=participant, token=token) is None:
        messages.error(request, _("This link no longer works. Make a new link first."))
        return redirect(_partners_url(viewer, f"participant-{participant.pk}"))
    url = services.invite_url(token)
    response = render(
        request,
        "trajectories/invite_qr.html",
        {"viewer": viewer, "participant": participant, "svg": mark_safe(_qr_svg(url))},
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- operations --------------------------------------------------------------------------------


@never_cache
@require_GET
def healthz(request: HtmxHttpRequest) -> HttpResponse:
    """For container health checks: the app answers and its database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


# --- participants ------------------------------------------------------------------------------


@require_GET
@trajectory_view(PARTICIPANT)
def welcome(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    colleagues = Participant.objects.filter(partner=viewer.partner).order_by("name")
    partners = Partner.objects.filter(trajectory=viewer.trajectory)
    summaries = trajectory_summaries(viewer)
    return render(
        request,
        "trajectories/welcome.html",
        {
            "viewer": viewer,
            "colleagues": colleagues,
            "partners": partners,
            "summaries": summaries,
            "todo": participant_todo(viewer, summaries),
        },
    )


@require_POST
def participant_leave(request: HtmxHttpRequest) -> HttpResponse:
    """End a participant's session on this device (the link itself keeps working)."""
    request.session.pop(SESSION_INVITE_KEY, None)
    request.session.cycle_key()
    request.participant = None
    return render(request, "trajectories/left.html")


def _refuse(request: HtmxHttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "trajectories/invite_refused.html", {"reason": reason}, status=status)


@never_cache
@require_GET
def invite_open(request: HtmxHttpRequest, token: str) -> HttpResponse:
    """Exchange the token for a session, then send the browser to a clean URL without it.

    Refusals: 404 for an unknown token, 410 for a revoked or expired one, 429 once one address
    made too many bad attempts. The token is checked first: a valid link is never refused
    because of other people's bad tries from the same address.
    """
    invite = services.invite_lookup(token)
    if (invite is None or not invite.is_usable) and invite_failures_exceeded(request):
        response = _refuse(request, "rate", 429)
        response["Retry-After"] = str(settings.INVITE_RATE_LIMIT_WINDOW)
    else:
        if invite is None:
            invite_failure_count(request)
            response = _refuse(request, "invalid", 404)
        elif invite.is_revoked:
            invite_failure_count(request)
            response = _refuse(request, "revoked", 410)
        elif invite.is_expired:
            invite_failure_count(request)
            response = _refuse(request, "expired", 410)
        elif invite.participant.partner.trajectory.status == Trajectory.Status.CLOSED:
            response = _refuse(request, "closed", 410)
        else:
            # A new session key: whoever planted a session id before cannot ride along.
            request.session.cycle_key()
            request.session[SESSION_INVITE_KEY] = invite.pk
            invite.last_used_at = timezone.now()
            invite.save(update_fields=["last_used_at"])
            response = redirect("trajectories:welcome", invite.participant.partner.trajectory_id)
            response = language_follow(response, invite.participant.language)
    # The token must reach no other site through the Referer. The redirect carries no forms, so
    # it sends no Referer at all; a refusal page has forms (the language switch, "Link kwijt?"),
    # which browsers would post with `Origin: null` under "no-referrer", and Django's CSRF check
    # refuses those: it keeps the Referer to this site only.
    response["Referrer-Policy"] = "no-referrer" if response.status_code == 302 else "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- retention and privacy (AVG) ---------------------------------------------------------------


def _exports(trajectory: Trajectory) -> list[dict]:
    """The exports a facilitator may want to keep before deleting: each round's interests."""
    from interests.models import InterestRound

    rounds = InterestRound.objects.filter(trajectory=trajectory).order_by("pk")
    return [
        {
            "round": interest_round,
            "csv": reverse("interests:export_csv", args=[trajectory.pk, interest_round.pk]),
            "xlsx": reverse("interests:export_xlsx", args=[trajectory.pk, interest_round.pk]),
        }
        for interest_round in rounds
    ]


@never_cache
@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def trajectory_delete(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    trajectory = viewer.trajectory
    form = TrajectoryDeleteForm(request.POST or None, trajectory=trajectory)
    closed = trajectory.status == Trajectory.Status.CLOSED
    if request.method == "POST" and closed and form.is_valid():
        try:
            retention.trajectory_delete(trajectory=trajectory, typed_name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(
                request,
                _("“%(name)s” has been deleted with everything in it.") % {"name": trajectory.name},
            )
            return redirect("home")
    status = 200
    if request.method == "POST":
        status = form_status(form) if closed else 409
    return render(
        request,
        "trajectories/delete.html",
        {
            "viewer": viewer,
            "form": form,
            "closed": closed,
            "exports": _exports(trajectory),
            "reports_url": reverse("reports:index", args=[trajectory.pk]),
        },
        status=status,
    )


def _my_data_page(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    participant = viewer.participant
    return render(
        request,
        "trajectories/my_data.html",
        {"viewer": viewer, "participant": participant, **participant_data(participant)},
    )


@never_cache
@require_GET
@trajectory_view(PARTICIPANT)
def my_data(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    return _my_data_page(request, viewer)


@never_cache
@require_POST
@trajectory_view(PARTICIPANT)
def removal_request(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    """Answers with the page itself: sending it again (a reload, a double click) records
    nothing new and mails nobody, and the page says the request is in."""
    try:
        retention.removal_request(participant=viewer.participant)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _(
                "Your request has been recorded and sent to the facilitator, who will erase your "
                "details. You can keep using your link until then."
            ),
        )
    viewer.participant.refresh_from_db(fields=["removal_requested_at"])
    return _my_data_page(request, viewer)


@never_cache
@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def participant_erase(
    request: HtmxHttpRequest, viewer: Viewer, participant_pk: int
) -> HttpResponse:
    participant = _participant_in(viewer, participant_pk)
    if request.method == "POST":
        old_name = participant.name
        if retention.participant_erase(participant=participant, by=viewer):
            messages.success(
                request,
                _("%(name)s has been erased. What they wrote stays, without their name.")
                % {"name": old_name},
            )
        else:
            messages.info(request, _("This person had already been erased."))
        return redirect(_partners_url(viewer, f"participant-{participant.pk}"))
    return render(
        request,
        "trajectories/erase.html",
        {
            "viewer": viewer,
            "participant": participant,
            "cancel": _partners_url(viewer, f"participant-{participant.pk}"),
        },
    )

"""A pulse run as a workshop agenda item (kind "pulse"; contract in workshops/agenda_plugins.py).

The participant's phone links to the ordinary answer page and comes back; the projector shows how
many answered and, from three answers on, the profile of the driving forces; the console opens and
closes the pulse. `live_context` takes at most four queries.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from trajectories.access import FACILITATOR, get_object_in_trajectory, trajectory_view
from workshops.models import AgendaItem
from workshops.services import workshop_bump

from . import services
from .charts import profile_svg
from .models import Pulse, Response
from .results import MIN_GROUP, TrajectoryResults
from .views import safe_next


def live_context(item, viewer) -> dict:
    pulse = Pulse.objects.filter(agenda_item=item).first()
    context = {"pulse": pulse, "min_group": MIN_GROUP, "respondents": 0}
    if pulse is None:
        return context
    if viewer.is_participant:
        context["answered"] = Response.objects.filter(
            pulse=pulse, participant=viewer.participant
        ).exists()
        return context
    results = TrajectoryResults(pulse.trajectory_id, pulse_ids=[pulse.pk])
    overall = results.overall(pulse.pk)
    context["respondents"] = overall.respondents
    if overall.visible:
        context["profile_chart"] = profile_svg(
            [(_("Everyone"), overall.means)],
            title=_("Profile of the driving forces: %(pulse)s") % {"pulse": pulse.title},
        )
    return context


@require_POST
@trajectory_view(FACILITATOR)
def pulse_for_item(request, viewer, item_pk):
    """Open (creating it if needed) or close the pulse of a workshop agenda item."""
    item = get_object_in_trajectory(
        AgendaItem.objects.select_related("workshop"),
        viewer,
        trajectory_field="workshop__trajectory",
        pk=item_pk,
        kind=AgendaItem.Kind.PULSE,
    )
    pulse = Pulse.objects.filter(agenda_item=item).first()
    if request.POST.get("action") == "close":
        if pulse is not None:
            services.pulse_close(pulse=pulse)
    elif pulse is None:
        title = item.title
        if Pulse.objects.filter(trajectory=viewer.trajectory, title__iexact=title).exists():
            title = f"{item.title} ({timezone.localdate():%d-%m-%Y} · {item.pk})"
        try:
            pulse = services.pulse_create(
                trajectory=viewer.trajectory, title=title[:120], open_now=True, agenda_item=item
            )
        except IntegrityError:  # a double click created it already
            pulse = Pulse.objects.get(agenda_item=item)
    else:
        services.pulse_open(pulse=pulse)
    workshop_bump(workshop=item.workshop)
    if request.htmx:
        # Every screen follows through the workshop version; the console simply reloads.
        return HttpResponseClientRefresh()
    if pulse is not None:
        messages.success(
            request, _("The pulse is open.") if pulse.is_open else _("The pulse is closed.")
        )
    fallback = (
        reverse("health:pulse_detail", args=[viewer.trajectory.pk, pulse.pk])
        if pulse
        else reverse("health:index", args=[viewer.trajectory.pk])
    )
    return redirect(safe_next(request, fallback))

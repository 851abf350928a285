"""A pulse run as a workshop agenda item (kind "pulse"; contract in workshops/agenda_plugins.py).

The participant's phone links to the ordinary answer page and comes back; the projector shows how
many answered and, from three answers on, the profile of the driving forces; the console opens and
closes the pulse (health.views.pulse_for_item). `live_context` takes at most four queries; when
the workshop closes, `on_workshop_closed` closes its pulse.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import services
from .charts import profile_svg
from .models import Pulse, Response
from .selectors import MIN_GROUP, TrajectoryResults


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


def on_workshop_closed(workshop) -> None:
    """Optional hook, called by workshops' close service: the workshop's pulse closes with it."""
    services.pulses_of_workshop_close(workshop=workshop)

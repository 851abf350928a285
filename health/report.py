"""The health part of the progress report (contract in reports/sections.py).

A manager's report leaves out dismissed findings and every facilitator note; no report ever holds
individual answers or remarks, only aggregates of at least three people.
"""

from django.utils.translation import gettext as _

from .models import InterimChange, Pulse, Risk, Stakeholder
from .selectors import pulse_results, risk_register, stakeholder_register


def progress_section(trajectory, *, audience: str) -> dict | None:
    pulses = list(Pulse.objects.filter(trajectory=trajectory).order_by("created_at", "pk"))
    changes = list(InterimChange.objects.filter(trajectory=trajectory).select_related("partner"))
    risks = list(Risk.objects.filter(trajectory=trajectory).select_related("owner"))
    stakeholders = list(Stakeholder.objects.filter(trajectory=trajectory).select_related("partner"))
    if not (pulses or changes or risks or stakeholders):
        return None
    results = pulse_results(trajectory, audience=audience, pulses=pulses)
    open_risks = sorted(
        (r for r in risks if r.status == Risk.Status.OPEN), key=lambda r: (-r.score, r.pk)
    )
    return {
        **results,
        "audience": audience,
        "show_notes": audience == "facilitator",
        "changes": changes,
        # The grid counts open risks only, so the open ones give the same grid as all of them.
        **risk_register(open_risks),
        **stakeholder_register(stakeholders),
        "title": _("Collaboration health"),
    }

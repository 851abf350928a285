"""What the partner form of a trajectory borrows from here: the known organisations' names."""

from django.utils.translation import gettext_lazy as _

PARTNER_NAME_HELP = _(
    "Organisations from the other trajectories you facilitate are suggested as you type. The "
    "same name and kind link this partner to that organisation, so it is one organisation in "
    "every trajectory."
)


def organisation_names(*, trajectory, limit: int) -> list[str]:
    """The names of the organisations taking part in the trajectories this trajectory's
    facilitators run, once each, alphabetically (one query). Never every organisation in
    Coconnect: which organisations work together elsewhere is not theirs to see."""
    from trajectories.models import Membership

    from .models import Organisation

    facilitators = Membership.objects.filter(
        trajectory=trajectory, role=Membership.Role.FACILITATOR
    ).values("user")
    facilitated = Membership.objects.filter(
        user__in=facilitators, role=Membership.Role.FACILITATOR
    ).values("trajectory")
    known = Organisation.objects.filter(partners__trajectory__in=facilitated)
    return list(known.order_by("name").values_list("name", flat=True).distinct()[:limit])

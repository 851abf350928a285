"""What the partner form of a trajectory borrows from here: the known organisations' names."""

from django.utils.translation import gettext_lazy as _

PARTNER_NAME_HELP = _(
    "Organisations already in Coconnect are suggested as you type. The same name and kind link "
    "this partner to that organisation, so it is one organisation in every trajectory."
)


def organisation_names(*, limit: int) -> list[str]:
    """Every known organisation's name once, alphabetically (one query)."""
    from .models import Organisation

    return list(
        Organisation.objects.order_by("name").values_list("name", flat=True).distinct()[:limit]
    )

"""Follow-up of agreements and action items: what is open, overdue and done, per partner.

Action items are owned by the workshops app; those that follow from an adopted package are
linked to it through improvements.PackageAction. A fixed number of queries, whatever the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from trajectories.models import Partner
from workshops.models import ActionItem, Agreement


@dataclass
class PartnerFollowUp:
    partner: Partner | None
    open: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    done: list = field(default_factory=list)

    @property
    def items(self) -> list:
        return self.overdue + self.open + self.done

    @property
    def counts(self) -> dict:
        return {"open": len(self.open), "overdue": len(self.overdue), "done": len(self.done)}


def owner_partner_id(item) -> int | None:
    """The organisation that owns an action: named directly, or through the person who owns it."""
    if item.owner_partner_id:
        return item.owner_partner_id
    if item.owner_participant_id:
        return item.owner_participant.partner_id
    return None


def action_items(trajectory):
    return ActionItem.objects.filter(trajectory=trajectory).select_related(
        "owner_partner",
        "owner_participant",
        "workshop",
        "improvement_package_link__package",
    )


def follow_up(trajectory, *, partners=None) -> list[PartnerFollowUp]:
    """One group per partner (in name order), then one for items without an owner: 2 queries."""
    partners = list(
        partners if partners is not None else Partner.objects.filter(trajectory=trajectory)
    )
    groups = {p.pk: PartnerFollowUp(partner=p) for p in partners}
    nobody = PartnerFollowUp(partner=None)
    today = timezone.localdate()
    for item in action_items(trajectory).order_by("due_date", "pk"):
        item.owner_org_id = owner_partner_id(item)
        group = groups.get(item.owner_org_id, nobody)
        if item.status == ActionItem.Status.DONE:
            group.done.append(item)
        elif item.status == ActionItem.Status.CANCELLED:
            continue
        elif item.due_date and item.due_date < today:
            group.overdue.append(item)
        else:
            group.open.append(item)
    result = list(groups.values())
    if nobody.items:
        result.append(nobody)
    return result


def totals(groups: list[PartnerFollowUp]) -> dict:
    return {key: sum(g.counts[key] for g in groups) for key in ("open", "overdue", "done")}


def agreements(trajectory):
    return Agreement.objects.filter(trajectory=trajectory).select_related("workshop")

"""Builders for improvement data in tests."""

import datetime

from django.utils import timezone

from improvements import services
from improvements.models import Proposal
from workshops.models import ActionItem


def make_proposal(trajectory, title="Eén intake voor alle partners", *, gains=None, **fields):
    data = services.ProposalData(title=title, **fields)
    if gains:
        data.gains = gains
    proposal, _created = services.proposal_create(
        trajectory=trajectory, data=data, origin=Proposal.Origin.FACILITATOR
    )
    return proposal


def support_all(proposal, partners, stance="supports", mandate="agreed", text=""):
    for partner in partners:
        services.position_take(
            proposal=proposal, partner=partner, stance=stance, text=text, mandate=mandate
        )


def take_position(proposal, partner, stance, *, mandate="agreed", text="", **by):
    """A partner's position on a proposal; `by` names who: participant= or user=."""
    return services.position_take(
        proposal=proposal, partner=partner, stance=stance, text=text, mandate=mandate, **by
    )


def make_package(trajectory, proposals, title="Verbeterpakket 2027"):
    return services.package_create(trajectory=trajectory, title=title, proposals=proposals)


def adopt(package, facilitator):
    return services.package_adopt(package=package, on=timezone.localdate(), user=facilitator)


def make_action(trajectory, partner=None, *, title="Wachtlijst delen", due=None, status="open"):
    return ActionItem.objects.create(
        trajectory=trajectory,
        title=title,
        owner_partner=partner,
        due_date=due,
        status=status,
    )


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)

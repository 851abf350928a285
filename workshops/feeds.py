"""Each person's private calendar feed: the address (make, renew, stop) and what it lists.

A participant's feed lists their own trajectory, an account's the trajectories it is a member
of; a completed or anonymised trajectory drops out, and an erased participant or one without a
usable invite link has no feed. What a feed lists is what that person may see in
the app (`trajectories.access.Viewer`): workshops (not cancelled ones), and as all-day events
the closing day of open interest rounds, the day positions are asked by (proposals, packages
being composed), the day a pulse asks its answers by, and open action items' due dates: for
a participant those of their own organisation, for a member all of the trajectory.

The reads take a fixed number of queries however many trajectories and workshops there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coconnect import mail
from health.models import Pulse
from improvements.models import ImprovementPackage, Proposal
from interests.models import InterestRound
from trajectories.access import PARTICIPANT, Viewer
from trajectories.models import InviteLink, Trajectory

from . import calendar
from .models import ActionItem, AgendaItem, CalendarFeed, Workshop

# Calendar clients ask every hour or so; noting each read once an hour is enough to say
# "last read by your calendar" on the settings page.
READ_NOTE_INTERVAL = timedelta(hours=1)


def _owner(*, participant=None, user=None) -> dict:
    if (participant is None) == (user is None):
        raise ValueError("A feed belongs to a participant or to an account")
    return {"participant": participant} if participant is not None else {"user": user}


def feed_current(*, participant=None, user=None) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.active().filter(**_owner(participant=participant, user=user)).first()
    )


@transaction.atomic
def feed_renew(*, participant=None, user=None) -> CalendarFeed:
    """A new address; the old one (if any) stops at once. Also the first "make an address"."""
    owner = _owner(participant=participant, user=user)
    CalendarFeed.objects.active().filter(**owner).update(revoked_at=timezone.now())
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(**owner, **CalendarFeed.new_fields())
    except IntegrityError:
        # A simultaneous request made one in between: that one is the address now.
        return CalendarFeed.objects.active().get(**owner)


def feed_stop(*, participant=None, user=None) -> bool:
    """Revoke the address; True when there was one."""
    owner = _owner(participant=participant, user=user)
    return bool(CalendarFeed.objects.active().filter(**owner).update(revoked_at=timezone.now()))


# --- reading a feed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedContent:
    name: str
    language: str
    viewers: list[Viewer]


def _open_trajectories(queryset):
    return queryset.exclude(status=Trajectory.Status.CLOSED).filter(anonymised_at__isnull=True)


def feed_for_token(token: str) -> FeedContent:
    """The owner's viewers behind a feed token, or Http404 (unknown, revoked, no access)."""
    if not token or len(token) > 128:
        raise Http404
    feed = (
        CalendarFeed.objects.active()
        .select_related("participant__partner__trajectory", "user")
        .filter(token_hash=CalendarFeed.hash_token(token))
        .first()
    )
    if feed is None:
        raise Http404
    now = timezone.now()
    CalendarFeed.objects.filter(pk=feed.pk).filter(
        Q(last_read_at__isnull=True) | Q(last_read_at__lt=now - READ_NOTE_INTERVAL)
    ).update(last_read_at=now)
    if feed.participant is not None:
        return _participant_content(feed.participant)
    return _account_content(feed.user)


def _participant_content(participant) -> FeedContent:
    trajectory = participant.partner.trajectory
    usable = (
        participant.erased_at is None
        and _open_trajectories(Trajectory.objects.filter(pk=trajectory.pk)).exists()
        # The feed reaches as far as the personal link does (access.participant_invite): when
        # every link is revoked or expired the participant is out of the app, and of the feed.
        and InviteLink.objects.usable().filter(participant=participant).exists()
    )
    if not usable:
        raise Http404
    viewer = Viewer(trajectory=trajectory, role=PARTICIPANT, participant=participant)
    recipient = mail.recipient_for_participant(participant)
    return FeedContent(name=trajectory.name, language=recipient.language, viewers=[viewer])


def _account_content(user) -> FeedContent:
    if not user.is_active:
        raise Http404
    viewers = [
        viewer
        for viewer in Viewer.of_member(user)
        if viewer.trajectory.status != Trajectory.Status.CLOSED
        and viewer.trajectory.anonymised_at is None
    ]
    return FeedContent(
        name="Coconnect", language=mail.recipient_for_user(user).language, viewers=viewers
    )


def feed_entries(viewers: list[Viewer]) -> tuple[list, list[calendar.DueDate]]:
    """(workshop, items) pairs and due dates the viewers may see, in one query per kind."""
    ids = [viewer.trajectory.pk for viewer in viewers]
    names = {viewer.trajectory.pk: viewer.trajectory.name for viewer in viewers}
    as_participant = {v.trajectory.pk: v for v in viewers if v.is_participant}
    members = [pk for pk in ids if pk not in as_participant]

    workshops = [
        (workshop, list(workshop.items.all()))
        for workshop in Workshop.objects.filter(trajectory_id__in=ids)
        .exclude(status=Workshop.Status.CANCELLED)
        .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.order_by("position", "pk")))
        .order_by("starts_at", "pk")
    ]

    due: list[calendar.DueDate] = []

    def add(kind, obj, day, summary, url=""):
        due.append(
            calendar.DueDate(
                uid=calendar.uid_for(kind, obj.pk),
                day=day,
                summary=summary,
                description=names[obj.trajectory_id],
                url=calendar.site_url(url) if url else "",
            )
        )

    # Participants see a round once it is open; members also the one in preparation.
    rounds = InterestRound.objects.filter(closes_on__isnull=False).filter(
        Q(trajectory_id__in=members, status__in=["draft", "open"])
        | Q(trajectory_id__in=list(as_participant), status="open")
    )
    for round in rounds.order_by("closes_on", "pk"):
        summary = _("Interests round closes: %(title)s") % {"title": round.title}
        add("round", round, round.closes_on, summary, round.get_absolute_url())

    proposals = Proposal.objects.filter(trajectory_id__in=ids, positions_due_on__isnull=False)
    for proposal in proposals.order_by("positions_due_on", "pk"):
        summary = _("Positions asked: %(title)s") % {"title": proposal.title}
        add("proposal", proposal, proposal.positions_due_on, summary, proposal.get_absolute_url())

    packages = ImprovementPackage.objects.filter(
        trajectory_id__in=ids,
        positions_due_on__isnull=False,
        status=ImprovementPackage.Status.DRAFT,
    )
    for package in packages.order_by("positions_due_on", "pk"):
        summary = _("Positions asked on the package: %(title)s") % {"title": package.title}
        add("package", package, package.positions_due_on, summary, package.get_absolute_url())

    pulses = Pulse.objects.filter(closes_on__isnull=False).filter(
        Q(trajectory_id__in=members, status__in=["draft", "open"])
        | Q(trajectory_id__in=list(as_participant), status="open")
    )
    for pulse in pulses.order_by("closes_on", "pk"):
        summary = _("Pulse: please answer by today (%(title)s)") % {"title": pulse.title}
        add("pulse", pulse, pulse.closes_on, summary, pulse.get_absolute_url())

    # A participant's: owned by their organisation, or by a colleague (Viewer.may_update_action).
    own_partner = Q()
    for pk, viewer in as_participant.items():
        own_partner |= Q(trajectory_id=pk) & (
            Q(owner_partner_id=viewer.partner_id)
            | Q(owner_participant__partner_id=viewer.partner_id)
        )
    actions = ActionItem.objects.open().filter(due_date__isnull=False)
    actions = actions.filter(Q(trajectory_id__in=members) | own_partner) if ids else actions.none()
    for action in actions.order_by("due_date", "pk"):
        summary = _("Action item due: %(title)s") % {"title": action.title}
        url = (
            reverse("workshops:detail", args=[action.trajectory_id, action.workshop_id])
            if action.workshop_id
            else ""
        )
        add("action", action, action.due_date, summary, url)
    return workshops, due


def feed_ics(content: FeedContent) -> bytes:
    with translation.override(content.language):
        workshops, due = feed_entries(content.viewers)
        return calendar.feed_ics(name=content.name, workshops=workshops, due_dates=due)

"""Knock and admit: joining a workshop from the projector's QR code without a personal link.

Someone in the room picks their organisation and types their name (a knock); the facilitator
admits or turns them away on the console. Admitting makes a new representative of that
organisation with a personal invite link of their own; the browser that knocked then takes that
link's session. Four rules keep this from ever handing out someone else's identity:

- a knock is bound to the browser session that made it: the session keeps a random secret, the
  database only its hash, and only a session presenting the secret learns the knock's outcome or
  takes its session (once);
- admitting always makes a new representative; it never hands over an existing one;
- nothing a knocker types is shown anywhere but on the facilitator's console (escaped) until they
  are admitted, and a knock never bumps the workshop's version (the room is not rung);
- knocks are only taken while the workshop is live or planned for today, expire after
  KNOCK_MINUTES, and are rate-limited per address and per workshop.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from audit.models import AuditEntry
from coconnect import background
from coconnect.once import create_once
from trajectories.access import SESSION_INVITE_KEY
from trajectories.middleware import client_address
from trajectories.models import InviteLink, Participant, Partner, Trajectory, hash_token
from trajectories.services import invite_issue

from . import tasks
from .models import Knock, Workshop

logger = logging.getLogger(__name__)

SESSION_KNOCK_KEY = "coconnect_knock"

# Refused knocks' names and addresses are kept only as long as the console could show them, plus
# a day for questions; admitted ones stay as the record of who let whom in.
KNOCK_KEEP = timedelta(days=1)


class AdmissionError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- when knocking is open --------------------------------------------------------------------


def accepts_knocks(workshop: Workshop, *, trajectory: Trajectory | None = None, now=None) -> bool:
    """Knocks are taken while the workshop runs, and on its day before it starts (people arrive
    early and the facilitator may let them in before starting). Not on other days: a knock needs a
    facilitator who sees the person in the room, and not once the workshop or trajectory closed."""
    if (trajectory or workshop.trajectory).status == Trajectory.Status.CLOSED:
        return False
    if workshop.is_live:
        return True
    today = timezone.localdate(now or timezone.now())
    return workshop.is_planned and timezone.localdate(workshop.starts_at) == today


# --- the knocker's session --------------------------------------------------------------------


def session_knock(session, workshop: Workshop) -> Knock | None:
    """This session's knock for `workshop`, or None; the secret in the session must fit."""
    held = session.get(SESSION_KNOCK_KEY)
    if not isinstance(held, dict) or held.get("workshop") != workshop.pk:
        return None
    secret = held.get("secret")
    if not isinstance(secret, str) or not secret:
        return None
    return (
        Knock.objects.select_related("partner", "participant")
        .filter(pk=held.get("knock"), workshop=workshop, secret_hash=hash_token(secret))
        .first()
    )


def session_forget(session) -> None:
    session.pop(SESSION_KNOCK_KEY, None)


def _session_keep(session, knock: Knock, secret: str) -> None:
    # A new session key: a session id planted in this browser before cannot share the knock.
    session.cycle_key()
    session[SESSION_KNOCK_KEY] = {
        "workshop": knock.workshop_id,
        "knock": knock.pk,
        "secret": secret,
    }


# --- rate limit -------------------------------------------------------------------------------
# Counted in the cache like the invite rate limit (trajectories/middleware.py): per address, so one
# visitor cannot flood a console, and per workshop, so many addresses together cannot either.


def _limit_keys(request, workshop: Workshop) -> list[tuple[str, int]]:
    return [
        (f"knocks:address:{client_address(request)}", settings.KNOCK_LIMIT_PER_ADDRESS),
        (f"knocks:workshop:{workshop.pk}", settings.KNOCK_LIMIT_PER_WORKSHOP),
    ]


def knock_limit_reached(request, workshop: Workshop) -> bool:
    counts = cache.get_many([key for key, _limit in _limit_keys(request, workshop)])
    return any(counts.get(key, 0) >= limit for key, limit in _limit_keys(request, workshop))


def _knock_count(request, workshop: Workshop) -> None:
    for key, _limit in _limit_keys(request, workshop):
        if cache.add(key, 1, settings.KNOCK_LIMIT_WINDOW):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.KNOCK_LIMIT_WINDOW)


# --- knocking ---------------------------------------------------------------------------------


def knock_create(
    *,
    request,
    workshop: Workshop,
    partner: Partner,
    name: str,
    email: str = "",
    key: uuid.UUID | None = None,
) -> Knock:
    """Knock on `workshop`'s door for `partner`; the secret goes into this request's session.

    A double submit (same `key`) finds the first knock and leaves the session as the first submit
    left it. The caller checks `accepts_knocks` and `knock_limit_reached` first (and says why).
    """
    if partner.trajectory_id != workshop.trajectory_id:
        raise AdmissionError(_("Choose one of the organisations shown."))
    secret = secrets.token_urlsafe(32)
    knock, created = create_once(
        Knock,
        key=key,
        scope={"workshop": workshop},
        partner=partner,
        name=name,
        email=email,
        secret_hash=hash_token(secret),
    )
    if created:
        _session_keep(request.session, knock, secret)
        _knock_count(request, workshop)
        _forget_old_knocks()
    return knock


def _forget_old_knocks() -> None:
    Knock.objects.exclude(status=Knock.Status.ADMITTED).filter(
        created_at__lt=timezone.now() - Knock.lifetime() - KNOCK_KEEP
    ).delete()


def knock_claim(*, request, knock: Knock) -> InviteLink | None:
    """The admitted knocker's browser takes the new representative's session, once.

    `knock` comes from `session_knock`, so this session holds its secret. Returns the invite link
    now behind the session, or None (not admitted, already taken, or the link was revoked).
    """
    with transaction.atomic():
        knock = Knock.objects.select_for_update().get(pk=knock.pk)
        if knock.status != Knock.Status.ADMITTED or knock.claimed_at is not None:
            return None
        if knock.participant_id is None:
            return None
        link = InviteLink.objects.usable().filter(participant_id=knock.participant_id).first()
        if link is None:
            return None
        knock.claimed_at = timezone.now()
        knock.save(update_fields=["claimed_at"])
        link.last_used_at = knock.claimed_at
        link.save(update_fields=["last_used_at"])
    session_forget(request.session)
    request.session.cycle_key()
    request.session[SESSION_INVITE_KEY] = link.pk
    return link


# --- the facilitator's decisions --------------------------------------------------------------


def waiting_knocks(workshop: Workshop) -> list[Knock]:
    """The console's waiting list, oldest first, each marked `.name_taken` when a representative
    of the trajectory already has that name (someone may be knocking in another's name). 1 query."""
    same_name = Participant.objects.filter(
        partner__trajectory_id=workshop.trajectory_id, name__iexact=OuterRef("name")
    )
    return list(
        workshop.knocks.waiting()
        .select_related("partner")
        .annotate(name_taken=Exists(same_name))
        .order_by("created_at", "pk")
    )


# How often the console asks for new knocks.
CONSOLE_POLL_SECONDS = 3


def waiting_list(workshop: Workshop, *, trajectory: Trajectory) -> dict:
    """The console's waiting list and a stamp that changes with it (1 query; none when the door
    is shut). `trajectory` is the workshop's, which the caller has at hand."""
    is_open = accepts_knocks(workshop, trajectory=trajectory)
    knocks = waiting_knocks(workshop) if is_open else []
    ids = ",".join(str(knock.pk) for knock in knocks)
    return {
        "knocks": knocks,
        "knocks_open": is_open,
        "knocks_stamp": hashlib.sha256(ids.encode()).hexdigest()[:12],
        "knocks_poll_seconds": CONSOLE_POLL_SECONDS,
    }


def _decide(knock: Knock) -> Knock:
    """The knock locked for a decision; an expired one or a closed door is refused."""
    locked = (
        Knock.objects.select_for_update(of=("self",))
        .select_related("workshop__trajectory")
        .get(pk=knock.pk)
    )
    if locked.is_expired:
        raise AdmissionError(
            _("This request has expired. %(name)s can scan the code again.") % {"name": locked.name}
        )
    return locked


@transaction.atomic
def knock_admit(*, knock: Knock, by) -> Knock:
    """Make the knocker a new representative of the chosen organisation with a personal link.

    Idempotent: admitting an admitted knock changes nothing. The link is mailed after the commit,
    in the background, when the knocker gave an address.
    """
    knock = _decide(knock)
    if knock.status == Knock.Status.ADMITTED:
        return knock
    if knock.status == Knock.Status.TURNED_AWAY:
        raise AdmissionError(_("%(name)s has already been turned away.") % {"name": knock.name})
    if not accepts_knocks(knock.workshop):
        raise AdmissionError(_("This workshop no longer admits people."))
    participant = Participant.objects.create(
        partner_id=knock.partner_id,
        name=knock.name,
        email=knock.email,
        # The facilitator can correct the level on the partner's page; most people at a
        # workshop table are professionals.
        level=Participant.Level.PROFESSIONAL,
    )
    _link, token = invite_issue(participant=participant, by=by)
    knock.status = Knock.Status.ADMITTED
    knock.participant = participant
    knock.decided_at = timezone.now()
    knock.decided_by = by
    knock.save(update_fields=["status", "participant", "decided_at", "decided_by"])
    audit.record(
        trajectory=knock.workshop.trajectory_id,
        action=AuditEntry.Action.KNOCK_ADMITTED,
        by=by,
        subject=knock,
        summary=knock.name,
        workshop=knock.workshop_id,
        participant=participant.pk,
    )
    if participant.email:
        # The clear token stays in this process (a thread, or inline in tests): it never goes
        # through the broker, so it is stored nowhere but in the mail.
        args = (participant.pk, token, getattr(by, "pk", None))
        transaction.on_commit(lambda: background.run_here(tasks.mail_knock_invite, args))
    logger.info("Knock %s admitted as participant %s", knock.pk, participant.pk)
    return knock


@transaction.atomic
def knock_turn_away(*, knock: Knock, by) -> Knock:
    """Idempotent; an admitted knock can no longer be turned away (remove the representative)."""
    knock = _decide(knock)
    if knock.status == Knock.Status.TURNED_AWAY:
        return knock
    if knock.status == Knock.Status.ADMITTED:
        raise AdmissionError(_("%(name)s has already been admitted.") % {"name": knock.name})
    knock.status = Knock.Status.TURNED_AWAY
    knock.decided_at = timezone.now()
    knock.decided_by = by
    knock.save(update_fields=["status", "decided_at", "decided_by"])
    audit.record(
        trajectory=knock.workshop.trajectory_id,
        action=AuditEntry.Action.KNOCK_TURNED_AWAY,
        by=by,
        subject=knock,
        summary=knock.name,
        workshop=knock.workshop_id,
    )
    return knock


def knock_admit_all(*, workshop: Workshop, by) -> int:
    """Admit everyone waiting now; returns how many were admitted."""
    admitted = 0
    for knock in workshop.knocks.waiting().order_by("created_at", "pk"):
        try:
            knock_admit(knock=knock, by=by)
        except AdmissionError:
            continue  # decided by someone else, or expired, in the meantime
        admitted += 1
    return admitted

"""The scheduled mails: daily reminders, weekly digests. Each is idempotent.

Every mail is claimed first: a `MailSent` row for (person, kind, day or week) is inserted inside
the transaction that sends it. A second run finds the row and sends nothing; a simultaneous run
(another worker, beat and `run_due_jobs` at once) blocks on the unique index until the first
commits and then finds it too. A mail server that refuses rolls the claim back, so the next run
tries that person again; the others go on.

The reads take a fixed number of queries (rules.py, digest.py); per recipient the job writes
its claim and sends, with opt-outs prefetched and sign-in links issued in one insert.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from coconnect import mail
from trajectories.models import Membership

from .digest import trajectory_digests
from .models import MailSent
from .rules import active_trajectories, due_items, reachable_participants

logger = logging.getLogger(__name__)


@dataclass
class JobResult:
    sent: list[str] = field(default_factory=list)
    skipped: int = 0  # claimed by an earlier or simultaneous run
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": len(self.sent), "skipped": self.skipped, "failed": len(self.failed)}


class _NotSent(Exception):
    """mail.send declined (no address, opted out): undo the claim."""


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _claim_and_send(result: JobResult, label: str, claim: dict, send) -> None:
    try:
        with transaction.atomic():
            MailSent.objects.create(**claim)
            if not send():
                raise _NotSent
    except IntegrityError:
        result.skipped += 1
    except _NotSent:
        pass
    except mail.MailFailed:
        logger.warning("%s not sent; the next run tries again", label)
        result.failed.append(label)
    else:
        result.sent.append(label)


def _participants(*, wants_digest: bool):
    return list(
        reachable_participants()
        .filter(wants_digest=wants_digest)
        .select_related("partner__trajectory")
        .prefetch_related(mail.opt_outs_prefetch())
        .order_by("pk")
    )


def _participant_mails(
    *, kind: str, template: str, period: datetime.date, today: datetime.date, everything: bool
) -> JobResult:
    result = JobResult()
    participants = _participants(wants_digest=kind == mail.Kind.DIGEST)
    recipients = {p.pk: mail.recipient_for_participant(p) for p in participants}
    participants = [p for p in participants if mail.wants(recipients[p.pk], kind)]
    items = due_items(participants, today=today, everything=everything)
    claimed = set(
        MailSent.objects.filter(kind=kind, period=period).values_list("participant_id", flat=True)
    )
    to_send = [p for p in participants if p.pk in items and p.pk not in claimed]
    result.skipped += sum(1 for p in participants if p.pk in items and p.pk in claimed)
    sign_in_urls = mail.sign_in_urls_issue(to_send)
    for participant in to_send:
        trajectory = participant.partner.trajectory
        listed = items[participant.pk]
        _claim_and_send(
            result,
            f"{kind} participant {participant.pk}",
            {
                "kind": kind,
                "period": period,
                "participant": participant,
                "trajectory": trajectory,
                "items": [item.key for item in listed],
            },
            lambda participant=participant, trajectory=trajectory, listed=listed: mail.send(
                recipients[participant.pk],
                kind=kind,
                template=template,
                context={
                    "participant": participant,
                    "trajectory": trajectory,
                    "partner": participant.partner,
                    "items": listed,
                    "today": today,
                    "site_url": settings.SITE_URL,
                },
                sign_in_url=sign_in_urls[participant.pk],
            ),
        )
    return result


def reminders_send(*, today: datetime.date | None = None) -> JobResult:
    """The daily run: one reminder per participant who has something due today (rules.py)."""
    today = today or timezone.localdate()
    return _participant_mails(
        kind=mail.Kind.REMINDER,
        template="reminders/mail/reminder",
        period=today,
        today=today,
        everything=False,
    )


def participant_digests_send(*, today: datetime.date | None = None) -> JobResult:
    """The weekly run for participants who chose a digest: all open work of their organisation,
    once per week (period: that week's Monday), only when there is any."""
    today = today or timezone.localdate()
    return _participant_mails(
        kind=mail.Kind.DIGEST,
        template="reminders/mail/digest",
        period=week_start(today),
        today=today,
        everything=True,
    )


def facilitator_digests_send(*, today: datetime.date | None = None) -> JobResult:
    """The weekly digest per trajectory to each of its facilitators who keeps it on; none for a
    week without changes and with nothing open or overdue."""
    today = today or timezone.localdate()
    period = week_start(today)
    result = JobResult()
    memberships = list(
        Membership.objects.filter(
            role=Membership.Role.FACILITATOR,
            weekly_digest=True,
            trajectory__in=active_trajectories(),
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("trajectory", "user__account_preferences")
        .prefetch_related(Prefetch("user__mail_opt_outs", to_attr="prefetched_mail_opt_outs"))
        .order_by("trajectory_id", "user_id")
    )
    claimed = set(
        MailSent.objects.filter(kind=mail.Kind.WEEKLY, period=period).values_list(
            "user_id", "trajectory_id"
        )
    )
    todo = [m for m in memberships if (m.user_id, m.trajectory_id) not in claimed]
    result.skipped += len(memberships) - len(todo)
    digests = trajectory_digests({m.trajectory for m in todo}, today=today)
    for membership in todo:
        recipient = mail.recipient_for_user(membership.user)
        digest = digests[membership.trajectory_id]
        if digest.is_quiet:
            continue  # a week without news or anything open: no mail about nothing
        _claim_and_send(
            result,
            f"weekly user {membership.user_id} trajectory {membership.trajectory_id}",
            {
                "kind": mail.Kind.WEEKLY,
                "period": period,
                "user": membership.user,
                "trajectory": membership.trajectory,
            },
            lambda recipient=recipient, digest=digest, membership=membership: mail.send(
                recipient,
                kind=mail.Kind.WEEKLY,
                template="reminders/mail/weekly",
                context={
                    "digest": digest,
                    "trajectory": membership.trajectory,
                    "today": today,
                    "since": today - datetime.timedelta(days=7),
                    "site_url": settings.SITE_URL,
                },
            ),
        )
    return result

"""Writing the audit log.

    record(*, trajectory, action, by=None, partner=None, subject=None, summary="", **details)
        -> AuditEntry

`by` is a `Viewer`, a user, a `Participant` or None (the system, e.g. the retention job).
`partner` defaults to the subject's partner (`subject.partner_id`), then a participant actor's
own. `subject` is any model instance (stored as "app_label.model" + pk). `summary` is a short
line in the site's language; it names a person only when the subject is a person. `details`
must be JSON-serialisable ids, codes and dates: never names or addresses, so anonymising only
has to look at `actor_label` and `summary`.

Call it inside the service's transaction, after the change it records, and only when the change
happened (a double submit that changed nothing records nothing).

    anonymise(*, trajectory, participant=None, user=None) -> int
        Retention (whole trajectory) and erasure (one person): names leave `actor_label`, and
        `summary` where the subject was a person. The only update the log allows.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from trajectories.models import Membership, Participant

from .models import AuditEntry

Action = AuditEntry.Action

# Subjects that are people: their entries' summary names them.
PERSON_SUBJECTS = {"trajectories.participant", "trajectories.membership", "workshops.knock"}

# Transaction-local PostgreSQL settings the trigger reads (migration 0002).
PURGE_SETTING = "coconnect.audit_purge"
ANONYMISE_SETTING = "coconnect.audit_anonymise"


def _user_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _role_label(role: str) -> str:
    if role == "participant":
        return _("Representative")
    if role in Membership.Role.values:
        return str(Membership.Role(role).label)
    return ""


def _actor(trajectory, by) -> dict:
    """Who acted, as fields: the account or representative, role, and a label for the record."""
    from trajectories.access import Viewer

    if by is None:
        return {"actor_label": _("System")}
    if isinstance(by, Viewer):
        if by.participant is not None:
            by = by.participant
        else:
            role = by.role
            name = _user_name(by.user) if by.user is not None else ""
            return {
                "actor": by.user,
                "actor_role": role,
                "actor_label": f"{_role_label(role)} {name}".strip(),
            }
    if isinstance(by, Participant):
        return {
            "participant": by,
            "actor_role": "participant",
            "actor_label": f"{_role_label('participant')} {by.name}",
        }
    role = (
        Membership.objects.filter(trajectory=trajectory, user=by)
        .values_list("role", flat=True)
        .first()
        or ""
    )
    return {
        "actor": by,
        "actor_role": role,
        "actor_label": f"{_role_label(role)} {_user_name(by)}".strip(),
    }


def record(
    *,
    trajectory,
    action: str,
    by=None,
    partner=None,
    subject: models.Model | None = None,
    summary: str = "",
    **details,
) -> AuditEntry:
    """Append one entry to the trajectory's log (see the module docstring)."""
    # The record is kept in the site's language, whoever's browser caused it.
    with translation.override(settings.LANGUAGE_CODE):
        actor = _actor(trajectory, by)
        summary = str(summary)  # a lazy string, too, in the site's language
    partner_id = partner.pk if partner is not None else None
    if partner_id is None and subject is not None:
        partner_id = getattr(subject, "partner_id", None)
    if partner_id is None and actor.get("participant") is not None:
        partner_id = actor["participant"].partner_id
    fields = {}
    if subject is not None:
        fields = {
            "subject_type": f"{subject._meta.app_label}.{subject._meta.model_name}",
            "subject_id": subject.pk,
        }
    return AuditEntry.objects.create(
        trajectory_id=getattr(trajectory, "pk", trajectory),
        action=action,
        partner_id=partner_id,
        summary=summary[: AuditEntry._meta.get_field("summary").max_length],
        details=details,
        **fields,
        **actor,
    )


# --- the two doors (see audit/models.py) -------------------------------------------------------


def _open(setting: str, trajectory_id: int) -> None:
    """Let the trigger accept this trajectory's rows for the rest of the transaction."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config(%s, concat_ws(',', nullif(current_setting(%s, true), ''), %s),"
            " true)",
            [setting, setting, str(trajectory_id)],
        )


def allow_purge(trajectory_id: int) -> None:
    """The trajectory is being deleted in this transaction: its entries may go with it."""
    _open(PURGE_SETTING, trajectory_id)


@contextmanager
def _anonymising(trajectory_id: int):
    with transaction.atomic():
        _open(ANONYMISE_SETTING, trajectory_id)
        yield


@transaction.atomic
def anonymise(*, trajectory, participant=None, user=None) -> int:
    """Drop names from the trajectory's entries (all of them, or one person's). Returns the count.

    The actor keeps their role; a summary about a person becomes the action alone. Ids of
    accounts and representatives stay until those rows are deleted (SET_NULL then clears them).
    """
    entries = AuditEntry.objects.filter(trajectory=trajectory)
    if participant is not None or user is not None:
        about = models.Q()
        if participant is not None:
            about |= models.Q(participant=participant) | models.Q(
                subject_type="trajectories.participant", subject_id=participant.pk
            )
        if user is not None:
            memberships = Membership.objects.filter(trajectory=trajectory, user=user)
            about |= models.Q(actor=user) | models.Q(
                subject_type="trajectories.membership",
                subject_id__in=memberships.values("pk"),
            )
        entries = entries.filter(about)
    changed = 0
    with (
        _anonymising(getattr(trajectory, "pk", trajectory)),
        translation.override(settings.LANGUAGE_CODE),
    ):
        for entry in entries.only("pk", "actor_role", "actor_label", "summary", "subject_type"):
            label = _role_label(entry.actor_role) or (_("System") if not entry.actor_role else "")
            summary = entry.summary
            if entry.subject_type in PERSON_SUBJECTS:
                summary = ""
            if (label, summary) == (entry.actor_label, entry.summary):
                continue
            # The queryset refuses update(); this is the one sanctioned change.
            models.QuerySet.update(
                AuditEntry.objects.filter(pk=entry.pk), actor_label=label, summary=summary
            )
            changed += 1
    return changed

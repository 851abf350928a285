"""The trajectory-wide audit log: who did what significant thing, and when. Append-only.

An entry is never changed or removed one by one: `save()` of a stored entry, `delete()`, and
the queryset's `update()`/`delete()` raise, the admin is read-only, and on PostgreSQL a trigger
(migration 0002) refuses UPDATE and DELETE from any client. Two doors stay open, each only while
the transaction says so through a transaction-local setting (audit/services.py):
- deleting a trajectory takes its log along (the facilitator's typed-confirmation delete, after
  the dossier export has carried the log out), see `signals.py`;
- retention and erasure anonymise the names kept in `actor_label` and `summary`.
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectories.models import Participant, Partner, Trajectory


class AppendOnlyError(Exception):
    """An audit entry was about to be changed or removed."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries are never changed.")

    def delete(self):
        # A trajectory's deletion removes its entries through the collector's raw delete, which
        # does not pass here (see the module docstring).
        raise AppendOnlyError("Audit entries are never removed.")

    def for_trajectory(self, trajectory):
        return self.filter(trajectory=trajectory)


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        INVITE_ISSUED = "invite_issued", _("Invite link issued")
        INVITE_MAILED = "invite_mailed", _("Invite link mailed")
        INVITE_REVOKED = "invite_revoked", _("Invite link revoked")
        KNOCK_ADMITTED = "knock_admitted", _("Knock admitted")
        KNOCK_TURNED_AWAY = "knock_turned_away", _("Knock turned away")
        ROUND_OPENED = "round_opened", _("Round opened")
        ROUND_CLOSED = "round_closed", _("Round closed")
        INTERESTS_REVEALED = "interests_revealed", _("Interests revealed")
        TIER_CHANGED = "tier_changed", _("Tier made more open")
        INTEREST_EDITED = "interest_edited", _("Interest edited")
        LINK_REMOVED = "link_removed", _("Link between interests removed")
        POSITION_TAKEN = "position_taken", _("Position taken")
        POSITION_CHANGED = "position_changed", _("Position changed")
        PACKAGE_ADOPTED = "package_adopted", _("Package adopted")
        EXPORT_DOWNLOADED = "export_downloaded", _("Export downloaded")
        REPORT_DOWNLOADED = "report_downloaded", _("Report downloaded")
        MEMBER_ADDED = "member_added", _("Member added")
        MEMBER_REMOVED = "member_removed", _("Member removed")
        MEMBER_ROLE_CHANGED = "member_role_changed", _("Member's role changed")
        REPRESENTATIVE_ADDED = "representative_added", _("Representative added")
        REPRESENTATIVE_CHANGED = "representative_changed", _("Representative changed")
        REPRESENTATIVE_REMOVED = "representative_removed", _("Representative removed")
        RETENTION_APPLIED = "retention_applied", _("Retention period applied")
        PERSON_ERASED = "person_erased", _("Person erased")

    # CASCADE, not PROTECT: a facilitator may delete a closed trajectory (after exporting the
    # dossier, which contains this log); PROTECT would make that impossible once anything was
    # logged. Retention anonymises instead of deleting, so expiry never takes the log away. The
    # PostgreSQL trigger lets a DELETE through only inside the transaction deleting the trajectory.
    trajectory = models.ForeignKey(
        Trajectory,
        on_delete=models.CASCADE,
        related_name="audit_entries",
        verbose_name=_("trajectory"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by (account)"),
    )
    participant = models.ForeignKey(
        Participant,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by (representative)"),
    )
    # The actor's role in the trajectory (facilitator, manager, participant; empty for the system)
    # and their role and name as they were at the time: accounts and representatives change or
    # disappear, the record stays readable. Anonymising keeps the role, drops the name.
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    # The actor as they were at the time (role and name): accounts and representatives change
    # or disappear, the record stays readable.
    actor_label = models.CharField(_("by"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action)
    partner = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("partner"),
    )
    subject_type = models.CharField(_("subject type"), max_length=60, blank=True)
    subject_id = models.PositiveBigIntegerField(_("subject id"), null=True, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [
            # The log page: one trajectory, newest first, optionally one action or partner.
            models.Index(fields=["trajectory", "-at", "-id"], name="audit_entry_trajectory_at"),
            models.Index(fields=["trajectory", "action"], name="audit_entry_trajectory_action"),
            models.Index(fields=["subject_type", "subject_id"], name="audit_entry_subject"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are never removed.")

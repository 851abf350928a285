"""The sent-log: which reminder or digest went to whom for which day or week.

A job claims the row (unique per person, kind and period) inside its transaction before it sends;
a second run, or a simultaneous one on another process, fails to claim it and sends nothing. When
the mail server refuses, the transaction rolls back and the next run tries again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coconnect.mail import Kind
from trajectories.models import Participant, Trajectory


class MailSent(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # The day of a daily reminder, the Monday of a weekly digest.
    period = models.DateField(_("period"))
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    # A facilitator gets one weekly digest per trajectory; a participant belongs to one anyway.
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="+")
    # What the mail listed, for support questions ("why did I get this?"): kinds and ids only.
    items = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mail sent")
        verbose_name_plural = _("mails sent")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind", "period"],
                condition=Q(participant__isnull=False),
                name="reminders_mailsent_once_per_participant",
            ),
            models.UniqueConstraint(
                fields=["user", "trajectory", "kind", "period"],
                condition=Q(user__isnull=False),
                name="reminders_mailsent_once_per_account",
            ),
            models.CheckConstraint(
                condition=Q(participant__isnull=True) ^ Q(user__isnull=True),
                name="reminders_mailsent_one_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.period} → {self.participant_id or self.user_id}"

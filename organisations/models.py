"""An organisation exists once; each trajectory's partner points to it (seed 003: a municipality
and its many collaborations). Its coordinators read its portfolio across those trajectories."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trajectories.models import Partner


class Organisation(models.Model):
    name = models.CharField(_("organisation name"), max_length=200)
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=Partner.Kind)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "pk"]
        # No unique name: two different organisations may carry one name (a split in the admin
        # makes exactly that); partners are matched by name and kind only when they are created.

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisations:portfolio", args=[self.pk])


class Coordinator(models.Model):
    """A person who reads the organisation's portfolio: an account, never a writer."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="coordinators",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinations",
        verbose_name=_("user"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        ordering = ["organisation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="organisations_coordinator_once"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation}"

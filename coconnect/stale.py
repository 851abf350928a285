"""Stale edits: one version field, one form mixin, one locked check in the service.

Two people may open the same record and both save. The form carries the version it was loaded
with; the service locks the row, compares, and refuses with `StaleEdit` when someone saved in
between, so the second save never silently overwrites the first. The view re-renders the form
with the user's own text and the current version, so a second save is a knowing overwrite.

    class Risk(Versioned): ...

    class RiskForm(VersionFormMixin, forms.ModelForm): ...

    @transaction.atomic
    def risk_update(*, risk, seen_version, **changes):
        risk = lock_current(Risk.objects.all(), pk=risk.pk, seen_version=seen_version)
        ...set fields...
        save_new_version(risk, fields=[...])

    try:
        services.risk_update(risk=risk, seen_version=form.seen_version, ...)
    except StaleEdit as stale:
        form.show_stale(stale)
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """Abstract model: a counter that every saved edit raises by one."""

    # db_default as well: rows written by code that predates the column (an old process during
    # a deploy, a historical model in a data migration) still start at version 1.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        abstract = True


class StaleEdit(Exception):
    """Someone saved the record after the form was loaded; `current` is the saved row."""

    message = _(
        "Someone else saved this while you were editing. Your text is kept below: compare it "
        "with the saved version and save again."
    )

    def __init__(self, current: models.Model):
        super().__init__(str(self.message))
        self.current = current


def lock_current(queryset: models.QuerySet, *, seen_version: int | None, **lookup):
    """Lock the row (inside a transaction) and refuse when it moved past `seen_version`."""
    current = queryset.select_for_update().get(**lookup)
    if seen_version is not None and seen_version != current.version:
        raise StaleEdit(current)
    return current


def save_new_version(instance: Versioned, *, fields: list[str] | None = None) -> None:
    """Save the edit and raise the version; the instance carries the new number afterwards."""
    instance.version = F("version") + 1
    if fields is None:
        instance.save()
    else:
        instance.save(update_fields=[*fields, "version"])
    instance.refresh_from_db(fields=["version"])


class VersionFormMixin:
    """Form mixin: a hidden `version`, taken from the instance (or `initial`) when first shown."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=1
        )
        instance = getattr(self, "instance", None)
        if not self.is_bound and instance is not None and instance.pk:
            self.initial["version"] = instance.version

    @property
    def seen_version(self) -> int | None:
        return self.cleaned_data.get("version")

    def show_stale(self, stale: StaleEdit) -> None:
        """Keep the user's text, say what happened, and let the next save overwrite knowingly."""
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = stale.current.version
        self.add_error(None, forms.ValidationError(StaleEdit.message, code="stale"))

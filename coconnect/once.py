"""Double submits: one hidden key, one conditional unique constraint, one helper.

Every form that creates something carries a random `submission_key` (a hidden field, filled when
the form is first shown). The model keeps the key, and a unique constraint on (scope, key) lets
the database itself refuse a second row for the same submit, also when two requests arrive at
the same moment. `create_once` turns that refusal into "here is the row the first submit made".

    class Agreement(SubmittedOnce):
        ...
        class Meta:
            constraints = [once_constraint("workshops_agreement", "workshop")]

    class AgreementForm(SubmissionKeyMixin, forms.ModelForm): ...

    agreement, created = create_once(
        Agreement, key=form.submission_key, scope={"workshop": workshop}, text=text
    )
"""

from __future__ import annotations

import uuid

from django import forms
from django.db import IntegrityError, models, transaction
from django.db.models import Q


class SubmittedOnce(models.Model):
    """Abstract model: rows made by a form remember the submit that made them."""

    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def once_constraint(name_prefix: str, *scope: str) -> models.UniqueConstraint:
    """The database guard: one row per (scope, submission key); rows without a key are free."""
    return models.UniqueConstraint(
        fields=[*scope, "submission_key"],
        condition=Q(submission_key__isnull=False),
        name=f"{name_prefix}_once_per_submit",
    )


class SubmissionKeyMixin:
    """Form mixin: a hidden `submission_key`, new for every form shown, kept on a re-render."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_key"] = forms.UUIDField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    @property
    def submission_key(self) -> uuid.UUID | None:
        return self.cleaned_data.get("submission_key")


def create_once(model: type[models.Model], *, key: uuid.UUID | None, scope: dict, **fields):
    """Create a row, or return the one an earlier submit with the same key made.

    Returns (row, created). Callers run side effects (a version bump, a task, a mail) only when
    `created`. Without a key (an old page, a script) every call creates.
    """
    if key is None:
        return model.objects.create(**scope, **fields), True
    earlier = model.objects.filter(**scope, submission_key=key).first()
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            return model.objects.create(**scope, submission_key=key, **fields), True
    except IntegrityError:
        # A simultaneous request with the same key won the race; it has committed by now.
        earlier = model.objects.filter(**scope, submission_key=key).first()
        if earlier is None:
            raise
        return earlier, False

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coconnect.forms import Form


def closing_date_field(label=None) -> forms.DateField:
    return forms.DateField(
        label=label or _("Closing date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Participants get a reminder two days before. Leave empty for no date."),
    )


def check_closing_date(value: datetime.date | None, *, current: datetime.date | None = None):
    """A new closing date lies today or later; a date that was set before and passed may stay."""
    if value is not None and value < timezone.localdate() and value != current:
        raise forms.ValidationError(
            _("Choose today or a later day: a closing date cannot lie in the past."),
            code="past",
        )
    return value


class DeadlineForm(Form):
    due_on = closing_date_field()

    def __init__(self, *args, current: datetime.date | None = None, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        if label:
            self.fields["due_on"].label = label

    def clean_due_on(self):
        return check_closing_date(self.cleaned_data.get("due_on"), current=self.current)

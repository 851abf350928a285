import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coconnect.forms import Form
from trajectories.models import Partner

from .models import AuditEntry


class LogFilterForm(Form):
    """The log page's filters: a GET form, so a filtered page has its own address."""

    action = forms.ChoiceField(
        # A context: other apps translate "Action" as an action item (actiepunt).
        label=pgettext_lazy("audit log", "Action"),
        required=False,
        choices=[("", pgettext_lazy("audit log", "All actions")), *AuditEntry.Action.choices],
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        required=False,
        queryset=Partner.objects.none(),
        empty_label=_("All partners"),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        # Another trajectory's partner id is "not one of the available choices", never a filter.
        self.fields["partner"].queryset = Partner.objects.filter(trajectory=trajectory).only("name")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data

    def filters(self) -> dict:
        """Lookups for `AuditEntry` from the valid filters (a day runs in the site's time zone)."""
        data = self.cleaned_data
        lookups = {}
        if data.get("action"):
            lookups["action"] = data["action"]
        if data.get("partner"):
            lookups["partner"] = data["partner"]
        if data.get("date_from"):
            lookups["at__gte"] = _day_start(data["date_from"])
        if data.get("date_to"):
            lookups["at__lt"] = _day_start(data["date_to"] + datetime.timedelta(days=1))
        return lookups


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from coconnect.forms import Form
from coconnect.once import SubmissionKeyMixin
from workshops.models import Workshop

from .models import Report


class ReportOrderForm(SubmissionKeyMixin, Form):
    """What a member may order: managers a progress report for managers, facilitators anything."""

    # The dossier is ordered with its own button (DossierOrderForm), not as a PDF report.
    kind = forms.ChoiceField(
        label=_("Report"),
        # The dossier has a form of its own; a portfolio is ordered from the organisation's page.
        choices=[
            (k, label)
            for k, label in Report.Kind.choices
            if k not in (Report.Kind.DOSSIER, Report.Kind.PORTFOLIO)
        ],
        widget=forms.RadioSelect,
    )
    workshop = forms.ModelChoiceField(
        label=_("Workshop"),
        queryset=Workshop.objects.none(),
        required=False,
        empty_label=_("Choose a workshop"),
        help_text=_("Only for a session report."),
    )
    language = forms.ChoiceField(
        label=_("Language of the report"), choices=Report.Language.choices, widget=forms.RadioSelect
    )
    audience = forms.ChoiceField(
        label=_("Edition"),
        choices=Report.Audience.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The edition for managers leaves out everything partners shared with the facilitator "
            "only."
        ),
    )

    def __init__(self, *args, viewer, **kwargs):
        language = get_language() if get_language() in Report.Language.values else "nl"
        audiences = viewer.report_audiences
        kwargs["initial"] = {
            "kind": Report.Kind.PROGRESS,
            "language": language,
            # The fullest edition this viewer may read.
            "audience": audiences[0] if audiences else None,
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        self.fields["audience"].choices = [
            choice for choice in Report.Audience.choices if choice[0] in audiences
        ]
        if viewer.may_order_session_reports:
            self.fields["workshop"].queryset = Workshop.objects.filter(
                trajectory=viewer.trajectory
            ).order_by("-starts_at", "-pk")
        else:
            # A manager reads: the progress report in the managers' edition is all there is.
            for name in ("kind", "workshop", "audience"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        if not self.viewer.may_order_session_reports:
            data["kind"] = Report.Kind.PROGRESS
            data["audience"] = self.viewer.report_audiences[0]
            data["workshop"] = None
            return data
        if data.get("kind") == Report.Kind.SESSION and not data.get("workshop"):
            self.add_error("workshop", _("Choose the workshop this session report is about."))
        if data.get("kind") == Report.Kind.PROGRESS:
            data["workshop"] = None
        return data


class DossierOrderForm(SubmissionKeyMixin, Form):
    """The facilitator orders the trajectory's dossier (a ZIP) in one of its two editions."""

    edition = forms.ChoiceField(
        label=_("Edition"), choices=Report.Edition.choices, initial=Report.Edition.SHARED
    )

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from coconnect.forms import Form
from coconnect.once import SubmissionKeyMixin
from reports.models import Report

User = get_user_model()


class CoordinatorInviteForm(Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=User._meta.get_field("first_name").max_length
        + User._meta.get_field("last_name").max_length,
        help_text=_("As the coordinator is addressed in the mail and seen by facilitators."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=User._meta.get_field("email").max_length,
        help_text=_("Without an account yet? We create one and send a link to choose a password."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, organisation, **kwargs):
        self.organisation = organisation
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"].strip())
        if (
            self.organisation is not None
            and self.organisation.coordinators.filter(user__email__iexact=email).exists()
        ):
            raise forms.ValidationError(
                _("This person is already a coordinator of %(organisation)s.")
                % {"organisation": self.organisation.name}
            )
        return email


class PortfolioReportForm(SubmissionKeyMixin, Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=Report.Language.choices, initial=Report.Language.DUTCH
    )

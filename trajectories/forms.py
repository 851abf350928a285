import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from coconnect import mail
from coconnect.forms import Form, ModelForm
from coconnect.once import SubmissionKeyMixin
from coconnect.stale import VersionFormMixin
from organisations.naming import PARTNER_NAME_HELP, organisation_names

from .models import Membership, Participant, Partner, Trajectory


class _OncePerSubmit(SubmissionKeyMixin):
    """The double-submit key, and name checks that do not count the row this submit made."""

    def others(self, queryset):
        """`queryset` without this form's own row: the instance, or what a double submit made."""
        queryset = queryset.exclude(pk=self.instance.pk)
        try:
            key = uuid.UUID(str(self.data.get(self.add_prefix("submission_key"), "")))
        except ValueError:
            return queryset
        return queryset.exclude(submission_key=key)


class TrajectoryForm(_OncePerSubmit, VersionFormMixin, ModelForm):
    class Meta:
        model = Trajectory
        fields = ["name", "task", "goals", "occasion", "phase", "status", "retention_months"]
        widgets = {
            "task": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "task": _("The shared task the partners want to work on together."),
            "goals": _("What should be different when the trajectory is done? One goal per line."),
            "occasion": _("Why was a facilitator called in?"),
        }

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A new trajectory always starts active; the status is changed later.
            del self.fields["status"]
            del self.fields["retention_months"]
        elif self.is_bound and self.add_prefix("retention_months") not in self.data:
            # A settings page opened before the field existed: keep the current period.
            self.data = self.data.copy()
            self.data[self.add_prefix("retention_months")] = self.instance.retention_months

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if self.user is not None:
            mine = self.others(
                Trajectory.objects.filter(memberships__user=self.user, name__iexact=name)
            )
            if mine.exists():
                raise forms.ValidationError(
                    _("You already have a trajectory with this name. Choose another name.")
                )
        return name


ORGANISATION_NAMES_ID = "organisation-names"
ORGANISATION_NAMES_MAX = 1000


class PartnerForm(_OncePerSubmit, VersionFormMixin, ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind"]

    def __init__(self, *args, trajectory, **kwargs):
        self.trajectory = trajectory
        instance = kwargs.get("instance")
        # Several forms share one page: give each its own element ids.
        kwargs.setdefault("auto_id", f"partner-{instance.pk}-%s" if instance else "new-partner-%s")
        super().__init__(*args, **kwargs)
        # Required and preselected: an empty option would only offer an error.
        self.fields["kind"].choices = Partner.Kind.choices
        self.fields["kind"].initial = Partner.Kind.MUNICIPALITY
        if instance is None:
            # Organisations already known are offered first (a datalist on the name): the same
            # name and kind link the new partner to that organisation (organisations/).
            self.fields["name"].widget.attrs["list"] = ORGANISATION_NAMES_ID
            self.fields["name"].help_text = PARTNER_NAME_HELP

    @property
    def organisation_names(self) -> list[str]:
        """The suggestions for a new partner's name: the organisations of the trajectories its
        facilitators run, by name."""
        return organisation_names(trajectory=self.trajectory, limit=ORGANISATION_NAMES_MAX)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = self.others(Partner.objects.filter(trajectory=self.trajectory, name__iexact=name))
        if taken.exists():
            raise forms.ValidationError(
                _("An organisation with this name already takes part in this trajectory.")
            )
        return name


class ParticipantForm(_OncePerSubmit, VersionFormMixin, ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "email", "level", "mandate", "language"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "email": _("Used for the personal invite link, sign-in links and reminders."),
        }

    def __init__(self, *args, partner, **kwargs):
        self.partner = partner
        instance = kwargs.get("instance")
        kwargs.setdefault(
            "auto_id",
            f"participant-{instance.pk}-%s" if instance else f"partner-{partner.pk}-new-%s",
        )
        super().__init__(*args, **kwargs)
        if self.is_bound and self.add_prefix("language") not in self.data:
            # A form opened before the field existed (a deploy in between): keep the language.
            self.data = self.data.copy()
            self.data[self.add_prefix("language")] = self.instance.language

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = self.others(Participant.objects.filter(partner=self.partner, name__iexact=name))
        if taken.exists():
            raise forms.ValidationError(
                _("%(partner)s already has a representative with this name.")
                % {"partner": self.partner.name}
            )
        return name


class MemberAddForm(Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=get_user_model()._meta.get_field("email").max_length,
        help_text=_("Without an account yet? We create one and send a link to choose a password."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MANAGER
    )

    def __init__(self, *args, trajectory, **kwargs):
        self.trajectory = trajectory
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = get_user_model().objects.normalize_email(self.cleaned_data["email"].strip())
        if Membership.objects.filter(
            trajectory=self.trajectory, user__email__iexact=email
        ).exists():
            raise forms.ValidationError(_("This person is already a member of this trajectory."))
        return email


class TrajectoryDeleteForm(Form):
    """Deleting a trajectory is confirmed by typing its name (retention.trajectory_delete)."""

    name = forms.CharField(
        label=_("Type the name of the trajectory to confirm"),
        max_length=Trajectory._meta.get_field("name").max_length,
    )

    def __init__(self, *args, trajectory, **kwargs):
        self.trajectory = trajectory
        super().__init__(*args, **kwargs)

    def clean_name(self):
        typed = self.cleaned_data["name"]
        if " ".join(typed.split()).casefold() != " ".join(self.trajectory.name.split()).casefold():
            raise forms.ValidationError(
                _("The name you typed is not this trajectory's name. Nothing has been deleted.")
            )
        return typed


class LostLinkForm(SubmissionKeyMixin, Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("The address your facilitator used to invite you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def _mail_field(kind, wanted: bool) -> forms.BooleanField:
    return forms.BooleanField(label=kind.label, required=False, initial=wanted)


class ParticipantSettingsForm(ModelForm):
    """What a representative chooses for themselves: language, digest, which mails."""

    class Meta:
        model = Participant
        fields = ["language", "wants_digest"]
        labels = {"language": _("Language of pages and mails")}
        help_texts = {
            "language": "",
            "wants_digest": _(
                "One mail with everything that is due, instead of a reminder for each thing."
            ),
        }

    def __init__(self, *args, opted_out: frozenset = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        for kind in mail.PARTICIPANT_KINDS:
            self.fields[f"mail_{kind.value}"] = _mail_field(kind, kind not in opted_out)

    def mail_fields(self):
        return [self[f"mail_{kind.value}"] for kind in mail.PARTICIPANT_KINDS]

    def wanted(self) -> dict:
        return {kind: self.cleaned_data[f"mail_{kind.value}"] for kind in mail.PARTICIPANT_KINDS}


class AccountSettingsForm(Form):
    """An account's language, and the weekly digest of each trajectory it facilitates."""

    language = forms.ChoiceField(
        label=_("Language of mails"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the pages follows the language switch at the top."),
    )

    def __init__(self, *args, memberships=(), opted_out: frozenset = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = list(memberships)
        for kind in mail.ACCOUNT_KINDS:
            self.fields[f"mail_{kind.value}"] = _mail_field(kind, kind not in opted_out)
        for membership in self.memberships:
            self.fields[f"digest_{membership.pk}"] = forms.BooleanField(
                label=membership.trajectory.name,
                required=False,
                initial=membership.weekly_digest,
            )

    def mail_fields(self):
        return [self[f"mail_{kind.value}"] for kind in mail.ACCOUNT_KINDS]

    def digest_fields(self):
        return [self[f"digest_{membership.pk}"] for membership in self.memberships]

    def wanted(self) -> dict:
        return {kind: self.cleaned_data[f"mail_{kind.value}"] for kind in mail.ACCOUNT_KINDS}

    def digests(self) -> dict[int, bool]:
        return {m.pk: self.cleaned_data[f"digest_{m.pk}"] for m in self.memberships}

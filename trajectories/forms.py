from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Membership, Participant, Partner, Trajectory


class AccessibleFormMixin:
    """Ties help texts and error messages to their inputs for screen readers.

    Each input gets `aria-describedby` pointing at its help text (`<id>_help`) and, when invalid,
    its error list (`<id>_error`) plus `aria-invalid="true"`. `templates/_field.html` renders
    those ids. Other apps may use this mixin too.
    """

    def full_clean(self):
        super().full_clean()
        self._tie_descriptions()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tie_descriptions()

    def _tie_descriptions(self):
        errors = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            described = []
            if field.help_text:
                described.append(f"{auto_id}_help")
            if name in errors:
                described.append(f"{auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)
            else:
                field.widget.attrs.pop("aria-describedby", None)


class TrajectoryForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Trajectory
        fields = ["name", "task", "goals", "occasion", "phase", "status"]
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

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if self.user is not None:
            mine = Trajectory.objects.filter(
                memberships__user=self.user, name__iexact=name
            ).exclude(pk=self.instance.pk)
            if mine.exists():
                raise forms.ValidationError(
                    _("You already have a trajectory with this name. Choose another name.")
                )
        return name


class PartnerForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind"]

    def __init__(self, *args, trajectory, **kwargs):
        self.trajectory = trajectory
        instance = kwargs.get("instance")
        # Several forms share one page: give each its own element ids.
        kwargs.setdefault("auto_id", f"partner-{instance.pk}-%s" if instance else "new-partner-%s")
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = Partner.Kind.MUNICIPALITY

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Partner.objects.filter(trajectory=self.trajectory, name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(
                _("An organisation with this name already takes part in this trajectory.")
            )
        return name


class ParticipantForm(AccessibleFormMixin, forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "email", "level", "mandate"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "email": _("Used only to send the personal invite link."),
        }

    def __init__(self, *args, partner, **kwargs):
        self.partner = partner
        instance = kwargs.get("instance")
        kwargs.setdefault(
            "auto_id",
            f"participant-{instance.pk}-%s" if instance else f"partner-{partner.pk}-new-%s",
        )
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = Participant.objects.filter(partner=self.partner, name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(
                _("%(partner)s already has a representative with this name.")
                % {"partner": self.partner.name}
            )
        return name


class MemberAddForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
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

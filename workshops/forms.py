import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coconnect.forms import Form, ModelForm
from coconnect.once import SubmissionKeyMixin
from coconnect.stale import VersionFormMixin
from trajectories.models import Participant, Partner

from .models import (
    CONTRIBUTION_MAX_LENGTH,
    MAX_DOTS,
    MAX_TIMEBOX_MINUTES,
    ActionItem,
    AgendaItem,
    Agreement,
    Knock,
    Workshop,
)


class WorkshopForm(ModelForm):
    video_url = forms.URLField(
        label=_("video link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A link to the video meeting, if partners join online."),
    )

    class Meta:
        model = Workshop
        fields = ["title", "starts_at", "end_time", "place", "video_url"]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "place": _("Address and room, if the partners meet in person."),
            "end_time": _(
                "On the same day. Without an end time, calendars show the length of the agenda."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.invitations_sent and self.instance.is_planned:
            self.fields["starts_at"].help_text = _(
                "Changing the date, the time or the place sends the invited participants an "
                "updated invitation."
            )

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("video_url") and not self.errors:
            raise forms.ValidationError(_("Give a place, a video link or both."))
        starts_at, end_time = data.get("starts_at"), data.get("end_time")
        if starts_at and end_time and end_time <= timezone.localtime(starts_at).time():
            self.add_error("end_time", _("The end time comes after the start."))
        return data


class AgendaItemForm(VersionFormMixin, ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "kind",
            "title",
            "timebox_minutes",
            "dots_per_participant",
            "notes",
            "anonymous_notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "dots_per_participant": _("Only used for dot voting."),
            "notes": _("For check-in and check-out: the question participants answer."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's validators refuse what is out of range; the browser's number input
        # hears the same bounds.
        self.fields["timebox_minutes"].widget.attrs.update(min=1, max=MAX_TIMEBOX_MINUTES)
        self.fields["dots_per_participant"].widget.attrs.update(min=1, max=MAX_DOTS)

    @property
    def item_fields(self) -> dict:
        """The item's own fields, as the services take them (without the form's version)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class CopyAgendaForm(Form):
    source = forms.ModelChoiceField(queryset=Workshop.objects.none(), label=_("Copy the agenda of"))

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            Workshop.objects.filter(trajectory_id=workshop.trajectory_id)
            .exclude(pk=workshop.pk)
            .order_by("-starts_at")
        )


class OptionForm(Form):
    label = forms.CharField(label=_("Option to vote on"), max_length=300)


class ContributionForm(SubmissionKeyMixin, Form):
    text = forms.CharField(
        label=_("Your contribution"),
        max_length=CONTRIBUTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    item = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted per form, in the language of the request (not once, at import).
        self.fields["text"].help_text = gettext(
            "A short text, like a sticky note (at most %(max)s characters)."
        ) % {"max": CONTRIBUTION_MAX_LENGTH}

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Write something first."))
        return text


class AgreementForm(SubmissionKeyMixin, ModelForm):
    class Meta:
        model = Agreement
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class ActionItemForm(SubmissionKeyMixin, ModelForm):
    owner = forms.ChoiceField(label=_("Owner"), required=False)

    class Meta:
        model = ActionItem
        fields = ["title", "due_date", "agreement"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, workshop, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = {p.pk: p for p in partners}
        self.people = {person.pk: person for p in partners for person in p.participants.all()}
        choices = [("", _("Nobody yet"))]
        for partner in partners:
            group = [
                (
                    f"partner:{partner.pk}",
                    str(_("%(partner)s (the organisation)") % {"partner": partner.name}),
                )
            ]
            group += [(f"person:{person.pk}", person.name) for person in partner.participants.all()]
            choices.append((partner.name, group))
        self.fields["owner"].choices = choices
        self.fields["agreement"].queryset = Agreement.objects.filter(workshop=workshop)
        self.fields["agreement"].required = False
        self.fields["agreement"].empty_label = _("No particular agreement")
        self.fields["agreement"].label = _("Belongs to agreement")

    def clean_owner(self):
        value = self.cleaned_data.get("owner") or ""
        self.owner_partner = self.owner_participant = None
        if not value:
            return value
        kind, _sep, pk = value.partition(":")
        try:
            pk = int(pk)
        except ValueError:
            raise forms.ValidationError(_("Choose an owner from the list.")) from None
        if kind == "partner" and pk in self.partners:
            self.owner_partner = self.partners[pk]
        elif kind == "person" and pk in self.people:
            self.owner_participant = self.people[pk]
            self.owner_partner = self.partners.get(self.owner_participant.partner_id)
        else:
            raise forms.ValidationError(_("Choose an owner from the list."))
        return value


class AttendanceForm(Form):
    participants = forms.ModelMultipleChoiceField(
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Present"),
    )

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = (
            Participant.objects.filter(partner__trajectory=trajectory)
            .select_related("partner")
            .order_by("partner__name", "name")
        )


# Characters that change how the text around them is shown (bidirectional overrides and isolates,
# invisible spaces): in a name on the console they could make it read as someone else's. The
# joiners and direction marks some scripts and emoji need (U+200C–U+200F) stay allowed.
_DISGUISING = re.compile("[\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


class KnockForm(SubmissionKeyMixin, ModelForm):
    """Asking to join: an organisation of this trajectory, a name, optionally an email address."""

    class Meta:
        model = Knock
        fields = ["partner", "name", "email"]
        labels = {
            "partner": _("Your organisation"),
            "name": _("Your name"),
            "email": _("Your email address"),
        }
        help_texts = {
            "name": _("As the facilitator and the other participants know you."),
            "email": _(
                "We send your personal link there, so you can come back later. "
                "Nothing else is sent."
            ),
        }
        widgets = {
            "partner": forms.RadioSelect,
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        error_messages = {
            "partner": {
                "required": _("Choose your organisation."),
                "invalid_choice": _("Choose one of the organisations shown."),
            },
            "name": {"required": _("Type your name.")},
        }

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        # Only this trajectory's organisations, by name: another trajectory's id is refused.
        partner.queryset = Partner.objects.filter(trajectory_id=workshop.trajectory_id).order_by(
            "name", "pk"
        )
        partner.empty_label = None

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if "<" in name or ">" in name:
            raise forms.ValidationError(
                _("A name cannot contain < or >. Type only your name."), code="markup"
            )
        if _DISGUISING.search(name):
            raise forms.ValidationError(
                _(
                    "Your name contains invisible characters that change how text is shown. "
                    "Type it again without them."
                ),
                code="disguising",
            )
        if len(name) < 2:
            raise forms.ValidationError(_("Type your full name."), code="short")
        return name

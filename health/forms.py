from django import forms
from django.utils.translation import gettext_lazy as _

from coconnect.forms import Form, ModelForm
from coconnect.stale import VersionFormMixin
from reminders.forms import check_closing_date, closing_date_field

from .models import Answer, DiagnosisDecision, InterimChange, Pulse, Risk, Stakeholder
from .statements import SCALE, STATEMENTS


class PulseAnswerForm(Form):
    """One 1–5 choice and an optional remark per statement."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for statement in STATEMENTS:
            self.fields[f"score_{statement.key}"] = forms.TypedChoiceField(
                label=statement.text,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a score from 1 to 5.")},
            )
            self.fields[f"remark_{statement.key}"] = forms.CharField(
                label=_("Remark (optional)"),
                required=False,
                max_length=Answer._meta.get_field("remark").max_length,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def statement_rows(self):
        return [
            {"statement": s, "score": self[f"score_{s.key}"], "remark": self[f"remark_{s.key}"]}
            for s in STATEMENTS
        ]

    def answers(self) -> dict:
        return {
            s.key: (
                self.cleaned_data[f"score_{s.key}"],
                self.cleaned_data[f"remark_{s.key}"].strip(),
            )
            for s in STATEMENTS
        }

    @classmethod
    def initial_from(cls, response) -> dict:
        initial = {}
        for answer in response.answers.all():
            initial[f"score_{answer.statement}"] = answer.score
            initial[f"remark_{answer.statement}"] = answer.remark
        return initial


class PulseForm(ModelForm):
    open_now = forms.BooleanField(
        label=_("Open it for answers right away"), required=False, initial=True
    )
    closes_on = closing_date_field(_("Answers asked by"))

    def clean_closes_on(self):
        return check_closing_date(self.cleaned_data.get("closes_on"))

    class Meta:
        model = Pulse
        fields = ["title"]
        help_texts = {"title": _("For instance the month or the phase, such as “Spring 2027”.")}

    def clean_title(self):
        # The form leaves `trajectory` out, so the database's unique rule is checked here, with a
        # clear message (a double submit lands here too).
        title = self.cleaned_data["title"].strip()
        trajectory = getattr(self.instance, "trajectory", None)
        if trajectory and Pulse.objects.filter(trajectory=trajectory, title__iexact=title).exists():
            raise forms.ValidationError(_("This trajectory already has a pulse with this title."))
        return title


class DecisionForm(Form):
    status = forms.ChoiceField(label=_("Decision"), choices=DiagnosisDecision.Status.choices)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=DiagnosisDecision._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why you confirm or dismiss this. Only facilitators see this note."),
    )


class TrajectoryModelForm(VersionFormMixin, ModelForm):
    """A register entry of the trajectory: partners from this trajectory, stale edits refused."""

    partner_fields: tuple = ()

    def __init__(self, *args, trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.partner_fields:
            self.fields[name].queryset = trajectory.partners.all()


class InterimChangeForm(TrajectoryModelForm):
    partner_fields = ("partner",)

    class Meta:
        model = InterimChange
        fields = [
            "kind",
            "title",
            "partner",
            "occurred_on",
            "meaning_interests",
            "meaning_roles",
            "meaning_organisation",
            "meaning_financing",
            "meaning_legal_form",
            "follow_up",
            "follow_up_note",
            "follow_up_status",
        ]
        widgets = {
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in InterimChange.MEANING_FIELDS + ("follow_up_note",)
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].empty_label = _("In the environment (no single partner)")


class RiskForm(TrajectoryModelForm):
    partner_fields = ("owner",)

    class Meta:
        model = Risk
        fields = [
            "category",
            "title",
            "description",
            "likelihood",
            "impact",
            "owner",
            "measures",
            "review_on",
            "status",
        ]
        widgets = {
            "review_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "likelihood": _("1 = hardly likely, 5 = almost certain"),
            "impact": _("1 = small consequences, 5 = the collaboration is at stake"),
        }


class StakeholderForm(TrajectoryModelForm):
    partner_fields = ("partner",)

    class Meta:
        model = Stakeholder
        fields = [
            "name",
            "kind",
            "power",
            "interest",
            "attitude",
            "partner",
            "relation",
            "communication",
            "shared_concern",
        ]
        widgets = {
            "relation": forms.Textarea(attrs={"rows": 2}),
            "communication": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("shared_concern")
            and cleaned.get("attitude") != Stakeholder.Attitude.RESISTING
        ):
            self.add_error(
                "shared_concern",
                _(
                    "Only resistance can be flagged as a shared concern. Set the attitude to "
                    "resisting first."
                ),
            )
        if cleaned.get("kind") == Stakeholder.Kind.CONSTITUENCY and not cleaned.get("partner"):
            self.add_error("partner", _("Choose the partner whose constituency this is."))
        return cleaned

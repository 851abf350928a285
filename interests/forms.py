from django import forms
from django.utils.translation import gettext_lazy as _

from coconnect.forms import Form
from coconnect.once import SubmissionKeyMixin
from coconnect.stale import VersionFormMixin
from reminders.forms import check_closing_date, closing_date_field
from trajectories.models import Trajectory

from .models import STATEMENT_MAX, TEXT_MAX, Fact, Interest, InterestLink, Theme


class InterestForm(SubmissionKeyMixin, VersionFormMixin, Form):
    statement = forms.CharField(
        label=_("The interest, in one sentence"),
        max_length=STATEMENT_MAX,
        help_text=_("What does your organisation really need from this collaboration?"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    why = forms.CharField(
        label=_("Why it matters to your organisation"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    success = forms.CharField(
        label=_("What success would look like"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contribution = forms.CharField(
        label=_("What your organisation can contribute"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    weight = forms.ChoiceField(
        label=_("How important is it?"),
        choices=Interest.Weight.choices,
        initial=Interest.Weight.IMPORTANT,
        widget=forms.RadioSelect,
    )
    tier = forms.ChoiceField(
        label=_("Who may see it after the reveal?"),
        choices=Interest.Tier.choices,
        initial=Interest.Tier.FACILITATOR,
        widget=forms.RadioSelect,
        help_text=_(
            "Only the facilitator can later make it more open, and only after saying so on screen."
        ),
    )


class RoundForm(SubmissionKeyMixin, Form):
    title = forms.CharField(label=_("Title of the round"), max_length=200)
    phase = forms.ChoiceField(label=_("Phase"), choices=Trajectory.Phase.choices)
    min_per_partner = forms.IntegerField(
        label=_("Interests asked per partner"), min_value=1, max_value=20, initial=3
    )
    closes_on = closing_date_field(_("Interests asked by"))

    def clean_closes_on(self):
        return check_closing_date(self.cleaned_data.get("closes_on"))


class TierForm(Form):
    tier = forms.ChoiceField(
        label=_("New tier"), choices=Interest.Tier.choices, widget=forms.RadioSelect
    )
    confirmed = forms.BooleanField(
        label=_("The organisation agreed that this interest may be shared more openly."),
        required=True,
        error_messages={"required": _("Tick this box to confirm that the organisation agreed.")},
    )


class ClassifyForm(Form):
    classification = forms.ChoiceField(
        label=_("Classification"), choices=Theme.Classification.choices, widget=forms.RadioSelect
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LinkForm(Form):
    first = forms.IntegerField(label=_("First interest"))
    second = forms.IntegerField(label=_("Second interest"))
    kind = forms.ChoiceField(label=_("Relation"), choices=InterestLink.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=TEXT_MAX, required=False)


class IdsField(forms.Field):
    """Several ids under one name (the board's ticked interests); anything not a number is
    dropped, as an id of another round would match nothing anyway."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        return [int(v) for v in value or [] if str(v).isdigit() and int(v) > 0]

    def validate(self, value: list[int]) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class MoveForm(SubmissionKeyMixin, Form):
    """Interests of the board to one theme (empty: out of every theme): the selection bar, a
    drag and drop and the keyboard's move list all send this. `shown` names the columns the
    browser shows them in, so those are sent back even when the board it shows is out of date."""

    interests = IdsField(error_messages={"required": _("Tick at least one interest to move.")})
    theme = forms.IntegerField(required=False, min_value=1)
    shown = forms.CharField(required=False, max_length=2000)

    def shown_theme_ids(self) -> set[int | None]:
        keys = self.cleaned_data["shown"].split(",") if self.cleaned_data["shown"] else []
        return {int(k) if k.isdigit() else None for k in keys if k.isdigit() or k == "none"}


class UndoForm(SubmissionKeyMixin, Form):
    """The "undo" button after a move: only its submit key."""


class FactForm(SubmissionKeyMixin, VersionFormMixin, Form):
    question = forms.CharField(label=_("Question"), max_length=STATEMENT_MAX)
    known = forms.CharField(
        label=_("What is known"),
        max_length=TEXT_MAX * 2,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    sources = forms.CharField(
        label=_("Sources"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Fact.Status.choices, initial=Fact.Status.OPEN
    )
    theme = forms.TypedChoiceField(label=_("Theme"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("No theme"))] + [
            (t.pk, f"{t.name} ({t.round.title})") for t in themes
        ]

import html

from django import forms
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from coconnect.forms import Form
from coconnect.once import SubmissionKeyMixin
from coconnect.stale import VersionFormMixin
from interests.models import Interest, Theme, named_and_anonymous
from trajectories.models import Participant

from .models import Gain, ImprovementKind, Mandate, Proposal, Stance
from .services import ProposalData

# --- choice widgets drawn in one pass -------------------------------------------------------------
# The same markup as Django's widget templates (multiple_input.html, input_option.html,
# select.html, select_option.html, attrs.html; their line breaks included, so a test can
# compare the two), written by Python: the proposal form has a
# dozen choice fields, and a template include per option, attribute list and label made them
# most of the form's rendering time. Labels and the field's frame (label or legend, help text,
# errors) still come from the field template.


def _attrs(attrs: dict) -> str:
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{escape(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


class OnePassCheckboxes(forms.CheckboxSelectMultiple):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        id_, css = widget["attrs"].get("id"), widget["attrs"].get("class")
        parts = [f"<div{_optional('id', id_)}{_optional('class', css)}>"]
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f"\n  <div><label>{conditional_escape(group)}</label>")
            for option in options:
                for_id = option["attrs"].get("id")
                parts.append(
                    f"<div>\n    <label{_optional('for', for_id)}>"
                    f'<input type="{conditional_escape(option["type"])}"'
                    f' name="{conditional_escape(option["name"])}"'
                    f"{_value(option['value'])}{_attrs(option['attrs'])}>\n"
                    f" {conditional_escape(option['label'])}</label>\n\n</div>"
                )
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>")
        return mark_safe("".join(parts))


class OnePassSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(name)}"{_attrs(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f'\n  <optgroup label="{conditional_escape(group)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{escape(option["value"])}"'
                    f"{_attrs(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
            if group:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


def _value(value) -> str:
    return "" if value is None else f' value="{escape(value)}"'


def _optional(name: str, value) -> str:
    return f' {name}="{conditional_escape(value)}"' if value else ""


class ProposalForm(SubmissionKeyMixin, Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What would change, and why it helps the shared task."),
    )
    kinds = forms.ModelMultipleChoiceField(
        label=_("Kinds of improvement"),
        queryset=ImprovementKind.objects.none(),
        required=False,
        widget=OnePassCheckboxes,
    )
    proposer_partner = forms.ModelChoiceField(
        label=_("Proposed by (organisation)"),
        queryset=None,
        required=False,
        widget=OnePassSelect,
    )
    proposer_level = forms.ChoiceField(
        label=_("Proposed at level"),
        choices=[("", _("Not specified"))] + list(Participant.Level.choices),
        required=False,
        widget=OnePassSelect,
    )
    effort = forms.ChoiceField(
        label=_("Effort"), choices=Proposal.Effort.choices, widget=OnePassSelect
    )
    cost = forms.ChoiceField(label=_("Cost"), choices=Proposal.Cost.choices, widget=OnePassSelect)
    cost_note = forms.CharField(
        label=_("Cost estimate"),
        max_length=300,
        required=False,
        help_text=_("For example an amount per year, or the hours it takes."),
    )
    who_does_what = forms.CharField(
        label=_("Who would have to do what"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes it serves"),
        queryset=Theme.objects.none(),
        required=False,
        widget=OnePassCheckboxes,
    )
    interests = forms.ModelMultipleChoiceField(
        label=_("Interests it serves"),
        queryset=Interest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args,
        trajectory,
        partners,
        kinds,
        gain_partners=None,
        participant=None,
        themes=(),
        interests=(),
        **kwargs,
    ):
        self.partners = list(partners)
        # Only the partners whose expected gain this person may set get a field.
        self.gain_partners = self.partners if gain_partners is None else list(gain_partners)
        self.participant = participant
        super().__init__(*args, **kwargs)
        self.fields["kinds"].queryset = ImprovementKind.objects.filter(
            pk__in=[k.pk for k in kinds if not k.archived]
        )
        # Show the list we already have instead of querying it again for the widget.
        self.fields["kinds"].choices = [(k.pk, k.name) for k in kinds if not k.archived]
        self.fields["proposer_partner"].queryset = trajectory.partners.all()
        self.fields["proposer_partner"].choices = [("", _("The facilitator"))] + [
            (p.pk, p.name) for p in self.partners
        ]
        themes, interests = list(themes), list(interests)
        self.fields["themes"].queryset = Theme.objects.filter(pk__in=[t.pk for t in themes])
        self.fields["themes"].choices = [(t.pk, t.name) for t in themes]
        self.fields["interests"].queryset = Interest.objects.filter(
            pk__in=[i.pk for i in interests]
        )
        # Named interests in the given order, anonymous ones apart in their own text's order:
        # a place among a partner's named interests would tell whose an anonymous one is.
        # (The field's widget is never drawn: interest_picks writes the checkboxes.)
        named, anonymous = named_and_anonymous(interests)
        self.interest_choices = (
            [(i.pk, f"{i.statement} ({i.shown_partner})") for i in named],
            [(i.pk, i.statement) for i in anonymous],
        )
        if not themes:
            del self.fields["themes"]
        if not interests:
            del self.fields["interests"]
        if participant is not None:
            # A participant proposes for their own organisation, at their own level.
            del self.fields["proposer_partner"]
            del self.fields["proposer_level"]
        for partner in self.gain_partners:
            self.fields[f"gain_{partner.pk}"] = forms.ChoiceField(
                label=_("Gain for %(partner)s") % {"partner": partner.name},
                choices=[("", _("Not estimated"))] + list(Gain.choices),
                required=False,
            )
            self.fields[f"gain_note_{partner.pk}"] = forms.CharField(
                label=_("Note on the gain for %(partner)s") % {"partner": partner.name},
                max_length=500,
                required=False,
            )

    @classmethod
    def initial_for(cls, proposal: Proposal) -> dict:
        initial = {
            "title": proposal.title,
            "description": proposal.description,
            "kinds": [k.pk for k in proposal.kinds.all()],
            "themes": [t.pk for t in proposal.themes.all()],
            "interests": [i.pk for i in proposal.interests.all()],
            "proposer_partner": proposal.proposer_partner_id,
            "proposer_level": proposal.proposer_level,
            "effort": proposal.effort,
            "cost": proposal.cost,
            "cost_note": proposal.cost_note,
            "who_does_what": proposal.who_does_what,
        }
        for gain in proposal.gains.all():
            initial[f"gain_{gain.partner_id}"] = gain.level
            initial[f"gain_note_{gain.partner_id}"] = gain.note
        return initial

    def interest_picks(self) -> tuple[SafeString, SafeString]:
        """(named, anonymous): the checkboxes of each group as markup for proposal_form.html, a
        labelled checkbox per interest. Written here in one pass: a round has hundreds of
        interests, and a widget template (or even a template loop) per option was most of the
        form's time."""
        ticked = {str(pk) for pk in (self["interests"].value() or [])}
        escape = html.escape  # what django.utils.html.escape does with a str
        return tuple(
            SafeString(
                "".join(
                    f'<div><label for="id_interests_{pk}"><input type="checkbox" name="interests"'
                    f' value="{pk}" id="id_interests_{pk}"'
                    f"{' checked' if str(pk) in ticked else ''}> {escape(label)}</label></div>"
                    for pk, label in group
                )
            )
            for group in self.interest_choices
        )

    def gain_table(self) -> dict:
        """The gain fields as plain values for proposal_form.html, which writes each row's
        label, select and note input itself: through the widget and field templates, the two
        fields of each of a dozen partners were most of the form's rendering time."""
        rows = []
        for partner in self.gain_partners:
            gain, note = self[f"gain_{partner.pk}"], self[f"gain_note_{partner.pk}"]
            rows.append(
                {
                    "gain": gain,
                    "note": note,
                    "gain_value": str(gain.value() or ""),
                    "note_value": note.value() or "",
                    "errors": [*gain.errors, *note.errors],
                }
            )
        choices = [("", str(_("Not estimated")))] + [(v, str(label)) for v, label in Gain.choices]
        return {"rows": rows, "choices": choices}

    def to_data(self) -> ProposalData:
        data = self.cleaned_data
        if self.participant is not None:
            proposer_partner, level = self.participant.partner, self.participant.level
        else:
            proposer_partner, level = data.get("proposer_partner"), data.get("proposer_level", "")
        return ProposalData(
            title=data["title"].strip(),
            description=data["description"],
            kinds=list(data["kinds"]),
            themes=list(data.get("themes") or []),
            interests=list(data.get("interests") or []),
            proposer_partner=proposer_partner,
            proposer_level=level,
            effort=data["effort"],
            cost=data["cost"],
            cost_note=data["cost_note"],
            who_does_what=data["who_does_what"],
            gains={
                p.pk: (data[f"gain_{p.pk}"], data[f"gain_note_{p.pk}"])
                for p in self.gain_partners
                if data.get(f"gain_{p.pk}")
            },
            gain_partner_ids={p.pk for p in self.gain_partners},
        )


class QuickProposalForm(SubmissionKeyMixin, Form):
    """The short form of a live workshop: a title and a line of explanation."""

    title = forms.CharField(label=_("Your proposal"), max_length=200)
    description = forms.CharField(
        label=_("Explanation (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PositionForm(VersionFormMixin, Form):
    partner = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    stance = forms.ChoiceField(
        label=_("Position of the organisation"), choices=Stance.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Conditions or objection"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you support with conditions or have objections."),
    )
    mandate = forms.ChoiceField(
        label=_("Mandate"), choices=Mandate.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, partners, fixed_partner=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Version 0 means "no position yet when the form was opened": a colleague's first
        # position saved meanwhile is then stale too.
        self.fields["version"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, min_value=0
        )
        self.fixed_partner = fixed_partner
        if fixed_partner is not None:
            del self.fields["partner"]
        else:
            self.fields["partner"].choices = [(p.pk, p.name) for p in partners]

    def clean(self):
        data = super().clean()
        stance = data.get("stance")
        if stance and Stance(stance).needs_text and not data.get("text", "").strip():
            message = (
                _("Please write down the conditions.")
                if stance == Stance.CONDITIONS
                else _("Please write down the objection.")
            )
            self.add_error("text", message)
        return data


class PackageForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    note = forms.CharField(
        label=_("Explanation"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    proposals = forms.ModelMultipleChoiceField(
        label=_("Proposals in this package"),
        queryset=Proposal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        proposals = list(proposals)
        self.fields["proposals"].queryset = Proposal.objects.filter(
            pk__in=[p.pk for p in proposals]
        )
        self.fields["proposals"].choices = [(p.pk, p.title) for p in proposals]


class AdoptForm(Form):
    adopted_on = forms.DateField(
        label=_("Adopted on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("adopted_on", timezone.localdate().isoformat())


class KindForm(Form):
    name = forms.CharField(label=_("New kind of improvement"), max_length=100)


class PackageActionForm(Form):
    title = forms.CharField(label=_("What is to be done"), max_length=300)
    owner_partner = forms.TypedChoiceField(
        label=_("Owner (organisation)"), coerce=int, required=False, empty_value=None
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_partner"].choices = [("", "—")] + [(p.pk, p.name) for p in partners]

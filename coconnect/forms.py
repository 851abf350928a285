"""The project's form bases: every form takes text through `clean_text`.

Text pasted from a word processor or sent by a script may carry control characters (a vertical
tab for a manual line break, an escape, a bell). Stored, they break exports, mail headers and
PDF text. Every form of the project derives from `Form` or `ModelForm` below, so every text
field is cleaned before any validator sees it: line breaks are unified, other control characters
removed, and single-line fields get no line breaks at all. `tests/test_forms_text.py` checks that
no form skips these bases.
"""

from __future__ import annotations

import functools
import re

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _

# Every way of breaking a line, from Windows, old Macs, word processors and Unicode.
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
# C0 and C1 control characters except tab and newline, which plain text may hold.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """Text as people mean it: no control characters; no line breaks on one-line fields."""
    value = _CONTROLS.sub("", _LINE_BREAKS.sub("\n", value))
    if not multiline:
        value = re.sub(r"[\t\n]+", " ", value)
    return value


def _cleaning(to_python, multiline: bool):
    @functools.wraps(to_python)
    def wrapped(value):
        value = to_python(value)
        return clean_text(value, multiline=multiline) if isinstance(value, str) else value

    return wrapped


class PlainTextMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.PasswordInput
            ):
                multiline = isinstance(field.widget, forms.Textarea)
                field.to_python = _cleaning(field.to_python, multiline)


# Django's empty option reads "---------", which a screen reader spells out as dashes.
CHOICE_PROMPT = _("— choose —")
_DASHES = BLANK_CHOICE_DASH[0][1]


class ChoicePromptMixin:
    """The empty option of every select box asks for a choice instead of showing dashes; a
    label a form sets itself is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.Select):
                continue  # radio buttons show no empty option worth naming
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == _DASHES:
                    field.empty_label = CHOICE_PROMPT
            elif isinstance(field, forms.ChoiceField) and not isinstance(
                field.choices,
                CallableChoiceIterator,  # evaluated at render time, not here
            ):
                choices = list(field.choices)
                if choices and choices[0] == ("", _DASHES):
                    field.choices = [("", CHOICE_PROMPT), *choices[1:]]


class Form(PlainTextMixin, ChoicePromptMixin, forms.Form):
    pass


class ModelForm(PlainTextMixin, ChoicePromptMixin, forms.ModelForm):
    pass

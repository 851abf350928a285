"""Control characters never reach the database: one cleaning rule for every form."""

import inspect

import pytest
from django import forms
from django.apps import apps

from coconnect.forms import Form, PlainTextMixin, clean_text

PROJECT_APPS = ("trajectories", "interests", "workshops", "improvements", "health", "reports")


@pytest.mark.parametrize(
    ("raw", "multiline", "expected"),
    [
        ("regel een\x0bregel twee", True, "regel een\nregel twee"),
        ("a\r\nb\rc\x0cd\u2028e", True, "a\nb\nc\nd\ne"),
        ("bel\x07 escape\x1b[31m unit\x1f sep", True, "bel escape[31m unit sep"),
        ("C1\x85next \x9bcsi", True, "C1\nnext csi"),
        ("naam\nmet regel\teinde", False, "naam met regel einde"),
        ("Één café — ‘zo’ 🤝", False, "Één café — ‘zo’ 🤝"),
        ("tab\tblijft", True, "tab\tblijft"),
    ],
)
def test_clean_text_keeps_what_people_mean(raw, multiline, expected):
    assert clean_text(raw, multiline=multiline) == expected


class _Sample(Form):
    name = forms.CharField(max_length=20)
    body = forms.CharField(widget=forms.Textarea)
    secret = forms.CharField(widget=forms.PasswordInput)


def test_form_fields_are_cleaned_before_validation():
    form = _Sample(data={"name": "a\nb\x1b", "body": "x\x0by\x07", "secret": "p\x07w"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"name": "a b", "body": "x\ny", "secret": "p\x07w"}


def test_control_characters_do_not_count_against_max_length():
    form = _Sample(data={"name": "\x07" * 5 + "x" * 20, "body": "b", "secret": "s"})
    assert form.is_valid(), form.errors


def _project_forms():
    for config in apps.get_app_configs():
        if config.name not in PROJECT_APPS:
            continue
        module_names = [f"{config.name}.forms"]
        for name in module_names:
            try:
                module = __import__(name, fromlist=["*"])
            except ModuleNotFoundError:
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                    yield cls


def test_every_project_form_cleans_its_text():
    found = list(_project_forms())
    assert len(found) > 20
    skipping = [
        f"{cls.__module__}.{cls.__name__}" for cls in found if not issubclass(cls, PlainTextMixin)
    ]
    assert skipping == []

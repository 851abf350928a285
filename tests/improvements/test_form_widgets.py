"""The proposal form draws its choice fields in one pass (improvements.forms.OnePassCheckboxes,
OnePassSelect) with exactly the markup of Django's own widget templates: labels tied to their
inputs, errors and help text announced, every text escaped."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from improvements.forms import OnePassCheckboxes, OnePassSelect

CHOICES = [
    (1, "Zorg & Welzijn"),
    (2, mark_safe("<b>al opgemaakt</b>")),
    ('x"y', 'Citaat "q" <script>alert(1)</script>'),
    (3, "Één loket"),
]
GROUPED = [("Groep <1>", [(1, "a"), (2, "b")]), (3, "c")]
ATTRS = [
    {"id": "id_f"},
    {"id": "id_f", "aria-invalid": "true", "aria-describedby": "id_f_error", "class": "c"},
    {},
    {"id": "id_f", "required": True, "disabled": False},
]


@pytest.mark.parametrize("choices", [CHOICES, GROUPED], ids=["flat", "grouped"])
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, [], [1, 'x"y'], ["3"]])
def test_checkboxes_match_django(choices, attrs, value):
    django = forms.CheckboxSelectMultiple(choices=choices).render("f", value, attrs=attrs)
    assert OnePassCheckboxes(choices=choices).render("f", value, attrs=attrs) == django


@pytest.mark.parametrize("choices", [CHOICES, GROUPED], ids=["flat", "grouped"])
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", 1, 'x"y'])
def test_select_matches_django(choices, attrs, value):
    django = forms.Select(choices=choices).render("f", value, attrs=attrs)
    assert OnePassSelect(choices=choices).render("f", value, attrs=attrs) == django


def test_escapes_what_django_escapes():
    html = OnePassCheckboxes(choices=CHOICES).render("f", None, attrs={"id": "id_f"})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>al opgemaakt</b>" in html  # a label marked safe stays markup, as in Django

"""Language and form details shared by every page (WCAG 3.1.2, and plain clarity):
the language switcher names each language in that language, one date style everywhere,
and select boxes ask for a choice instead of showing dashes."""

import datetime
import re

import pytest
from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.utils import formats, timezone, translation

from coconnect.forms import Form, ModelForm
from tests.e2e.test_a11y_tables import TEMPLATES
from trajectories.models import Participant, Partner, Trajectory
from workshops.models import Workshop

DASHES = "---------"


@pytest.mark.django_db
def test_the_language_switcher_names_each_language_in_its_own_language(client):
    for language in ("nl", "en"):
        client.post("/i18n/setlang/", {"language": language, "next": "/accounts/login/"})
        page = client.get("/accounts/login/").content.decode()
        options = dict(re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', page))
        assert options == {"nl": "Nederlands", "en": "English"}, language


MOMENT = datetime.datetime(2026, 12, 1, 14, 33, 5, 123456, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("language", "date", "moment"),
    [
        ("nl", "1 december 2026", "1 december 2026, 15:33"),
        ("en", "1 December 2026", "1 December 2026, 15:33"),
    ],
)
@override_settings(TIME_ZONE="Europe/Amsterdam")
def test_one_date_style_per_language(language, date, moment):
    local = timezone.localtime(MOMENT)
    with translation.override(language):
        assert formats.date_format(local.date()) == date
        assert formats.date_format(local, "DATETIME_FORMAT") == moment
        assert formats.date_format(local.date(), "SHORT_DATE_FORMAT") == "1-12-2026"


def test_templates_never_show_abbreviated_english_looking_months_or_a_12_hour_clock():
    """`M`/`b`/`N` give "Dec"/"dec"/"Dec." beside "december" elsewhere; `P`/`A`/`g` a 12-hour
    clock. Templates use DATE_FORMAT / DATETIME_FORMAT (coconnect/formats) or whole words."""
    problems = []
    for path in TEMPLATES:
        for value in re.findall(r'\|date:"([^"]*)"', path.read_text()):
            if not value.endswith("_FORMAT") and re.search(r"(?<!\\)[MbNPAag]", value):
                problems.append(f"{path.relative_to(settings.BASE_DIR)}: |date:{value!r}")
    assert not problems, "\n".join(problems)


class _Prompted(ModelForm):
    kind = forms.ChoiceField(choices=[("", DASHES), ("a", "A")], required=False)
    trajectory = forms.ModelChoiceField(Trajectory.objects.none(), required=False)

    class Meta:
        model = Participant
        fields = ["level"]


class _Plain(Form):
    partner = forms.ModelChoiceField(Partner.objects.none())
    own = forms.ModelChoiceField(Partner.objects.none(), empty_label="Nobody", required=False)
    choice = forms.ChoiceField(choices=[("", "Pick one"), ("x", "X")])
    kind = forms.TypedChoiceField(choices=[("", DASHES), ("1", "One")], coerce=int)


@pytest.mark.django_db
def test_select_boxes_ask_for_a_choice_in_the_users_language():
    with translation.override("nl"):
        html = str(_Prompted()) + str(_Plain())
        assert DASHES not in html
        # level, kind, trajectory (_Prompted); partner, kind (_Plain)
        assert html.count("— kies —") == 5
        assert "Nobody" in html and "Pick one" in html  # a label of the form's own is kept
    with translation.override("en"):
        assert "— choose —" in str(_Plain())


@pytest.mark.django_db
def test_no_demo_form_shows_dashes_as_its_empty_option(client):
    call_command("load_demo", verbosity=0)
    trajectory = Trajectory.objects.get(memberships__user__username="demo")
    workshop = Workshop.objects.filter(trajectory=trajectory).order_by("starts_at").last()
    base = f"/t/{trajectory.pk}"
    client.force_login(User.objects.get(username="demo"))
    problems = []
    for url in [
        f"{base}/bijeenkomsten/{workshop.pk}/regie/",
        f"{base}/bijeenkomsten/{workshop.pk}/",
        f"{base}/verbeteringen/voorstellen/nieuw/",
        f"{base}/verbeteringen/opvolging/",
        f"{base}/gezondheid/risicos/nieuw/",
        f"{base}/gezondheid/krachtenveld/nieuw/",
        f"{base}/gezondheid/veranderingen/nieuw/",
        f"{base}/partners/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        if DASHES in response.content.decode():
            problems.append(url)
    assert not problems, f"pages with '{DASHES}' options: {problems}"

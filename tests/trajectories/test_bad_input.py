"""Every form against empty, too long, HTML/script, unicode and double submits."""

import pytest
from django.test import Client

from tests import factories
from trajectories.models import Membership, Participant, Partner, Trajectory

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def forms(trajectory, partner, participant):
    t = trajectory.pk
    return {
        "trajectory new": (
            "/t/nieuw/",
            {"name": "N", "task": "T", "occasion": "start", "phase": "exploration"},
        ),
        "trajectory settings": (
            f"/t/{t}/instellingen/",
            {"name": "N", "task": "T", "occasion": "start", "phase": "design", "status": "active"},
        ),
        "partner new": (f"/t/{t}/partners/nieuw/", {"name": "N", "kind": "housing"}),
        "partner edit": (
            f"/t/{t}/partners/{partner.pk}/bewerken/",
            {"name": "N", "kind": "housing"},
        ),
        "participant new": (
            f"/t/{t}/partners/{partner.pk}/vertegenwoordigers/nieuw/",
            {"name": "N", "email": "", "level": "board", "mandate": ""},
        ),
        "participant edit": (
            f"/t/{t}/vertegenwoordigers/{participant.pk}/bewerken/",
            {"name": "N", "email": "", "level": "board", "mandate": ""},
        ),
    }


FORMS = [
    "trajectory new",
    "trajectory settings",
    "partner new",
    "partner edit",
    "participant new",
    "participant edit",
]


@pytest.mark.parametrize("which", FORMS)
def test_empty_name_is_refused_with_a_message_tied_to_the_field(facilitator_client, forms, which):
    url, data = forms[which]
    response = facilitator_client.post(url, {**data, "name": "   "})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Dit veld is verplicht." in html
    assert 'aria-invalid="true"' in html
    assert "_name_error" in html or "-name_error" in html
    assert 'aria-describedby="' in html


@pytest.mark.parametrize("which", FORMS)
def test_a_form_with_errors_answers_422_also_to_htmx(facilitator_client, forms, which):
    """htmx swaps a 422 (static/js/app.js), so the form comes back with its errors in place."""
    url, data = forms[which]
    response = facilitator_client.post(url, {**data, "name": ""}, headers=HX)
    assert response.status_code == 422
    assert "Dit veld is verplicht." in response.content.decode()


@pytest.mark.parametrize("which", ["partner edit", "participant edit"])
def test_a_stale_inline_edit_answers_409_with_the_form_to_htmx(
    facilitator_client, forms, which, partner, participant
):
    url, data = forms[which]
    seen = (partner if which == "partner edit" else participant).version
    facilitator_client.post(url, {**data, "name": "Eerste", "version": seen}, headers=HX)
    response = facilitator_client.post(url, {**data, "name": "Tweede", "version": seen}, headers=HX)
    html = response.content.decode()
    assert response.status_code == 409
    assert "<html" not in html and 'value="Tweede"' in html


@pytest.mark.parametrize("which", FORMS)
def test_too_long_name_is_refused_and_keeps_what_was_typed(facilitator_client, forms, which):
    url, data = forms[which]
    long_name = "Ä" * 201
    response = facilitator_client.post(
        url, {**data, "name": long_name, "task": data.get("task", "") and "Behouden opgave"}
    )
    html = response.content.decode()
    assert "niet meer dan 200 tekens" in html
    assert long_name in html
    if "task" in data:
        assert "Behouden opgave" in html


@pytest.mark.parametrize("which", FORMS)
def test_html_and_script_are_stored_as_text_and_shown_escaped(
    facilitator_client, forms, which, trajectory
):
    url, data = forms[which]
    name = f"Zorg & Co {SCRIPT}"
    response = facilitator_client.post(url, {**data, "name": name}, follow=True)
    html = response.content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;" in html
    saved = {
        Trajectory.objects.filter(name=name).exists(),
        Partner.objects.filter(name=name).exists(),
        Participant.objects.filter(name=name).exists(),
    }
    assert True in saved


@pytest.mark.parametrize("which", FORMS)
def test_unicode_names_are_kept(facilitator_client, forms, which):
    url, data = forms[which]
    name = "Zoë Çelik-Nguyễn 😊 Ærø"
    facilitator_client.post(url, {**data, "name": name})
    assert any(
        model.objects.filter(name=name).exists() for model in (Trajectory, Partner, Participant)
    )
    page = facilitator_client.get("/", follow=True)
    assert page.status_code == 200


def test_double_submit_of_a_new_partner_makes_one_partner(facilitator_client, trajectory):
    data = {"name": "Woonstichting De Linge", "kind": "housing"}
    facilitator_client.post(f"/t/{trajectory.pk}/partners/nieuw/", data, headers=HX)
    second = facilitator_client.post(
        f"/t/{trajectory.pk}/partners/nieuw/",
        {**data, "name": "woonstichting de linge "},
        headers=HX,
    )
    assert (
        Partner.objects.filter(trajectory=trajectory, name__iexact="woonstichting de linge").count()
        == 1
    )
    assert "doet al mee" in second.content.decode()


def test_double_submit_of_a_new_participant_makes_one(facilitator_client, trajectory, partner):
    url = f"/t/{trajectory.pk}/partners/{partner.pk}/vertegenwoordigers/nieuw/"
    data = {"name": "Jeroen Bakker", "email": "", "level": "manager", "mandate": ""}
    facilitator_client.post(url, data, headers=HX)
    second = facilitator_client.post(url, data, headers=HX)
    assert Participant.objects.filter(partner=partner, name="Jeroen Bakker").count() == 1
    assert "al een vertegenwoordiger met deze naam" in second.content.decode()


def test_double_submit_of_a_new_trajectory_makes_one(facilitator_client, facilitator):
    data = {"name": "Samen wonen", "task": "Opgave", "occasion": "start", "phase": "exploration"}
    facilitator_client.post("/t/nieuw/", data)
    second = facilitator_client.post("/t/nieuw/", data)
    assert Trajectory.objects.filter(name="Samen wonen").count() == 1
    assert "al een traject met deze naam" in second.content.decode()


def test_same_partner_name_is_fine_in_another_trajectory(
    facilitator_client, trajectory, other_trajectory
):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/partners/nieuw/", {"name": "Woonstichting Elders", "kind": "housing"}
    )
    assert response.status_code == 302


def test_invalid_choice_and_email_are_refused(facilitator_client, trajectory, partner):
    url = f"/t/{trajectory.pk}/partners/{partner.pk}/vertegenwoordigers/nieuw/"
    response = facilitator_client.post(url, {"name": "X", "email": "geen-adres", "level": "king"})
    html = response.content.decode()
    assert "geldig e-mailadres" in html
    assert "geen geldige keuze" in html.lower() or "geldige keuze" in html
    assert not Participant.objects.filter(name="X").exists()


def test_too_long_mandate_is_refused(facilitator_client, trajectory, partner):
    url = f"/t/{trajectory.pk}/partners/{partner.pk}/vertegenwoordigers/nieuw/"
    response = facilitator_client.post(url, {"name": "Y", "level": "board", "mandate": "m" * 2001})
    assert "niet meer dan 2000 tekens" in response.content.decode()


def test_member_form_bad_input(facilitator_client, trajectory, manager):
    url = f"/t/{trajectory.pk}/leden/toevoegen/"
    empty = facilitator_client.post(url, {"email": "", "role": "manager"}, headers=HX)
    assert empty.status_code == 422
    assert "Dit veld is verplicht." in empty.content.decode()
    bad = facilitator_client.post(url, {"email": f"{SCRIPT}@x", "role": "manager"}).content.decode()
    assert SCRIPT not in bad and "geldig e-mailadres" in bad
    long = facilitator_client.post(url, {"email": "a" * 250 + "@example.org", "role": "manager"})
    assert "tekens" in long.content.decode()
    twice = facilitator_client.post(url, {"email": manager.email.upper(), "role": "manager"})
    assert "al lid van dit traject" in twice.content.decode()
    assert Membership.objects.filter(trajectory=trajectory).count() == 2


def test_stale_form_for_a_removed_partner_gets_a_clear_404(facilitator_client, trajectory, partner):
    url = f"/t/{trajectory.pk}/partners/{partner.pk}/bewerken/"
    partner.delete()
    response = facilitator_client.post(url, {"name": "Nieuw", "kind": "housing"})
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_welcome_page_escapes_participant_data(client, trajectory, partner):
    person = factories.make_participant(partner, f"Eve {SCRIPT}", mandate=SCRIPT)
    factories.login_participant(client, person)
    html = client.get(f"/t/{trajectory.pk}/welkom/").content.decode()
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_expired_form_gets_a_clear_dutch_page(trajectory, partner, facilitator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    response = client.post(
        f"/t/{trajectory.pk}/partners/{partner.pk}/bewerken/", {"name": "X", "kind": "housing"}
    )
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()

"""Answering a pulse, opening and closing it, deciding on findings; with bad input of every kind."""

import pytest
from django.core.exceptions import ValidationError

from health import services
from health.models import Answer, DiagnosisDecision, Pulse, Response
from health.statements import STATEMENTS, Topic

from .helpers import answered_pulse, answers, form_data, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_pulse(trajectory):
    return services.pulse_create(trajectory=trajectory, title="Voorjaar", open_now=True)


def answer_url(trajectory, pulse):
    return f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/invullen/"


def test_a_participant_sees_open_pulses_on_the_health_tab(
    participant_client, trajectory, open_pulse
):
    Pulse.objects.create(trajectory=trajectory, title="Nog dicht")
    page = participant_client.get(f"/t/{trajectory.pk}/gezondheid/").content.decode()
    assert "Voorjaar" in page and "Nog dicht" not in page
    assert answer_url(trajectory, open_pulse) in page


def test_a_participant_answers_every_statement_with_an_optional_remark(
    participant_client, participant, trajectory, open_pulse
):
    data = form_data({Topic.INTENTION: 5})
    data["remark_trust_partners"] = "Het vertrouwen groeit"
    response = participant_client.post(answer_url(trajectory, open_pulse), data)
    assert response.status_code == 302
    stored = Response.objects.get(pulse=open_pulse, participant=participant)
    assert stored.partner_id == participant.partner_id and stored.level == participant.level
    assert stored.answers.count() == len(STATEMENTS)
    assert stored.answers.get(statement="intention_goals").score == 5
    assert stored.answers.get(statement="trust_partners").remark == "Het vertrouwen groeit"


def test_the_form_shows_earlier_answers_and_a_second_submit_replaces_them(
    participant_client, participant, trajectory, open_pulse
):
    url = answer_url(trajectory, open_pulse)
    participant_client.post(url, form_data(default=2))
    participant_client.post(url, form_data(default=2))  # double submit
    assert Response.objects.filter(pulse=open_pulse).count() == 1
    assert Answer.objects.filter(response__pulse=open_pulse).count() == len(STATEMENTS)
    page = participant_client.get(url).content.decode()
    assert (
        'value="2" id="id_score_intention_goals_1"\n                checked' in page
        or 'value="2"' in page
    )
    participant_client.post(url, form_data(default=4))
    assert set(
        Answer.objects.filter(response__pulse=open_pulse).values_list("score", flat=True)
    ) == {4}


def test_missing_scores_are_marked_and_nothing_typed_is_lost(
    participant_client, trajectory, open_pulse
):
    data = form_data()
    del data["score_action_plans"]
    data["remark_action_plans"] = "Mijn toelichting"
    response = participant_client.post(answer_url(trajectory, open_pulse), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert "Kies een score van 1 tot 5." in page
    assert 'aria-describedby="id_score_action_plans_error"' in page
    assert "Mijn toelichting" in page
    assert not Response.objects.filter(pulse=open_pulse).exists()


@pytest.mark.parametrize("bad", ["0", "6", "abc", "-1", "3.5"])
def test_scores_outside_one_to_five_are_refused(participant_client, trajectory, open_pulse, bad):
    data = form_data()
    data["score_trust_partners"] = bad
    assert participant_client.post(answer_url(trajectory, open_pulse), data).status_code == 422
    assert not Response.objects.exists()


def test_a_too_long_remark_is_refused_and_kept(participant_client, trajectory, open_pulse):
    data = form_data()
    data["remark_mandate_known"] = "x" * 501
    response = participant_client.post(answer_url(trajectory, open_pulse), data)
    assert response.status_code == 422
    assert "x" * 501 in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_html_in_a_remark_is_stored_as_text_and_escaped(
    facilitator_client, trajectory, partner, open_pulse
):
    script = "<script>alert('x')</script> Ünïcödé 🙂 مرحبا"
    for person in people(partner, 3):
        services.response_submit(
            pulse=open_pulse, participant=person, answers=answers(remark=script)
        )
    page = facilitator_client.get(
        f"/t/{trajectory.pk}/gezondheid/pulsen/{open_pulse.pk}/"
    ).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Ünïcödé 🙂 مرحبا" in page


def test_an_answer_to_a_closed_pulse_is_refused_and_kept_on_screen(
    participant_client, trajectory, open_pulse
):
    url = answer_url(trajectory, open_pulse)
    page = participant_client.get(url)  # the form is loaded …
    assert page.status_code == 200
    services.pulse_close(pulse=open_pulse)  # … the facilitator closes the pulse …
    data = form_data(default=5)
    data["remark_ambition_room"] = "Niet kwijtraken"
    response = participant_client.post(url, data)  # … and the stale form arrives
    assert response.status_code == 409
    content = response.content.decode()
    assert "niet opgeslagen" in content and "Niet kwijtraken" in content
    assert not Response.objects.exists()


def test_a_pulse_that_is_not_open_shows_a_message(participant_client, trajectory):
    pulse = Pulse.objects.create(trajectory=trajectory, title="Dicht")
    page = participant_client.get(answer_url(trajectory, pulse)).content.decode()
    assert "staat niet open" in page
    assert "Mijn antwoorden versturen" not in page


def test_next_is_only_followed_to_this_site(participant_client, trajectory, open_pulse):
    data = form_data()
    data["next"] = "https://evil.example/phish"
    response = participant_client.post(answer_url(trajectory, open_pulse), data)
    assert response["Location"] == f"/t/{trajectory.pk}/gezondheid/"


def test_the_facilitator_creates_opens_and_closes_a_pulse(facilitator_client, trajectory):
    base = f"/t/{trajectory.pk}/gezondheid"
    response = facilitator_client.post(
        f"{base}/pulsen/nieuw/", {"title": "Najaar", "open_now": "on"}
    )
    pulse = Pulse.objects.get(trajectory=trajectory)
    assert response["Location"] == f"{base}/pulsen/{pulse.pk}/"
    assert pulse.is_open and pulse.opened_at
    facilitator_client.post(f"{base}/pulsen/{pulse.pk}/status/", {"action": "close"})
    pulse.refresh_from_db()
    assert pulse.status == Pulse.Status.CLOSED and pulse.closed_at
    facilitator_client.post(f"{base}/pulsen/{pulse.pk}/status/", {"action": "open"})
    pulse.refresh_from_db()
    assert pulse.is_open


@pytest.mark.parametrize(
    "title, message",
    [
        ("", "Dit veld is verplicht."),
        ("x" * 121, "niet meer dan 120 tekens"),
    ],
)
def test_a_bad_pulse_title_is_explained(facilitator_client, trajectory, title, message):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/gezondheid/pulsen/nieuw/", {"title": title}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Pulse.objects.exists()


def test_a_double_submitted_pulse_is_created_once(facilitator_client, trajectory):
    url = f"/t/{trajectory.pk}/gezondheid/pulsen/nieuw/"
    facilitator_client.post(url, {"title": "Najaar"})
    response = facilitator_client.post(url, {"title": "najaar"})
    assert response.status_code == 422
    assert "al een peiling met deze titel" in response.content.decode()
    assert Pulse.objects.count() == 1


def test_a_pulse_title_with_html_is_escaped_everywhere(facilitator_client, trajectory, partner):
    title = "<b>Vet</b> & <img src=x onerror=alert(1)>"
    answered_pulse(trajectory, people(partner, 3), title=title)
    page = facilitator_client.get(f"/t/{trajectory.pk}/gezondheid/").content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def sham_pulse(trajectory, partner):
    return answered_pulse(trajectory, people(partner, 3), {Topic.INTENTION: 5, Topic.ACTION: 2})


def test_the_facilitator_confirms_and_dismisses_findings_with_a_note(
    facilitator_client, facilitator, trajectory, partner
):
    pulse = sham_pulse(trajectory, partner)
    url = f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/bevindingen/sham/"
    response = facilitator_client.post(
        url, {"status": "confirmed", "note": "Herkend in de stuurgroep"}
    )
    assert response.status_code == 302
    decision = DiagnosisDecision.objects.get(pulse=pulse, rule="sham")
    assert decision.status == "confirmed" and decision.decided_by == facilitator
    facilitator_client.post(url, {"status": "dismissed", "note": "Toch niet"})
    assert DiagnosisDecision.objects.get(pulse=pulse, rule="sham").note == "Toch niet"
    facilitator_client.post(url, {"action": "reopen"})
    assert not DiagnosisDecision.objects.exists()


def test_deciding_through_htmx_returns_the_findings_fragment(
    facilitator_client, trajectory, partner
):
    pulse = sham_pulse(trajectory, partner)
    url = f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/bevindingen/sham/"
    response = facilitator_client.post(
        url, {"status": "confirmed", "note": ""}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="findings"') and "<html" not in content
    assert "Bevestigd door de procesbegeleider" in content


def test_a_bad_decision_is_explained_and_the_note_kept(facilitator_client, trajectory, partner):
    pulse = sham_pulse(trajectory, partner)
    url = f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/bevindingen/sham/"
    response = facilitator_client.post(url, {"status": "maybe", "note": "Mijn notitie"})
    assert response.status_code == 422
    content = response.content.decode()
    assert "Mijn notitie" in content and 'id="status-sham-error"' in content
    response = facilitator_client.post(url, {"status": "confirmed", "note": "n" * 2001})
    assert response.status_code == 422 and "n" * 2001 in response.content.decode()
    assert not DiagnosisDecision.objects.exists()


def test_managers_see_confirmed_findings_but_no_dismissed_ones_and_no_notes(
    client, manager, facilitator, trajectory, partner
):
    pulse = answered_pulse(
        trajectory, people(partner, 3), {Topic.INTENTION: 5, Topic.ACTION: 2, Topic.TRUST: 1}
    )
    services.diagnosis_decide(
        pulse=pulse, rule="sham", status="confirmed", note="Geheime notitie A", by=facilitator
    )
    services.diagnosis_decide(
        pulse=pulse, rule="low_trust", status="dismissed", note="Geheime notitie B", by=facilitator
    )
    client.force_login(manager)
    for url in (
        f"/t/{trajectory.pk}/gezondheid/",
        f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/",
    ):
        page = client.get(url).content.decode()
        assert "Schijnsamenwerking" in page
        assert "Weinig vertrouwen" not in page
        assert "Geheime notitie" not in page
        assert "Oordeel opslaan" not in page


def test_a_decision_on_a_finding_the_answers_no_longer_show_is_refused(
    facilitator_client, trajectory, partner
):
    pulse = answered_pulse(trajectory, people(partner, 3), {Topic.INTENTION: 3, Topic.ACTION: 3})
    url = f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/bevindingen/sham/"
    response = facilitator_client.post(
        url, {"status": "confirmed", "note": "Oude pagina"}, follow=True
    )
    assert "geen gevolg meer van de antwoorden" in response.content.decode()
    assert not DiagnosisDecision.objects.exists()


def test_a_pulse_remembers_the_phase_it_was_held_in(facilitator_client, trajectory):
    trajectory.phase = trajectory.Phase.BUILD_UP
    trajectory.save(update_fields=["phase"])
    facilitator_client.post(f"/t/{trajectory.pk}/gezondheid/pulsen/nieuw/", {"title": "Opbouw"})
    pulse = Pulse.objects.get()
    assert pulse.phase == "build_up"
    trajectory.phase = trajectory.Phase.EXECUTION
    trajectory.save(update_fields=["phase"])
    page = facilitator_client.get(
        f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/"
    ).content.decode()
    assert "Fase: Opbouw" in page


def test_a_bad_decision_through_htmx_comes_back_in_the_fragment(
    facilitator_client, trajectory, partner
):
    pulse = sham_pulse(trajectory, partner)
    url = f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/bevindingen/sham/"
    response = facilitator_client.post(
        url, {"status": "", "note": "Bewaar mij"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert response.status_code == 422  # swapped all the same (static/js/app.js)
    assert content.lstrip().startswith('<div id="findings"')
    assert (
        "Bewaar mij" in content
        and 'id="status-sham-error"' in content
        and 'role="alert"' in content
    )


def test_a_stale_finding_through_htmx_reloads_the_page(facilitator_client, trajectory, partner):
    pulse = answered_pulse(trajectory, people(partner, 3))
    url = f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/bevindingen/sham/"
    response = facilitator_client.post(url, {"status": "confirmed"}, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/"


def test_the_findings_fragment_can_be_fetched_alone(facilitator_client, trajectory, partner):
    pulse = sham_pulse(trajectory, partner)
    url = f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/?part=findings"
    fragment = facilitator_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="findings"') and "Schijnsamenwerking" in fragment
    page = facilitator_client.get(url).content.decode()
    assert "<html" in page and "Schijnsamenwerking" in page


@pytest.mark.parametrize("score", [0, 6])
def test_the_model_refuses_an_answer_score_outside_one_to_five(score):
    """The 1–5 range is the model field's own validator (health.models.SCORES), not a literal
    each form repeats."""
    answer = Answer(statement=STATEMENTS[0].key, score=score)
    with pytest.raises(ValidationError) as refused:
        answer.full_clean(exclude=["response"])
    assert list(refused.value.message_dict) == ["score"]

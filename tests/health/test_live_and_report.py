"""The pulse as a workshop agenda item, and the health section of the progress report."""

import io

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader

from health import live, services
from health.models import InterimChange, Pulse, Risk, Stakeholder
from health.report import progress_section
from health.statements import Topic
from reports.models import Report
from reports.rendering import report_render
from tests import factories
from trajectories.access import Viewer
from workshops.models import AgendaItem, Workshop
from workshops.services import workshop_close, workshop_start

from .helpers import answered_pulse, answers, form_data, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(trajectory):
    workshop = Workshop.objects.create(
        trajectory=trajectory, title="Tweede werkbijeenkomst", starts_at=timezone.now()
    )
    return AgendaItem.objects.create(
        workshop=workshop, kind=AgendaItem.Kind.PULSE, title="Peiling in de zaal"
    )


def render_screens(item, viewer):
    """What each screen shows; a participant only ever gets the participant screen."""
    context = {
        "item": item,
        "workshop": item.workshop,
        "viewer": viewer,
        **live.live_context(item, viewer),
    }
    screens = ("participant",) if viewer.is_participant else ("projector", "console")
    return {screen: render_to_string(f"health/live/_{screen}.html", context) for screen in screens}


def test_before_opening_every_screen_says_what_comes(item, trajectory, participant):
    screens = render_screens(
        item, Viewer(trajectory=trajectory, role="participant", participant=participant)
    )
    assert "opent zo de peiling" in screens["participant"]
    screens = render_screens(item, Viewer(trajectory=trajectory, role="facilitator"))
    assert "Peiling openen" in screens["console"]
    assert "gaat zo open" in screens["projector"]


def test_the_facilitator_opens_the_items_pulse_and_every_screen_follows(
    facilitator_client, trajectory, item
):
    version = item.workshop.version
    url = f"/t/{trajectory.pk}/gezondheid/agendapunt/{item.pk}/puls/"
    response = facilitator_client.post(url, {"action": "open", "next": "/elders/"})
    assert response.status_code == 302 and response["Location"] == "/elders/"
    pulse = Pulse.objects.get(agenda_item=item)
    assert pulse.is_open and pulse.title == "Peiling in de zaal" and pulse.trajectory == trajectory
    item.workshop.refresh_from_db()
    assert item.workshop.version > version
    facilitator_client.post(url, {"action": "open"})  # a double click opens the same pulse
    assert Pulse.objects.filter(agenda_item=item).count() == 1
    facilitator_client.post(url, {"action": "close"})
    pulse.refresh_from_db()
    assert pulse.status == Pulse.Status.CLOSED


def test_an_answer_through_the_workshop_bumps_its_version(client, trajectory, item, participant):

    pulse = services.pulse_create(
        trajectory=trajectory, title="Live", open_now=True, agenda_item=item
    )
    factories.login_participant(client, participant)
    screens = render_screens(
        item, Viewer(trajectory=trajectory, role="participant", participant=participant)
    )
    assert f"/gezondheid/pulsen/{pulse.pk}/invullen/" in screens["participant"]
    before = Workshop.objects.get(pk=item.workshop_id).version
    client.post(f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/invullen/", form_data())
    assert Workshop.objects.get(pk=item.workshop_id).version == before + 1
    screens = render_screens(
        item, Viewer(trajectory=trajectory, role="participant", participant=participant)
    )
    assert "ingevuld" in screens["participant"]


def test_the_projector_shows_the_profile_from_three_answers_on(trajectory, item, partner):
    pulse = services.pulse_create(
        trajectory=trajectory, title="Live", open_now=True, agenda_item=item
    )
    room = Viewer(trajectory=trajectory, role="manager")
    persons = people(partner, 3)

    for person in persons[:2]:
        services.response_submit(
            pulse=pulse, participant=person, answers=answers({Topic.INTENTION: 5})
        )
    screens = render_screens(item, room)
    assert "2 antwoorden" in screens["projector"] and "<svg" not in screens["projector"]
    services.response_submit(
        pulse=pulse, participant=persons[2], answers=answers({Topic.INTENTION: 5})
    )
    screens = render_screens(item, room)
    assert "<svg" in screens["projector"] and "<title" in screens["projector"]


def test_live_context_takes_a_fixed_number_of_queries(
    django_assert_max_num_queries, trajectory, item, partner
):
    pulse = services.pulse_create(
        trajectory=trajectory, title="Live", open_now=True, agenda_item=item
    )

    for person in people(partner, 8):
        services.response_submit(pulse=pulse, participant=person, answers=answers())
    with django_assert_max_num_queries(3):
        live.live_context(item, Viewer(trajectory=trajectory, role="facilitator"))


def fill_report(trajectory, partner, facilitator):
    pulse = answered_pulse(
        trajectory, people(partner, 3), {Topic.INTENTION: 5, Topic.ACTION: 2, Topic.TRUST: 1}
    )
    services.diagnosis_decide(
        pulse=pulse, rule="sham", status="confirmed", note="Notitie bij bevestiging", by=facilitator
    )
    services.diagnosis_decide(
        pulse=pulse,
        rule="low_trust",
        status="dismissed",
        note="Notitie bij verwerping",
        by=facilitator,
    )
    InterimChange.objects.create(
        trajectory=trajectory,
        kind="new_board",
        title="Nieuwe bestuurder",
        occurred_on=timezone.localdate(),
        meaning_roles="Mandaat opnieuw bepalen",
    )
    Risk.objects.create(
        trajectory=trajectory,
        category="financial",
        title="Budgettekort",
        likelihood=4,
        impact=5,
        review_on=timezone.localdate() - timezone.timedelta(days=1),
    )
    Stakeholder.objects.create(
        trajectory=trajectory,
        name="Bewonerscommissie",
        partner=partner,
        kind="constituency",
        attitude="resisting",
        shared_concern=True,
    )


def test_the_facilitators_report_holds_profile_diagnosis_changes_risks_and_stakeholders(
    trajectory, partner, facilitator
):
    fill_report(trajectory, partner, facilitator)
    html = render_to_string(
        "health/report/_progress.html",
        {"section": progress_section(trajectory, audience="facilitator")},
    )
    assert html.lstrip().startswith('<section class="report-section" id="health">')
    for text in (
        "<svg",
        "Schijnsamenwerking",
        "Uitwegen",
        "Notitie bij bevestiging",
        "Weinig vertrouwen",
        "Nieuwe bestuurder",
        "Budgettekort",
        "Kans 4",
        "Bewonerscommissie",
        "Gezamenlijke zorg",
    ):
        assert text in html, text


def test_the_managers_report_leaves_out_dismissed_findings_notes_and_answers(
    trajectory, partner, facilitator
):
    fill_report(trajectory, partner, facilitator)
    html = render_to_string(
        "health/report/_progress.html",
        {"section": progress_section(trajectory, audience="manager")},
    )
    assert "Schijnsamenwerking" in html
    assert "Weinig vertrouwen" not in html
    assert "Notitie bij" not in html
    for person in partner.participants.all():
        assert person.name not in html


def test_an_empty_trajectory_has_no_health_section(trajectory):
    assert progress_section(trajectory, audience="manager") is None


def test_the_console_button_works_through_htmx_without_a_form_token(
    facilitator_client, trajectory, item
):
    screens = render_screens(item, Viewer(trajectory=trajectory, role="facilitator"))
    assert 'hx-post="/t/' in screens["console"]
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/gezondheid/agendapunt/{item.pk}/puls/",
        {"action": "open"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    assert Pulse.objects.get(agenda_item=item).is_open


def test_the_workshop_screens_render_the_pulse_item(
    client, facilitator, trajectory, item, participant
):
    """Through the workshops app's own live pages: console, projector and the participant's
    phone."""

    Workshop.objects.filter(pk=item.workshop_id).update(
        status=Workshop.Status.LIVE, current_item=item
    )
    pulse = services.pulse_create(
        trajectory=trajectory, title="In de zaal", open_now=True, agenda_item=item
    )
    base = f"/t/{trajectory.pk}/bijeenkomsten/{item.workshop_id}"
    client.force_login(facilitator)
    console = client.get(f"{base}/regie/").content.decode()
    assert f"/gezondheid/agendapunt/{item.pk}/puls/" in console and "Peiling sluiten" in console
    projector = client.get(f"{base}/scherm/").content.decode()
    assert "0 antwoorden" in projector
    client.logout()
    factories.login_participant(client, participant)
    phone = client.get(f"{base}/live/").content.decode()
    assert f"/gezondheid/pulsen/{pulse.pk}/invullen/?next=" in phone


def test_the_pdf_progress_report_carries_the_health_section_for_managers(
    trajectory, partner, facilitator, manager
):
    """Through the reports app's real renderer: charts survive WeasyPrint, nothing
    facilitator-only leaks."""

    fill_report(trajectory, partner, facilitator)
    report = Report.objects.create(
        trajectory=trajectory,
        kind=Report.Kind.PROGRESS,
        language="nl",
        audience=Report.Audience.MANAGER,
        requested_by=manager,
    )
    rendered = report_render(report)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages)
    assert "Gezondheid van de samenwerking" in text and "Schijnsamenwerking" in text
    assert "Budgettekort" in text and "Bewonerscommissie" in text
    assert "Notitie bij" not in text and "Weinig vertrouwen" not in text


def test_closing_the_workshop_closes_its_pulse(trajectory, item):

    pulse = services.pulse_create(
        trajectory=trajectory, title="Live", open_now=True, agenda_item=item
    )
    elsewhere = services.pulse_create(trajectory=trajectory, title="Los", open_now=True)
    workshop_start(workshop=item.workshop)

    workshop_close(workshop=item.workshop)

    pulse.refresh_from_db()
    elsewhere.refresh_from_db()
    assert pulse.status == Pulse.Status.CLOSED and pulse.closed_at is not None
    assert elsewhere.is_open  # a pulse of no workshop stays as it is


def test_a_second_workshops_pulse_is_named_after_its_workshop_without_ids(
    facilitator_client, trajectory, item
):
    first_url = f"/t/{trajectory.pk}/gezondheid/agendapunt/{item.pk}/puls/"
    facilitator_client.post(first_url, {"action": "open"})
    later = Workshop.objects.create(
        trajectory=trajectory,
        title="Derde werkbijeenkomst",
        starts_at=timezone.make_aware(timezone.datetime(2026, 12, 1, 14, 0)),
    )
    twins = [
        AgendaItem.objects.create(workshop=later, kind=AgendaItem.Kind.PULSE, title=item.title)
        for _ in range(2)
    ]

    for twin in twins:
        facilitator_client.post(
            f"/t/{trajectory.pk}/gezondheid/agendapunt/{twin.pk}/puls/", {"action": "open"}
        )

    titles = [Pulse.objects.get(agenda_item=twin).title for twin in twins]
    assert titles == [
        "Peiling in de zaal – Derde werkbijeenkomst (1 december 2026)",
        "Peiling in de zaal – Derde werkbijeenkomst (1 december 2026) 2",
    ]

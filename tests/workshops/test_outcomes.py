"""What the workshops app contributes elsewhere: overview summary, report sections, demo data."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.workshops.conftest import add_item, make_workshop
from workshops import demo, report, services
from workshops.models import ActionItem, AgendaItem, Workshop

pytestmark = pytest.mark.django_db


def _closed_workshop(trajectory, participant, *, revealed=True, people=1):
    workshop = make_workshop(trajectory, title="Eerste werkbijeenkomst")
    check_in = add_item(workshop, AgendaItem.Kind.CHECK_IN, "Check-in")
    voting = add_item(workshop, AgendaItem.Kind.DOT_VOTING, "Stemmen")
    option = services.option_add(item=voting, label="Wachtlijst aanpakken")
    services.workshop_start(workshop=workshop)
    everyone = [participant] + [
        factories.make_participant(participant.partner) for _ in range(people - 1)
    ]
    for person in everyone:
        services.contribution_add(item=check_in, participant=person, text=f"Zin van {person.name}")
    workshop = services.workshop_go(workshop=workshop, item=voting)
    voting.refresh_from_db()
    for person in everyone:
        services.dot_place(
            item=AgendaItem.objects.select_related("workshop").get(pk=voting.pk),
            participant=person,
            option=option,
        )
    if revealed:
        services.item_reveal(item=voting)
    agreement = services.agreement_record(
        workshop=workshop, text="We delen de wachtlijst maandelijks"
    )
    services.action_item_record(
        workshop=workshop,
        title="Wachtlijst aanleveren",
        owner_participant=participant,
        due_date="2030-02-01",
        agreement=agreement,
    )
    return services.workshop_close(workshop=workshop)


def test_session_section_tells_the_whole_story(trajectory, participant):
    workshop = _closed_workshop(trajectory, participant)
    section = report.session_section(workshop, audience="manager")
    html = render_to_string("workshops/report/_session.html", {"section": section})
    for text in (
        "Eerste werkbijeenkomst",
        participant.partner.name,
        participant.name,
        "Zin van Anouk de Vries",
        "Wachtlijst aanpakken",
        "We delen de wachtlijst maandelijks",
        "Wachtlijst aanleveren",
        "1 februari 2030",
    ):
        assert text in html, text
    assert html.lstrip().startswith('<section class="report-section"')


def test_a_manager_report_leaves_out_unrevealed_votes(trajectory, participant):
    workshop = _closed_workshop(trajectory, participant, revealed=False)
    manager_html = render_to_string(
        "workshops/report/_session.html",
        {"section": report.session_section(workshop, audience="manager")},
    )
    facilitator_html = render_to_string(
        "workshops/report/_session.html",
        {"section": report.session_section(workshop, audience="facilitator")},
    )
    assert "Wachtlijst aanpakken" not in manager_html
    assert "Wachtlijst aanpakken" in facilitator_html


def test_session_section_queries_do_not_grow_with_the_data(
    trajectory, participant, django_assert_num_queries
):
    small = _closed_workshop(trajectory, participant, people=1)
    large = _closed_workshop(trajectory, participant, people=8)

    def count(workshop):
        with CaptureQueriesContext(connection) as ctx:
            render_to_string(
                "workshops/report/_session.html",
                {"section": report.session_section(workshop, audience="facilitator")},
            )
        return len(ctx.captured_queries)

    assert count(small) == count(large)


def test_progress_section_lists_workshops_and_agreements(trajectory, participant):
    _closed_workshop(trajectory, participant)
    make_workshop(trajectory, title="Tweede werkbijeenkomst")
    section = report.progress_section(trajectory, audience="manager")
    html = render_to_string("workshops/report/_progress.html", {"section": section})
    assert html.index("Eerste werkbijeenkomst") < html.index("Tweede werkbijeenkomst")
    assert "We delen de wachtlijst maandelijks" in html
    assert report.progress_section(factories.make_trajectory(), audience="manager") is None


def test_overview_shows_next_workshop_and_open_actions(facilitator_client, trajectory, participant):
    _closed_workshop(trajectory, participant)
    make_workshop(trajectory, title="Tweede werkbijeenkomst")
    html = facilitator_client.get(f"/t/{trajectory.pk}/").content.decode()
    assert "Tweede werkbijeenkomst" in html and "Eerste werkbijeenkomst" in html
    assert "1 open actiepunt" in html


def test_demo_loads_a_closed_and_a_planned_workshop_once(trajectory, partner, participant):
    demo.load(trajectory)
    demo.load(trajectory)
    workshops = list(Workshop.objects.filter(trajectory=trajectory).order_by("starts_at"))
    assert [w.status for w in workshops] == [Workshop.Status.CLOSED, Workshop.Status.PLANNED]
    closed = workshops[0]
    assert closed.items.filter(contributions__isnull=False).exists()
    assert closed.items.get(kind=AgendaItem.Kind.DOT_VOTING).dots.exists()
    assert closed.agreements.exists() and ActionItem.objects.filter(workshop=closed).exists()

import pytest
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import timezone

from improvements import report, services
from improvements.charts import gain_effort_svg
from improvements.demo import load
from improvements.models import ImprovementPackage, Position, Proposal
from tests import factories
from tests.improvements.helpers import adopt, make_package, make_proposal, support_all
from trajectories.models import Partner
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

DEMO_PARTNERS = [
    ("Gemeente Rivierstad", "municipality"),
    ("Woonstichting De Linge", "housing"),
    ("Woongoed Rivierland", "housing"),
    ("GGZ Midden-Rivierland", "mental_health"),
    ("Stichting Onderdak Rivierstad", "shelter"),
]


@pytest.fixture
def demo_trajectory(facilitator):
    trajectory = factories.make_trajectory("Demo", facilitator=facilitator)
    for name, kind in DEMO_PARTNERS:
        factories.make_participant(factories.make_partner(trajectory, name, kind=kind))
    Workshop.objects.create(
        trajectory=trajectory, title="Eerste werkbijeenkomst", starts_at=timezone.now()
    )
    return trajectory


def test_demo_loads_proposals_positions_and_an_adopted_package(demo_trajectory):
    load(demo_trajectory)
    load(demo_trajectory)  # safe to run again
    assert Proposal.objects.filter(trajectory=demo_trajectory).count() == 4
    assert Position.objects.filter(stance="conditions").exists()
    assert Position.objects.filter(stance="objects").exists()
    adopted = ImprovementPackage.objects.get(trajectory=demo_trajectory, status="adopted")
    assert adopted.action_links.count() == 4
    assert len(adopted.frozen_content["proposals"]) == 2


def test_progress_section_renders_package_matrix_chart_and_follow_up(
    demo_trajectory, django_assert_max_num_queries
):
    load(demo_trajectory)
    with django_assert_max_num_queries(12):
        section = report.progress_section(demo_trajectory, audience="manager")
        html = render_to_string("improvements/report/_progress.html", {"section": section})
    assert html.startswith('<section class="report-section" id="improvements">')
    assert "Verbeterpakket" in html and "<svg" in html and "<title" in html
    assert "Stichting Onderdak Rivierstad" in html
    assert "Over tijd bij Gemeente Rivierstad" in html


def test_session_section_shows_the_proposals_of_that_workshop(demo_trajectory):
    load(demo_trajectory)
    workshop = Workshop.objects.get(trajectory=demo_trajectory)
    section = report.session_section(workshop, audience="facilitator")
    html = render_to_string("improvements/report/_session.html", {"section": section})
    assert "Eén gezamenlijk uitstroomoverleg per maand" in html
    assert "Voorstellen uit deze werkbijeenkomst" in html
    # Positions were taken today, the day of the workshop: they are listed, objection included.
    assert "Wij kunnen zorggeld niet in een gemeentelijk budget onderbrengen." in html


def test_session_section_leaves_out_positions_from_another_day(demo_trajectory):
    load(demo_trajectory)
    workshop = Workshop.objects.get(trajectory=demo_trajectory)
    Workshop.objects.filter(pk=workshop.pk).update(
        starts_at=timezone.now() - timezone.timedelta(days=30)
    )
    workshop.refresh_from_db()
    section = report.session_section(workshop, audience="manager")
    assert section["changes"] == []


def test_sections_are_left_out_when_there_is_nothing(trajectory):
    workshop = Workshop.objects.create(
        trajectory=trajectory, title="Leeg", starts_at=timezone.now()
    )
    assert report.progress_section(trajectory, audience="manager") is None
    assert report.session_section(workshop, audience="manager") is None


def test_chart_is_accessible_and_escapes_titles():
    svg = gain_effort_svg(
        [
            {
                "number": 1,
                "title": "<b>Één</b> & co",
                "effort": 1,
                "gain": 2.0,
                "supporters": 2,
                "partners": 2,
            }
        ]
    )
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert "&lt;b&gt;Één&lt;/b&gt; &amp; co" in svg
    assert "<b>" not in svg
    assert ">1</text>" in svg  # the number is text, not colour


def test_matrix_page_shows_symbols_words_and_gain(facilitator_client, trajectory, partner):
    proposal = make_proposal(trajectory, gains={partner.pk: ("much", "")})
    support_all(proposal, [partner], stance="conditions", text="Mits betaalbaar", mandate="board")
    body = facilitator_client.get(f"/t/{trajectory.pk}/verbeteringen/draagvlak/").content.decode()
    assert "◐" in body and "Steunt onder voorwaarden" in body
    assert "Bestuursbesluit nodig" in body and "Winst: veel" in body
    assert "<svg" in body


def test_demo_partners_exist_in_the_trajectory(demo_trajectory):
    assert Partner.objects.filter(trajectory=demo_trajectory).count() == 5


def test_progress_report_shows_the_adopted_package_and_the_draft_in_preparation(
    trajectory, partner, facilitator
):
    adopted_proposal = make_proposal(trajectory, "Eén intake voor alle partners")
    support_all(adopted_proposal, [partner])
    adopted = adopt(make_package(trajectory, [adopted_proposal], title="Pakket 2027"), facilitator)
    draft = services.package_new_version(package=adopted)
    draft.proposals.add(make_proposal(trajectory, "Gedeelde wachtlijst"))

    section = report.progress_section(trajectory, audience="manager")
    assert section["adopted"] == adopted
    assert section["draft"] == draft
    html = render_to_string("improvements/report/_progress.html", {"section": section})
    adopted_part = html[html.index("Pakket 2027 (versie 1)") : html.index("Pakket 2027 (versie 2)")]
    assert "Vastgesteld op" in adopted_part and "Eén intake voor alle partners" in adopted_part
    draft_part = html[html.index("Pakket 2027 (versie 2)") : html.index("Draagvlakmatrix")]
    assert "In voorbereiding" in draft_part and "Nog niet gedragen" in draft_part
    assert "Gedeelde wachtlijst" in draft_part
    flags = {b["proposal"].title: (b["adopted"], b["in_package"]) for b in section["blocks"]}
    assert flags == {
        "Eén intake voor alle partners": (True, True),
        "Gedeelde wachtlijst": (False, True),
    }


def test_chart_states_the_average_gain_rounded_as_the_tables_round():
    # One partner of four expects some gain: 0.25, which a table shows as 0,3 (half up).
    point = {"number": 1, "title": "Eén", "effort": 1, "gain": 0.25, "supporters": 0}
    svg = gain_effort_svg([{**point, "partners": 4}])
    assert f"gemiddelde winst {floatformat(0.25, 1)}," in svg
    assert floatformat(0.25, 1) == "0,3"

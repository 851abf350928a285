"""Tier enforcement on every route where interest content can appear, checked with marker
strings."""

import io
import re

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import load_workbook

from interests.models import Interest, Theme
from interests.report import progress_section, session_section
from reports.snapshot import collect_facts
from tests import factories
from trajectories.access import PARTICIPANT, Viewer
from workshops.models import Workshop

from .conftest import MARKER_ANON, MARKER_SECRET, OTHER_PARTNER, make_interest

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _row_with(html: str, marker: str) -> str:
    """The table row (or card) that holds the marker: its partner cell must not name the partner."""
    at = html.index(marker)
    start = max(html.rfind("<tr", 0, at), html.rfind("<article", 0, at))
    end = html.find("</tr>", at)
    return html[start:end]


def _urls(trajectory, round):
    base = f"/t/{trajectory.pk}/belangen"
    return {
        "index": f"{base}/",
        "round": f"{base}/rondes/{round.pk}/",
        "map": f"{base}/kaart/?ronde={round.pk}",
        "map_large": f"{base}/kaart/?ronde={round.pk}&groot=1",
    }


def _assert_shared_but_anonymous(html):
    assert MARKER_SECRET not in html
    assert MARKER_ANON in html
    assert OTHER_PARTNER not in _row_with(html, MARKER_ANON)


@pytest.mark.parametrize("name", ["index", "round", "map", "map_large"])
@pytest.mark.parametrize("htmx", [False, True])
def test_participant_never_sees_facilitator_only_or_anonymous_name(
    participant_client, trajectory, secrets_round, name, htmx
):
    url = _urls(trajectory, secrets_round)[name]
    response = participant_client.get(url, headers=HX if htmx else {})
    assert response.status_code == 200
    html = response.content.decode()
    assert MARKER_SECRET not in html
    if name.startswith("map"):
        _assert_shared_but_anonymous(html)
        assert OTHER_PARTNER not in html  # its only visible interest is anonymous


@pytest.mark.parametrize("name", ["index", "round", "map", "map_large"])
@pytest.mark.parametrize("htmx", [False, True])
def test_manager_never_sees_facilitator_only_or_anonymous_name(
    manager_client, trajectory, secrets_round, name, htmx
):
    url = _urls(trajectory, secrets_round)[name]
    response = manager_client.get(url, headers=HX if htmx else {})
    assert response.status_code == 200
    _assert_shared_but_anonymous(response.content.decode())


@pytest.mark.parametrize("name", ["round", "map"])
def test_facilitator_sees_everything_with_names(
    facilitator_client, trajectory, secrets_round, name
):
    html = facilitator_client.get(_urls(trajectory, secrets_round)[name]).content.decode()
    assert MARKER_SECRET in html
    assert OTHER_PARTNER in _row_with(html, MARKER_ANON)


def test_participant_sees_nothing_of_others_before_reveal(
    client, trajectory, open_round, participant, other_participant
):

    make_interest(open_round, other_participant, f"Gedeeld {MARKER_ANON}", tier="named")
    factories.login_participant(client, participant)
    for url in _urls(trajectory, open_round).values():
        assert MARKER_ANON not in client.get(url).content.decode()
        assert MARKER_ANON not in client.get(url, headers=HX).content.decode()
    csv_text = client.get(
        f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/export.csv"
    ).content.decode()
    assert MARKER_ANON not in csv_text


def test_other_partners_drafts_stay_hidden_after_reveal(
    participant_client, trajectory, secrets_round, other_participant, facilitator
):

    Interest.objects.filter(pk=secrets_round.anon.pk).update(status=Interest.Status.DRAFT)
    html = participant_client.get(_urls(trajectory, secrets_round)["map"]).content.decode()
    assert MARKER_ANON not in html


def _csv(client, trajectory, round):
    response = client.get(f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return response.content.decode("utf-8-sig")


def _xlsx_rows(client, trajectory, round):
    response = client.get(f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[str(c or "") for c in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("who", ["participant_client", "manager_client"])
def test_exports_respect_tiers_of_whoever_exports(request, who, trajectory, secrets_round):
    client = request.getfixturevalue(who)
    text = _csv(client, trajectory, secrets_round)
    assert MARKER_SECRET not in text
    anon_line = next(line for line in text.splitlines() if MARKER_ANON in line)
    assert OTHER_PARTNER not in anon_line
    rows = _xlsx_rows(client, trajectory, secrets_round)
    flat = "\n".join(";".join(r) for r in rows)
    assert MARKER_SECRET not in flat
    anon_row = next(r for r in rows if any(MARKER_ANON in c for c in r))
    assert OTHER_PARTNER not in anon_row


def test_facilitator_export_holds_everything(facilitator_client, trajectory, secrets_round):
    text = _csv(facilitator_client, trajectory, secrets_round)
    assert MARKER_SECRET in text
    assert re.search(rf"{OTHER_PARTNER};Gedeeld {MARKER_ANON}", text)
    rows = _xlsx_rows(facilitator_client, trajectory, secrets_round)
    assert any(MARKER_SECRET in c for r in rows for c in r)


def test_report_sections_hide_facilitator_only_content_from_managers(trajectory, secrets_round):

    manager_html = render_to_string(
        "interests/report/_progress.html",
        {"section": progress_section(trajectory, audience="manager")},
    )
    _assert_shared_but_anonymous(manager_html)
    assert 'class="report-table"' in manager_html
    facilitator_html = render_to_string(
        "interests/report/_progress.html",
        {"section": progress_section(trajectory, audience="facilitator")},
    )
    assert MARKER_SECRET in facilitator_html


def test_session_section_shows_interests_revealed_on_the_workshop_day(trajectory, secrets_round):

    workshop = Workshop.objects.create(
        trajectory=trajectory, title="Werkbijeenkomst 1", starts_at=timezone.now()
    )
    section = session_section(workshop, audience="manager")
    html = render_to_string("interests/report/_session.html", {"section": section})
    _assert_shared_but_anonymous(html)
    assert "Wonen" in html
    assert str(Theme.Classification.COMPATIBLE.label) in html
    earlier = Workshop.objects.create(
        trajectory=trajectory,
        title="Eerder",
        starts_at=timezone.now() - timezone.timedelta(days=30),
    )
    assert session_section(earlier, audience="facilitator") is None


def test_workshops_can_read_the_same_rule(trajectory, secrets_round, participant):

    viewer = Viewer(trajectory=trajectory, role=PARTICIPANT, participant=participant)
    visible = list(Interest.objects.visible_to(viewer))
    assert secrets_round.secret not in visible
    anon = next(i for i in visible if i.pk == secrets_round.anon.pk)
    assert anon.display_partner_for(viewer) is None
    own = next(i for i in visible if i.pk == secrets_round.own.pk)
    assert own.display_partner_for(viewer) == participant.partner


def test_projector_view_of_the_facilitator_shows_only_what_the_room_may_see(
    facilitator_client, trajectory, secrets_round
):
    url = _urls(trajectory, secrets_round)["map_large"]
    for headers in ({}, HX):
        html = facilitator_client.get(url, headers=headers).content.decode()
        _assert_shared_but_anonymous(html)


def _paragraph_with(html: str, marker: str) -> str:
    """The <p> of the report's theme block that holds the marker: one partner's interests."""
    at = html.index(marker)
    return html[html.rfind("<p", 0, at) : html.find("</p>", at)]


@pytest.mark.parametrize("audience", ["manager", "facilitator"])
def test_report_interest_map_is_one_block_per_theme_with_the_maps_filtering(
    trajectory, secrets_round, participant, audience
):
    """The report turns the map on its side (A4 portrait) without changing who sees what."""

    section = progress_section(trajectory, audience=audience)
    html = render_to_string("interests/report/_progress.html", {"section": section})
    block = html[html.index('<div class="theme">') :]
    assert "Wonen — Verenigbaar" in block and "Past samen" in block
    assert "<table" not in block  # no partners × themes table that runs off the page
    own = _paragraph_with(block, "Eigen belang van de gemeente")
    assert participant.partner.name in own
    anonymous = _paragraph_with(block, MARKER_ANON)
    if audience == "manager":
        assert "Partner niet genoemd" in anonymous and OTHER_PARTNER not in anonymous
        assert MARKER_SECRET not in html
        assert OTHER_PARTNER not in html  # its only shared interest is anonymous
    else:  # the facilitator's edition holds everything, with names (as the facilitator's map)
        assert OTHER_PARTNER in _paragraph_with(block, MARKER_SECRET)
        assert OTHER_PARTNER in anonymous


@pytest.mark.parametrize(("audience", "expected"), [("manager", 2), ("facilitator", 3)])
def test_report_snapshot_counts_the_interests_its_audience_may_read(
    trajectory, secrets_round, audience, expected
):

    # A draft is never counted: reports show submitted interests only.
    Interest.objects.create(
        round=secrets_round, partner=secrets_round.own.partner, statement="Concept", tier="named"
    )
    assert collect_facts(trajectory, audience=audience)["counts"]["interests"] == expected

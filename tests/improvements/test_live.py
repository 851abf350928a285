import pytest
from django.utils import timezone

from improvements.live import live_context
from improvements.models import Proposal
from tests import factories
from trajectories.access import Viewer
from workshops.live_render import _plugin_content
from workshops.models import AgendaItem, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_item(trajectory):
    workshop = Workshop.objects.create(
        trajectory=trajectory, title="Werkbijeenkomst", starts_at=timezone.now(), status="live"
    )
    return AgendaItem.objects.create(
        workshop=workshop, kind="proposals", title="Verbetervoorstellen"
    )


def _url(trajectory, item):
    return f"/t/{trajectory.pk}/verbeteringen/live/{item.pk}/voorstel/"


def test_participant_adds_a_proposal_live_and_every_screen_is_told(
    participant_client, trajectory, partner, live_item
):
    version = live_item.workshop.version
    response = participant_client.post(
        _url(trajectory, live_item), {"title": "Samen één intake"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    proposal = Proposal.objects.get()
    assert (proposal.proposer_partner, proposal.workshop, proposal.agenda_item) == (
        partner,
        live_item.workshop,
        live_item,
    )
    assert proposal.origin == "workshop"
    assert "Uw voorstel staat nu op elk scherm" in body
    assert 'name="title"' in body and "Samen één intake" not in body  # an empty form again
    live_item.workshop.refresh_from_db()
    assert live_item.workshop.version == version + 1


def test_without_javascript_the_participant_returns_to_the_live_page(
    participant_client, trajectory, live_item
):
    response = participant_client.post(
        _url(trajectory, live_item), {"title": "Buddy", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/t/{trajectory.pk}/bijeenkomsten/{live_item.workshop_id}/live/"


def test_empty_or_too_long_live_proposal_keeps_the_text(participant_client, trajectory, live_item):
    response = participant_client.post(
        _url(trajectory, live_item), {"title": "x" * 201, "description": "Mijn toelichting"}
    )
    assert response.status_code == 422
    assert "Mijn toelichting" in response.content.decode()
    htmx = participant_client.post(
        _url(trajectory, live_item),
        {"title": "", "description": "Nog een"},
        headers={"HX-Request": "true"},
    )
    assert htmx.status_code == 422  # htmx swaps 422 in place (static/js/app.js)
    assert "Nog een" in htmx.content.decode() and "verplicht" in htmx.content.decode()
    assert not Proposal.objects.exists()


def test_no_proposals_are_added_to_a_workshop_that_is_not_live(
    participant_client, trajectory, live_item
):
    Workshop.objects.filter(pk=live_item.workshop_id).update(status="closed")
    response = participant_client.post(_url(trajectory, live_item), {"title": "Te laat"})
    assert response.status_code == 422
    assert "niet live" in response.content.decode()
    assert not Proposal.objects.exists()


def test_only_proposals_items_take_proposals(participant_client, trajectory, live_item):
    other = AgendaItem.objects.create(
        workshop=live_item.workshop, kind="check_in", title="Check-in"
    )
    assert participant_client.post(_url(trajectory, other), {"title": "X"}).status_code == 404


def test_live_context_takes_a_fixed_number_of_queries(
    django_assert_num_queries, trajectory, participant, live_item
):
    viewer = Viewer(trajectory=trajectory, role="participant", participant=participant)
    for n in range(2):
        factories.make_partner(trajectory, f"Partner {n}")
        Proposal.objects.create(trajectory=trajectory, title=f"V{n}", agenda_item=live_item)
    with django_assert_num_queries(5):
        small = live_context(live_item, viewer)
    for n in range(2, 30):
        factories.make_partner(trajectory, f"Partner {n}")
        Proposal.objects.create(trajectory=trajectory, title=f"V{n}", agenda_item=live_item)
    with django_assert_num_queries(5):
        large = live_context(live_item, viewer)
    assert (small["proposal_count"], large["proposal_count"]) == (2, 30)


@pytest.mark.parametrize("screen", ["participant", "projector", "console"])
def test_every_screen_renders_the_proposals_escaped(
    trajectory, participant, facilitator, live_item, screen
):
    Proposal.objects.create(trajectory=trajectory, title="<i>Eén</i> loket", agenda_item=live_item)
    if screen == "participant":
        viewer = Viewer(trajectory=trajectory, role="participant", participant=participant)
    else:
        viewer = Viewer(trajectory=trajectory, role="facilitator", user=facilitator)
    html = _plugin_content(live_item, viewer, screen)["plugin_html"]
    assert "&lt;i&gt;Eén&lt;/i&gt; loket" in html and "<i>Eén" not in html
    assert ("live-proposal-form" in html) == (screen != "projector")


def test_a_position_on_a_live_proposal_updates_every_screen(
    participant_client, trajectory, live_item
):
    proposal = Proposal.objects.create(
        trajectory=trajectory, title="Buddy", workshop=live_item.workshop, agenda_item=live_item
    )
    version = live_item.workshop.version
    participant_client.post(
        f"/t/{trajectory.pk}/verbeteringen/voorstellen/{proposal.pk}/standpunt/",
        {"stance": "supports", "mandate": "agreed", "version": 0},
    )
    live_item.workshop.refresh_from_db()
    assert live_item.workshop.version == version + 1

import pytest

from improvements.models import ImprovementKind, Proposal
from improvements.services import kinds_for
from tests import factories
from tests.improvements.helpers import make_action, make_proposal

pytestmark = pytest.mark.django_db


def test_facilitator_adds_a_kind_and_a_duplicate_is_explained(facilitator_client, trajectory):
    url = f"/t/{trajectory.pk}/verbeteringen/soorten/"
    facilitator_client.post(url, {"name": "Veiliger"})
    assert ImprovementKind.objects.filter(trajectory=trajectory, name="Veiliger").exists()
    response = facilitator_client.post(url, {"name": "veiliger"})
    assert response.status_code == 400
    assert "staat al op de lijst" in response.content.decode()
    assert ImprovementKind.objects.filter(trajectory=trajectory).count() == 9


def test_archived_kind_is_no_longer_offered_but_stays_on_earlier_proposals(
    facilitator_client, trajectory
):
    kind = kinds_for(trajectory)[0]
    proposal = make_proposal(trajectory, kinds=[kind])
    facilitator_client.post(f"/t/{trajectory.pk}/verbeteringen/soorten/{kind.pk}/archiveren/")
    form_page = facilitator_client.get(
        f"/t/{trajectory.pk}/verbeteringen/voorstellen/nieuw/"
    ).content.decode()
    assert f'value="{kind.pk}"' not in form_page
    detail = facilitator_client.get(proposal.get_absolute_url()).content.decode()
    assert kind.name in detail


def test_facilitator_edits_a_proposal_and_its_gains(facilitator_client, trajectory, partner):
    proposal = make_proposal(trajectory, gains={partner.pk: ("some", "")})
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/verbeteringen/voorstellen/{proposal.pk}/bewerken/",
        {
            "title": "Scherper voorstel",
            "effort": "large",
            "cost": "high",
            f"gain_{partner.pk}": "much",
            f"gain_note_{partner.pk}": "Scheelt twee fte",
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.title, proposal.effort) == ("Scherper voorstel", "large")
    gain = proposal.gains.get()
    assert (gain.level, gain.note) == ("much", "Scheelt twee fte")


def test_action_owned_by_a_colleague_can_be_updated_by_the_participant(
    participant_client, trajectory, partner
):
    from workshops.models import ActionItem

    colleague = factories.make_participant(partner, "Joris")
    action = ActionItem.objects.create(
        trajectory=trajectory, title="Bellen met de raad", owner_participant=colleague
    )
    response = participant_client.post(
        f"/t/{trajectory.pk}/verbeteringen/opvolging/{action.pk}/status/", {"status": "done"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"


def test_english_speakers_see_english(facilitator_client, trajectory):
    make_proposal(trajectory)
    facilitator_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = facilitator_client.get(f"/t/{trajectory.pk}/verbeteringen/draagvlak/").content.decode()
    assert "Support matrix" in body and "Expected gain against effort" in body


def test_proposal_unknown_to_the_trajectory_gives_404(facilitator_client, trajectory):
    assert (
        facilitator_client.get(f"/t/{trajectory.pk}/verbeteringen/voorstellen/999999/").status_code
        == 404
    )
    assert not Proposal.objects.exists()
    make_action(trajectory)


def test_facilitator_renames_a_kind_but_not_to_a_taken_or_empty_name(
    facilitator_client, trajectory
):
    first, second = kinds_for(trajectory)[:2]
    url = f"/t/{trajectory.pk}/verbeteringen/soorten/{first.pk}/naam/"
    facilitator_client.post(url, {"name": "Sneller op weg"})
    first.refresh_from_db()
    assert first.name == "Sneller op weg"
    response = facilitator_client.post(url, {"name": second.name.upper()}, follow=True)
    assert "staat al op de lijst" in response.content.decode()
    response = facilitator_client.post(url, {"name": "x" * 101}, follow=True)
    assert "ten hoogste 100 tekens" in response.content.decode()
    first.refresh_from_db()
    assert first.name == "Sneller op weg"

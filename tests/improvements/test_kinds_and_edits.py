import importlib

import pytest
from django.apps import apps

from improvements import services
from improvements.models import ImprovementKind, Proposal
from improvements.selectors import kinds_for
from tests import factories
from tests.improvements.helpers import make_action, make_proposal
from trajectories.services import trajectory_create
from workshops.models import ActionItem

pytestmark = pytest.mark.django_db


def test_facilitator_adds_a_kind_and_a_duplicate_is_explained(facilitator_client, trajectory):
    url = f"/t/{trajectory.pk}/verbeteringen/soorten/"
    facilitator_client.post(url, {"name": "Veiliger"})
    assert ImprovementKind.objects.filter(trajectory=trajectory, name="Veiliger").exists()
    response = facilitator_client.post(url, {"name": "veiliger"})
    assert response.status_code == 422
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


def test_a_new_trajectory_gets_the_default_kinds_when_it_is_created(facilitator):
    trajectory = trajectory_create(by=facilitator, name="Nieuw traject", task="Samen wonen")
    names = list(
        ImprovementKind.objects.filter(trajectory=trajectory).values_list("name", flat=True)
    )
    assert len(names) == 8 and names[0] == "Sneller"


@pytest.mark.parametrize("page", ["", "soorten/", "voorstellen/nieuw/", "draagvlak/"])
def test_no_improvements_page_writes_on_a_get(facilitator_client, trajectory, page):
    ImprovementKind.objects.filter(trajectory=trajectory).delete()
    response = facilitator_client.get(f"/t/{trajectory.pk}/verbeteringen/{page}")
    assert response.status_code == 200
    assert not ImprovementKind.objects.filter(trajectory=trajectory).exists()


def test_the_data_migration_gives_kinds_to_trajectories_without_any(trajectory, other_trajectory):
    ImprovementKind.objects.filter(trajectory=trajectory).delete()
    renamed = ImprovementKind.objects.filter(trajectory=other_trajectory).first()
    renamed.name = "Eigen naam"
    renamed.save()
    migration = importlib.import_module("improvements.migrations.0004_default_kinds")
    migration.lay_down_default_kinds(apps, None)
    assert ImprovementKind.objects.filter(trajectory=trajectory).count() == 8
    # A trajectory that already has its kinds keeps them as they are.
    assert ImprovementKind.objects.filter(trajectory=other_trajectory).count() == 8
    assert ImprovementKind.objects.filter(trajectory=other_trajectory, name="Eigen naam").exists()


def test_a_duplicate_kind_name_refused_by_the_database_gets_a_clear_message(trajectory):
    with pytest.raises(services.KindNameTaken) as refused:
        services.kind_add(trajectory=trajectory, name="  sNELLER ")
    assert "staat al op de lijst" in str(refused.value.message)
    kind = ImprovementKind.objects.filter(trajectory=trajectory).last()
    with pytest.raises(services.KindNameTaken):
        services.kind_rename(kind=kind, name="Sneller")
    assert ImprovementKind.objects.filter(trajectory=trajectory).count() == 8


def test_dutch_reads_naturally_for_a_position_and_the_kinds(trajectory, partner, manager_client):
    names = set(
        ImprovementKind.objects.filter(trajectory=trajectory).values_list("name", flat=True)
    )
    assert "Beter imago" in names and "Betere pr" not in names
    proposal = make_proposal(trajectory)
    services.position_take(
        proposal=proposal, partner=partner, stance="objects", text="Te duur", mandate="agreed"
    )
    body = manager_client.get(proposal.get_absolute_url()).content.decode()
    assert "Heeft bezwaren, met mandaat van de organisatie" in body
    assert "namens de organisatie akkoord" not in body

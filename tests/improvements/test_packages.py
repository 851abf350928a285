import importlib

import pytest
from django.apps import apps

from improvements import services
from improvements.models import ImprovementPackage
from improvements.selectors import package_verdict
from tests import factories
from tests.improvements.helpers import adopt, make_package, make_proposal, support_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(trajectory, partner):
    return [partner, factories.make_partner(trajectory, "Woonstichting De Linie")]


def test_package_is_carried_when_every_partner_supports_every_proposal(trajectory, partners):
    first, second = make_proposal(trajectory, "Eén intake"), make_proposal(trajectory, "Woonbudget")
    package = make_package(trajectory, [first, second])
    support_all(first, partners)
    services.position_take(
        proposal=second, partner=partners[0], stance="supports", text="", mandate="agreed"
    )
    services.position_take(
        proposal=second,
        partner=partners[1],
        stance="conditions",
        text="Mits de huur betaalbaar blijft",
        mandate="board",
    )
    verdict = package_verdict(package)
    assert verdict.carried
    assert [(c.partner, c.text) for c in verdict.conditions] == [
        (partners[1], "Mits de huur betaalbaar blijft")
    ]
    assert [(d.partner, d.proposal) for d in verdict.decisions] == [(partners[1], second)]


def test_objection_and_missing_position_block_the_package(trajectory, partners):
    proposal = make_proposal(trajectory)
    package = make_package(trajectory, [proposal])
    services.position_take(
        proposal=proposal,
        partner=partners[0],
        stance="objects",
        text="Geen budget",
        mandate="agreed",
    )
    verdict = package_verdict(package)
    assert not verdict.carried
    assert {(b.partner, b.text) for b in verdict.blockers} == {
        (partners[0], "Geen budget"),
        (partners[1], ""),
    }


def test_empty_package_is_not_carried(trajectory, partners):
    assert not package_verdict(make_package(trajectory, [])).carried


def test_package_that_is_not_carried_cannot_be_adopted(facilitator_client, trajectory, partners):
    package = make_package(trajectory, [make_proposal(trajectory)])
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/verbeteringen/pakketten/{package.pk}/vaststellen/",
        {"adopted_on": "2027-02-01"},
        follow=True,
    )
    package.refresh_from_db()
    assert not package.is_adopted
    assert "kan niet worden vastgesteld" in response.content.decode()


def test_adopted_package_is_frozen(facilitator_client, trajectory, partners, facilitator):
    proposal = make_proposal(trajectory, "Eén intake")
    other = make_proposal(trajectory, "Buddy")
    support_all(proposal, partners)
    package = make_package(trajectory, [proposal])
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/verbeteringen/pakketten/{package.pk}/vaststellen/",
        {"adopted_on": "2027-02-01"},
    )
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.is_adopted and str(package.adopted_on) == "2027-02-01"
    # Editing through the page is refused, and nothing changes.
    edit_url = f"/t/{trajectory.pk}/verbeteringen/pakketten/{package.pk}/bewerken/"
    response = facilitator_client.post(
        edit_url, {"title": "Anders", "proposals": [other.pk]}, follow=True
    )
    assert "kan niet meer veranderen" in response.content.decode()
    package.refresh_from_db()
    assert package.title == "Verbeterpakket 2027"
    assert list(package.proposals.all()) == [proposal]
    # The service refuses as well.
    with pytest.raises(services.PackageFrozen):
        services.package_compose(package=package, title="X", note="", proposals=[other])
    # Later edits of the proposal and its positions do not change what was adopted.
    proposal.title = "Iets heel anders"
    proposal.save()
    services.position_take(
        proposal=proposal, partner=partners[0], stance="objects", text="Toch niet", mandate="agreed"
    )
    page = facilitator_client.get(package.get_absolute_url()).content.decode()
    assert "Eén intake" in page and "Iets heel anders" not in page
    assert package.frozen_content["proposals"][0]["positions"][0]["stance"] == "supports"


def test_adopting_twice_keeps_the_first_date(trajectory, partners, facilitator):
    proposal = make_proposal(trajectory)
    support_all(proposal, partners)
    package = adopt(make_package(trajectory, [proposal]), facilitator)
    with pytest.raises(services.PackageFrozen):
        adopt(package, facilitator)


def test_new_version_starts_from_the_adopted_package(
    facilitator_client, trajectory, partners, facilitator
):
    proposal = make_proposal(trajectory)
    support_all(proposal, partners)
    package = adopt(make_package(trajectory, [proposal]), facilitator)
    url = f"/t/{trajectory.pk}/verbeteringen/pakketten/{package.pk}/nieuwe-versie/"
    facilitator_client.post(url)
    facilitator_client.post(url)  # a double click makes one new version
    successor = ImprovementPackage.objects.get(previous=package)
    assert (successor.version, successor.is_adopted) == (2, False)
    assert list(successor.proposals.all()) == [proposal]
    package.refresh_from_db()
    assert package.is_adopted


def test_facilitator_composes_a_package_from_proposals(facilitator_client, trajectory, partners):
    first, second = make_proposal(trajectory, "Eén intake"), make_proposal(trajectory, "Buddy")
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/verbeteringen/pakketten/nieuw/",
        {"title": "Pakket 2027", "note": "Voor het bestuurlijk overleg", "proposals": [first.pk]},
    )
    package = ImprovementPackage.objects.get()
    assert response["Location"] == package.get_absolute_url()
    assert list(package.proposals.all()) == [first]
    facilitator_client.post(
        f"/t/{trajectory.pk}/verbeteringen/pakketten/{package.pk}/bewerken/",
        {"title": "Pakket 2027", "proposals": [first.pk, second.pk]},
    )
    assert package.proposals.count() == 2


def test_package_cannot_hold_another_trajectorys_proposal(
    facilitator_client, trajectory, other_trajectory
):
    foreign = make_proposal(other_trajectory)
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/verbeteringen/pakketten/nieuw/",
        {"title": "P", "proposals": [foreign.pk]},
    )
    assert response.status_code == 422
    assert not ImprovementPackage.objects.filter(trajectory=trajectory).exists()


def test_actions_follow_from_an_adopted_package(
    facilitator_client, trajectory, partners, facilitator
):
    proposal = make_proposal(trajectory)
    support_all(proposal, partners)
    package = adopt(make_package(trajectory, [proposal]), facilitator)
    facilitator_client.post(
        f"/t/{trajectory.pk}/verbeteringen/pakketten/{package.pk}/acties/",
        {
            "title": "Intakeformulier gelijktrekken",
            "owner_partner": partners[1].pk,
            "due_date": "2027-03-01",
        },
    )
    action = package.action_links.get().action_item
    assert (action.title, action.owner_partner, action.trajectory) == (
        "Intakeformulier gelijktrekken",
        partners[1],
        trajectory,
    )
    followup = facilitator_client.get(
        f"/t/{trajectory.pk}/verbeteringen/opvolging/"
    ).content.decode()
    assert "Intakeformulier gelijktrekken" in followup and "uit pakket" in followup


def test_adopting_without_a_valid_date_is_explained(facilitator_client, trajectory, partners):
    proposal = make_proposal(trajectory)
    support_all(proposal, partners)
    package = make_package(trajectory, [proposal])
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/verbeteringen/pakketten/{package.pk}/vaststellen/",
        {"adopted_on": "31-31-2027"},
        follow=True,
    )
    assert "Vul de datum van vaststelling in" in response.content.decode()
    package.refresh_from_db()
    assert not package.is_adopted


def test_the_adopted_snapshot_stores_codes_and_each_reader_sees_their_language(
    facilitator_client, trajectory, partners, facilitator
):
    proposal = make_proposal(
        trajectory, effort="small", cost="low", gains={partners[0].pk: ("much", "")}
    )
    support_all(proposal, partners, stance="conditions", text="Mits betaalbaar", mandate="board")
    package = adopt(make_package(trajectory, [proposal]), facilitator)
    item = package.frozen_content["proposals"][0]
    assert (item["effort"], item["cost"]) == ("small", "low")
    assert item["positions"][0]["gain"] == "much"
    assert "stance_label" not in item["positions"][0]
    assert package.frozen_content["decisions"][0]["mandate"] == "board"

    url = package.get_absolute_url()
    dutch = facilitator_client.get(url).content.decode()
    assert "Kleine inspanning" in dutch and "Steunt onder voorwaarden" in dutch
    assert "bestuursbesluit nodig" in dutch
    facilitator_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = facilitator_client.get(url).content.decode()
    assert "Small effort" in english and "Low cost" in english
    assert "Supports with conditions" in english and "board decision needed" in english
    assert "Kleine inspanning" not in english and "Steunt" not in english


def test_snapshots_stored_with_dutch_labels_are_turned_into_codes(trajectory, partners):
    package = ImprovementPackage.objects.create(
        trajectory=trajectory,
        title="Oud pakket",
        status="adopted",
        adopted_on="2026-11-01",
        frozen_content={
            "partners": [],
            "proposals": [
                {
                    "title": "Eén intake",
                    "effort": "Kleine inspanning",
                    "cost": "Hoge kosten",
                    "positions": [
                        {
                            "partner": "Gemeente",
                            "stance": "objects",
                            "stance_label": "Heeft bezwaren",
                            "mandate": "agreed",
                            "mandate_label": "Namens de organisatie akkoord",
                            "gain": "Veel winst",
                        }
                    ],
                }
            ],
            "conditions": [],
            "decisions": [
                {
                    "proposal": "Eén intake",
                    "partner": "Gemeente",
                    "mandate": "Bestuursbesluit nodig",
                }
            ],
        },
    )
    migration = importlib.import_module("improvements.migrations.0006_snapshot_codes")
    migration.snapshot_labels_to_codes(apps, None)
    package.refresh_from_db()
    item = package.frozen_content["proposals"][0]
    assert (item["effort"], item["cost"]) == ("small", "high")
    assert item["positions"][0] == {
        "partner": "Gemeente",
        "stance": "objects",
        "mandate": "agreed",
        "gain": "much",
    }
    assert package.frozen_content["decisions"][0]["mandate"] == "board"

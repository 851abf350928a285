"""One organisation across trajectories: the data migration, linking on save, merge and split."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from organisations.models import Coordinator, Organisation
from organisations.services import organisation_split, organisations_merge
from tests import factories
from trajectories.models import Partner

from .conftest import make_coordinator


@pytest.mark.django_db
def test_a_new_partner_points_to_the_organisation_of_its_name_and_kind():
    first = factories.make_partner(factories.make_trajectory(), "Gemeente Rivierstad")
    again = factories.make_partner(factories.make_trajectory(), "  gemeente   RIVIERSTAD ")
    other_kind = factories.make_partner(
        factories.make_trajectory(), "Gemeente Rivierstad", kind=Partner.Kind.GOVERNMENT
    )
    assert first.organisation_id == again.organisation_id
    assert other_kind.organisation_id != first.organisation_id
    assert first.organisation.name == "Gemeente Rivierstad"


@pytest.mark.django_db
def test_a_trajectory_holds_an_organisation_once(trajectory):
    partner = factories.make_partner(trajectory, "Gemeente Rivierstad")
    # A name that differs only in spacing is another partner row: it gets its own organisation.
    twin = factories.make_partner(trajectory, "Gemeente  Rivierstad")
    assert twin.organisation_id != partner.organisation_id
    with pytest.raises(IntegrityError), transaction.atomic():
        Partner.objects.create(
            trajectory=trajectory,
            name="Iets anders",
            kind="other",
            organisation=partner.organisation,
        )


@pytest.mark.django_db
def test_the_partner_form_offers_known_organisations_first(
    facilitator_client, facilitator, trajectory
):
    # Known from another trajectory this facilitator runs (test_naming: never a stranger's).
    other = factories.make_trajectory(facilitator=facilitator)
    factories.make_partner(other, "Woonstichting De Linge", kind="housing")
    html = facilitator_client.get(f"/t/{trajectory.pk}/partners/").content.decode()
    assert 'list="organisation-names"' in html
    assert "<option>Woonstichting De Linge</option>" in html
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/partners/nieuw/", {"name": "woonstichting de linge", "kind": "housing"}
    )
    assert response.status_code == 302
    added = Partner.objects.get(trajectory=trajectory)
    assert added.organisation.name == "Woonstichting De Linge"
    assert Organisation.objects.filter(name__iexact="woonstichting de linge").count() == 1


@pytest.mark.django_db
def test_merge_moves_partners_and_coordinators():
    a = factories.make_partner(factories.make_trajectory(), "Gemeente Rivierstad")
    b = factories.make_partner(factories.make_trajectory(), "Gem. Rivierstad")
    coordinator = make_coordinator(b.organisation)
    make_coordinator(a.organisation, "tweede")
    Coordinator.objects.create(organisation=a.organisation, user=coordinator)
    gone = b.organisation_id
    moved = organisations_merge(into=a.organisation, others=[a.organisation, b.organisation])
    assert moved == 1
    b.refresh_from_db()
    assert b.organisation_id == a.organisation_id
    assert not Organisation.objects.filter(pk=gone).exists()
    assert Coordinator.objects.filter(organisation=a.organisation).count() == 2


@pytest.mark.django_db
def test_merge_refuses_two_partners_of_one_trajectory(trajectory):
    a = factories.make_partner(trajectory, "Gemeente Rivierstad")
    b = factories.make_partner(trajectory, "Gemeente Rivierstad (sociaal domein)")
    with pytest.raises(ValidationError) as refused:
        organisations_merge(into=a.organisation, others=[b.organisation])
    assert trajectory.name in refused.value.messages[0]
    b.refresh_from_db()
    assert b.organisation_id != a.organisation_id
    assert Organisation.objects.filter(pk=b.organisation_id).exists()


@pytest.mark.django_db
def test_split_moves_the_chosen_partners_to_a_new_organisation():
    a = factories.make_partner(factories.make_trajectory(), "Zorggroep Noord", kind="care")
    b = factories.make_partner(factories.make_trajectory(), "Zorggroep Noord", kind="care")
    assert a.organisation_id == b.organisation_id
    make_coordinator(a.organisation)
    new = organisation_split(organisation=a.organisation, partners=[b], name="Zorggroep Noord-Oost")
    b.refresh_from_db()
    assert b.organisation_id == new.pk and new.kind == "care"
    assert not new.coordinators.exists()
    with pytest.raises(ValidationError):
        organisation_split(organisation=a.organisation, partners=[a], name="Alles")
    with pytest.raises(ValidationError):
        organisation_split(organisation=a.organisation, partners=[], name="Niets")


@pytest.mark.django_db
def test_admin_merges_and_splits(client):
    admin = factories.make_user("beheer", is_staff=True, is_superuser=True)
    client.force_login(admin)
    a = factories.make_partner(factories.make_trajectory(), "Gemeente Rivierstad")
    b = factories.make_partner(factories.make_trajectory(), "Gemeente Rivierstadt")
    ids = [a.organisation_id, b.organisation_id]
    page = client.post(
        "/admin/organisations/organisation/",
        {"action": "merge", "_selected_action": ids},
    )
    assert page.status_code == 200 and "Deze organisatie behouden" in page.content.decode()
    client.post(
        "/admin/organisations/organisation/",
        {"action": "merge", "_selected_action": ids, "into": a.organisation_id},
    )
    b.refresh_from_db()
    assert b.organisation_id == a.organisation_id
    split = f"/admin/organisations/organisation/{a.organisation_id}/split/"
    assert client.get(split).status_code == 200
    client.post(split, {"name": "Gemeente Rivierstadt", "kind": "municipality", "partners": [b.pk]})
    b.refresh_from_db()
    assert b.organisation_id != a.organisation_id
    assert client.get("/admin/organisations/coordinator/").status_code == 200


MIGRATE_FROM = [("trajectories", "0010_mail_language_sign_in"), ("organisations", "0001_initial")]
MIGRATE_TO = [("trajectories", "0011_partner_organisation")]


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_links_partners_by_lower_cased_name_and_kind():
    executor = MigrationExecutor(connection)
    executor.migrate(MIGRATE_FROM)
    old = executor.loader.project_state(MIGRATE_FROM).apps
    Trajectory = old.get_model("trajectories", "Trajectory")
    Partner_ = old.get_model("trajectories", "Partner")
    one, two, three = (
        Trajectory.objects.create(name=n, task="Taak") for n in ("Een", "Twee", "Drie")
    )
    Partner_.objects.create(trajectory=one, name="Gemeente Rivierstad", kind="municipality")
    Partner_.objects.create(trajectory=two, name="gemeente rivierstad", kind="municipality")
    Partner_.objects.create(trajectory=two, name="Gemeente Rivierstad BV", kind="company")
    Partner_.objects.create(trajectory=three, name="Gemeente Rivierstad", kind="company")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(MIGRATE_TO)
        new = executor.loader.project_state(MIGRATE_TO).apps
        partners = new.get_model("trajectories", "Partner").objects.order_by("pk")
        links = [p.organisation_id for p in partners]
        assert None not in links
        assert links[0] == links[1]  # same name in another case, same kind
        assert len(set(links)) == 3
        assert new.get_model("organisations", "Organisation").objects.count() == 3
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

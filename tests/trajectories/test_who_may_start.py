"""Who may start a trajectory: an account-level permission, facilitators yes, managers no."""

import importlib

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command

from tests import factories
from trajectories.access import may_create_trajectories
from trajectories.models import Trajectory

pytestmark = pytest.mark.django_db

NEW = {"name": "Jeugdhulp dichtbij", "task": "Samen.", "occasion": "start", "phase": "design"}
BUTTON = "/t/nieuw/"


def test_a_manager_is_neither_offered_nor_allowed_a_new_trajectory(manager_client, trajectory):
    assert BUTTON not in manager_client.get("/").content.decode()
    assert manager_client.get("/t/nieuw/").status_code == 403
    assert manager_client.post("/t/nieuw/", NEW).status_code == 403
    assert not Trajectory.objects.filter(name=NEW["name"]).exists()


def test_a_facilitator_is_offered_and_allowed_a_new_trajectory(facilitator_client, trajectory):
    assert BUTTON in facilitator_client.get("/").content.decode()
    assert facilitator_client.get("/t/nieuw/").status_code == 200
    assert facilitator_client.post("/t/nieuw/", NEW).status_code == 302


def test_a_new_account_without_the_permission_sees_no_button(client):
    client.force_login(factories.make_user("nieuw"))
    page = client.get("/").content.decode()
    assert BUTTON not in page
    assert "Vraag een procesbegeleider" in page


def test_someone_made_facilitator_may_start_trajectories(facilitator_client, trajectory):
    colleague = factories.make_user("collega")
    assert not may_create_trajectories(colleague)
    facilitator_client.post(
        f"/t/{trajectory.pk}/leden/toevoegen/", {"email": colleague.email, "role": "facilitator"}
    )
    colleague = type(colleague).objects.get(pk=colleague.pk)  # permissions are cached per object
    assert may_create_trajectories(colleague)


def test_someone_made_manager_may_not_start_trajectories(facilitator_client, trajectory):
    colleague = factories.make_user("collega")
    facilitator_client.post(
        f"/t/{trajectory.pk}/leden/toevoegen/", {"email": colleague.email, "role": "manager"}
    )
    colleague = type(colleague).objects.get(pk=colleague.pk)
    assert not may_create_trajectories(colleague)


def test_existing_facilitators_get_the_permission_by_migration(db):
    facilitator = factories.make_user("bestaand", may_create_trajectories=False)
    manager = factories.make_user("lezer")
    factories.make_trajectory(facilitator=facilitator, manager=manager)
    migration = importlib.import_module(
        "trajectories.migrations.0003_facilitators_may_create_trajectories"
    )
    migration.grant_to_facilitators(global_apps, None)
    assert may_create_trajectories(type(facilitator).objects.get(pk=facilitator.pk))
    assert not may_create_trajectories(type(manager).objects.get(pk=manager.pk))


def test_the_demo_facilitator_may_start_trajectories_and_the_demo_manager_not():
    call_command("load_demo", verbosity=0)
    User = global_apps.get_model("auth", "User")
    assert may_create_trajectories(User.objects.get(username="demo"))
    assert not may_create_trajectories(User.objects.get(username="manager"))

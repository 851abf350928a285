import pytest

from tests import factories
from trajectories import access
from trajectories.models import Membership

pytestmark = pytest.mark.django_db


def test_facilitator_sees_trajectory_overview(facilitator_client, trajectory):
    response = facilitator_client.get(f"/t/{trajectory.pk}/")
    assert response.status_code == 200
    assert trajectory.name in response.content.decode()


def test_manager_reads_trajectory_overview(manager_client, trajectory):
    assert manager_client.get(f"/t/{trajectory.pk}/").status_code == 200


def test_stranger_is_sent_to_login(client, trajectory):
    response = client.get(f"/t/{trajectory.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_facilitator_of_another_trajectory_gets_404(client, trajectory, other_trajectory):
    client.force_login(other_trajectory.facilitator)
    assert client.get(f"/t/{trajectory.pk}/").status_code == 404


def test_participant_lands_on_welcome_of_own_trajectory(
    participant_client, trajectory, participant
):
    response = participant_client.get(f"/t/{trajectory.pk}/welkom/")
    assert response.status_code == 200
    assert participant.name in response.content.decode()


def test_participant_of_another_trajectory_gets_404(client, trajectory, other_trajectory):
    factories.login_participant(client, other_trajectory.participant)
    assert client.get(f"/t/{trajectory.pk}/welkom/").status_code == 404
    assert client.get(f"/t/{trajectory.pk}/").status_code == 404


def test_participant_opening_the_overview_is_sent_to_their_welcome_page(
    participant_client, trajectory
):
    response = participant_client.get(f"/t/{trajectory.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/t/{trajectory.pk}/welkom/"


def test_role_names_come_from_the_membership_roles():
    assert access.FACILITATOR is Membership.Role.FACILITATOR
    assert access.MANAGER is Membership.Role.MANAGER
    assert access.PARTICIPANT not in Membership.Role.values  # participants have no account


def test_resolve_viewer_answers_none_instead_of_refusing(rf, trajectory, other_trajectory):
    """For pages that must not refuse (the workshop QR join): who is this, if anyone?"""
    request = rf.get("/")
    request.user = other_trajectory.facilitator
    request.participant = None
    assert access.resolve_viewer(request, trajectory.pk) is None
    request.user = trajectory.memberships.get(role="facilitator").user
    assert access.resolve_viewer(request, trajectory.pk).is_facilitator

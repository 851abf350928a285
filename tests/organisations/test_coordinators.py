"""Inviting a coordinator, and what the coordinator role may do in a trajectory."""

import pytest
from django.core import mail
from django.test import RequestFactory

from audit.models import AuditEntry
from organisations.models import Coordinator
from tests import factories
from trajectories.access import COORDINATOR, EVERYONE, resolve_viewer

pytestmark = pytest.mark.django_db


def _url(trajectory, partner):
    return f"/t/{trajectory.pk}/partners/{partner.pk}/coordinatoren/"


def test_facilitator_invites_a_new_coordinator(facilitator_client, trajectory, partner):
    response = facilitator_client.post(
        _url(trajectory, partner), {"name": "Cor de Coördinator", "email": "Cor@Rivierstad.example"}
    )
    assert response.status_code == 302
    coordinator = Coordinator.objects.get()
    user = coordinator.user
    assert coordinator.organisation_id == partner.organisation_id
    assert user.email == "Cor@rivierstad.example" and not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Cor", "de Coördinator")
    [message] = mail.outbox
    assert "/accounts/reset/" in message.body and f"/organisaties/{partner.organisation_id}/" in (
        message.body
    )
    assert "Gemeente Rivierstad" in message.subject
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MEMBER_ADDED)
    assert entry.trajectory_id == trajectory.pk and entry.partner_id == partner.pk
    assert "Cor de Coördinator" in entry.summary


def test_an_existing_account_is_reused_and_a_second_invite_adds_nothing(
    facilitator_client, trajectory, partner, manager
):
    data = {"name": "Mirjam", "email": manager.email.upper()}
    facilitator_client.post(_url(trajectory, partner), data)
    assert Coordinator.objects.get().user == manager
    assert "/accounts/reset/" not in mail.outbox[0].body
    again = facilitator_client.post(_url(trajectory, partner), data)
    assert again.status_code == 422
    assert "al coördinator" in again.content.decode()
    assert Coordinator.objects.count() == 1 and len(mail.outbox) == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "Cor", "email": "geen-adres"}, "geldig e-mailadres"),
        ({"name": "", "email": "cor@example.org"}, "verplicht"),
        ({"name": "x" * 400, "email": "cor@example.org"}, "niet meer dan"),
        ({"name": "Cor", "email": "c" * 300 + "@example.org"}, "niet meer dan"),
    ],
)
def test_bad_input_is_refused_with_a_dutch_message(
    facilitator_client, trajectory, partner, data, message
):
    response = facilitator_client.post(_url(trajectory, partner), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert not Coordinator.objects.exists()


def test_html_and_control_characters_in_the_name_are_harmless(
    facilitator_client, trajectory, partner
):
    facilitator_client.post(
        _url(trajectory, partner), {"name": "<script>x</script>\x07Cor", "email": "c@example.org"}
    )
    user = Coordinator.objects.get().user
    assert "\x07" not in user.get_full_name()
    page = facilitator_client.get(_url(trajectory, partner)).content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


def test_only_the_trajectorys_facilitator_invites(
    client, trajectory, partner, manager, participant, other_trajectory
):
    url = _url(trajectory, partner)
    data = {"name": "Cor", "email": "cor@example.org"}
    client.force_login(manager)
    assert client.post(url, data).status_code == 403
    client.force_login(other_trajectory.facilitator)
    assert client.post(url, data).status_code == 404
    # Another trajectory's partner id in the facilitator's own trajectory: 404.
    foreign = other_trajectory.participant.partner
    assert client.post(_url(other_trajectory, partner), data).status_code == 404
    assert client.get(_url(trajectory, foreign)).status_code == 404
    client.logout()
    factories.login_participant(client, participant)
    assert client.post(url, data).status_code in (403, 404)
    assert not Coordinator.objects.exists()


def _viewer(user, trajectory):
    request = RequestFactory().get("/")
    request.user = user
    request.participant = None
    return resolve_viewer(request, trajectory.pk)


def test_a_coordinator_is_a_read_only_viewer_of_its_organisations_trajectories(
    coordinator, trajectory, other_trajectory, municipality
):
    viewer = _viewer(coordinator, trajectory)
    assert viewer.role == COORDINATOR and COORDINATOR not in EVERYONE
    assert viewer.partner.organisation_id == municipality.pk
    assert viewer.partner_id == viewer.partner.pk
    assert not viewer.can_edit and not viewer.is_participant and not viewer.is_facilitator
    assert viewer.gain_partners([viewer.partner]) == []
    assert viewer.report_audiences == ()
    assert _viewer(coordinator, other_trajectory) is None


def test_a_coordinator_is_refused_on_trajectory_pages(
    coordinator_client, trajectory, other_trajectory
):
    assert coordinator_client.get(f"/t/{trajectory.pk}/").status_code == 403
    assert coordinator_client.get(f"/t/{trajectory.pk}/belangen/").status_code == 403
    assert coordinator_client.get(f"/t/{other_trajectory.pk}/").status_code == 404


def test_a_member_stays_a_member_when_also_a_coordinator(facilitator, trajectory, municipality):
    Coordinator.objects.create(organisation=municipality, user=facilitator)
    assert _viewer(facilitator, trajectory).is_facilitator


def test_the_room_view_of_a_coordinator_names_no_partner(coordinator, trajectory):
    room = _viewer(coordinator, trajectory).as_room()
    assert room.partner is None and room.partner_id is None and not room.is_coordinator

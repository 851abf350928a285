"""Deleting a completed trajectory, a participant's own data page and removal request, and the
facilitator erasing a person."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interests.models import Interest, InterestRound
from reports.models import Report
from tests import factories
from trajectories.models import InviteLink, Participant, Trajectory
from workshops.models import Attendance, Contribution, Workshop

pytestmark = pytest.mark.django_db


def _close(trajectory):
    Trajectory.objects.filter(pk=trajectory.pk).update(status=Trajectory.Status.CLOSED)


def _interest(participant, statement, round=None):
    trajectory = participant.partner.trajectory
    round = round or InterestRound.objects.create(
        trajectory=trajectory, title="Ronde 1", phase=trajectory.phase
    )
    return Interest.objects.create(
        round=round, partner=participant.partner, statement=statement, author=participant
    )


# --- deleting a trajectory ---------------------------------------------------------------------


def test_the_delete_page_links_the_exports_first(facilitator_client, trajectory, participant):
    _close(trajectory)
    round = _interest(participant, "Woningen").round
    response = facilitator_client.get(reverse("trajectories:delete", args=[trajectory.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("interests:export_csv", args=[trajectory.pk, round.pk]) in html
    assert reverse("interests:export_xlsx", args=[trajectory.pk, round.pk]) in html
    assert reverse("reports:index", args=[trajectory.pk]) in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_wrong_name_deletes_nothing_and_says_so(facilitator_client, trajectory):
    _close(trajectory)
    url = reverse("trajectories:delete", args=[trajectory.pk])
    mismatch = "Er is niets verwijderd"
    too_long = "niet meer dan 200 tekens"
    cases = [
        ("Iets anders", mismatch),
        ("<script>alert(1)</script>", mismatch),
        ("Naam\x00", mismatch),
        ("x" * 500, too_long),
    ]
    for typed, message in cases:
        response = facilitator_client.post(url, {"name": typed})
        html = response.content.decode()
        assert response.status_code == 422
        assert message in html, typed
        assert "<script>alert(1)</script>" not in html
    assert Trajectory.objects.filter(pk=trajectory.pk).exists()


def test_the_typed_name_deletes_it_with_its_files(
    facilitator_client, trajectory, participant, django_capture_on_commit_callbacks
):
    _close(trajectory)
    report = Report.objects.create(trajectory=trajectory, audience="facilitator")
    report.file.save("retention-test.pdf", ContentFile(b"%PDF-1.4"), save=True)
    name = report.file.name
    assert default_storage.exists(name)
    url = reverse("trajectories:delete", args=[trajectory.pk])
    # Case and extra spaces do not matter.
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator_client.post(url, {"name": f"  {trajectory.name.upper()} "})
    assert response.status_code == 302
    assert not Trajectory.objects.filter(pk=trajectory.pk).exists()
    assert not Participant.objects.filter(pk=participant.pk).exists()
    assert not default_storage.exists(name)
    # A second submit of the same form: the trajectory is gone, nothing else happens.
    assert facilitator_client.post(url, {"name": trajectory.name}).status_code == 404


def test_an_open_trajectory_cannot_be_deleted(facilitator_client, trajectory):
    url = reverse("trajectories:delete", args=[trajectory.pk])
    response = facilitator_client.post(url, {"name": trajectory.name})
    assert response.status_code == 409
    assert Trajectory.objects.filter(pk=trajectory.pk).exists()


def test_managers_and_participants_cannot_delete(client, manager, trajectory, participant):
    url = reverse("trajectories:delete", args=[trajectory.pk])
    other = Client()
    factories.login_participant(other, participant)
    _close(trajectory)
    client.force_login(manager)
    assert client.post(url, {"name": trajectory.name}).status_code == 403
    assert other.post(url, {"name": trajectory.name}).status_code in (403, 404)
    assert Trajectory.objects.filter(pk=trajectory.pk).exists()


# --- a participant's own data ------------------------------------------------------------------


def test_the_welcome_page_links_to_the_own_data(client, participant):
    factories.login_participant(client, participant)
    response = client.get(reverse("trajectories:welcome", args=[participant.partner.trajectory.pk]))
    assert reverse("trajectories:my_data", args=[participant.partner.trajectory.pk]) in (
        response.content.decode()
    )


def test_a_participant_sees_only_what_they_entered(client, participant):
    Participant.objects.filter(pk=participant.pk).update(email="anouk@example.org")
    colleague = factories.make_participant(participant.partner, "Collega Cor")
    mine = _interest(participant, "MIJN-BELANG")
    _interest(colleague, "BELANG-VAN-COR", round=mine.round)
    factories.login_participant(client, participant)
    response = client.get(reverse("trajectories:my_data", args=[participant.partner.trajectory.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for shown in ("Anouk de Vries", "anouk@example.org", participant.partner.name, "MIJN-BELANG"):
        assert shown in html
    assert "BELANG-VAN-COR" not in html
    assert "Collega Cor" not in html
    # Dates of the links only, never a token or its hash.
    link = InviteLink.objects.filter(participant=participant).first()
    assert link.token_hash not in html


def _entries(participant, n):
    trajectory = participant.partner.trajectory
    round = InterestRound.objects.create(trajectory=trajectory, title="R", phase=trajectory.phase)
    workshop = Workshop.objects.create(trajectory=trajectory, title="W", starts_at=timezone.now())
    item = workshop.items.create(title="Punt", kind="check_in", position=1)
    for i in range(n):
        Interest.objects.create(
            round=round, partner=participant.partner, statement=f"B{i}", author=participant
        )
        Contribution.objects.create(item=item, participant=participant, text=f"C{i}")


@pytest.mark.parametrize("n", [1, 30])
def test_the_own_data_page_costs_the_same_for_few_and_many(
    client, participant, n, django_assert_num_queries
):
    _entries(participant, n)
    factories.login_participant(client, participant)
    url = reverse("trajectories:my_data", args=[participant.partner.trajectory.pk])
    client.get(url)
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200


# Session, participant, then the five lists (links, interests, contributions, positions,
# pulse answers) less the ones the middleware shares.
QUERIES = 6


def test_asking_for_removal_twice_records_and_mails_once(client, participant, mailoutbox):
    factories.login_participant(client, participant)
    url = reverse("trajectories:removal_request", args=[participant.partner.trajectory.pk])
    first = client.post(url, follow=True)
    client.post(url)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["facilitator@example.org"] or mailoutbox[0].to
    assert participant.name in mailoutbox[0].body
    participant.refresh_from_db()
    assert participant.removal_requested_at is not None
    html = first.content.decode()
    assert "procesbegeleider" in html.lower() or "facilitator" in html.lower()


# --- erasing a person --------------------------------------------------------------------------


def test_the_facilitator_erases_a_person(facilitator_client, client, participant, mailoutbox):
    trajectory = participant.partner.trajectory
    Participant.objects.filter(pk=participant.pk).update(email="anouk@example.org", mandate="Veel")
    interest = _interest(participant, "Blijft staan")
    workshop = Workshop.objects.create(trajectory=trajectory, title="W", starts_at=timezone.now())
    Attendance.objects.create(workshop=workshop, participant=participant)
    factories.login_participant(client, participant)
    partners = facilitator_client.get(reverse("trajectories:partners", args=[trajectory.pk]))
    url = reverse("trajectories:participant_erase", args=[trajectory.pk, participant.pk])
    assert url in partners.content.decode()
    assert facilitator_client.get(url).status_code == 200

    response = facilitator_client.post(url)

    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.name, participant.email, participant.mandate) == ("Deelnemer 1", "", "")
    assert not InviteLink.objects.filter(participant=participant).exists()
    interest.refresh_from_db()
    assert interest.statement == "Blijft staan" and interest.author_id is None
    assert Attendance.objects.filter(participant=participant).exists()
    # Their session no longer opens the trajectory.
    assert client.get(reverse("trajectories:welcome", args=[trajectory.pk])).status_code != 200
    # A double submit changes nothing and says so.
    again = facilitator_client.post(url, follow=True)
    assert "al gewist" in again.content.decode() or "already been erased" in (
        again.content.decode()
    )


def test_a_manager_cannot_erase(manager_client, participant):
    url = reverse(
        "trajectories:participant_erase",
        args=[participant.partner.trajectory.pk, participant.pk],
    )
    assert manager_client.post(url).status_code == 403
    participant.refresh_from_db()
    assert participant.name == "Anouk de Vries"

"""An invite link and its mail are one unit: a mail that fails leaves the old link working."""

import smtplib

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail import EmailMessage

from tests import factories
from trajectories.models import InviteLink, Membership, Trajectory, hash_token

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _mail_url(trajectory, participant):
    return f"/t/{trajectory.pk}/vertegenwoordigers/{participant.pk}/uitnodiging/mailen/"


@pytest.fixture
def reachable(participant):
    participant.email = "anouk@example.org"
    participant.save()
    return participant


@pytest.fixture
def mail_down(monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMessage, "send", refuse)


def test_a_line_break_typed_in_the_name_becomes_a_space(facilitator_client, trajectory):
    facilitator_client.post(
        f"/t/{trajectory.pk}/instellingen/",
        {
            "name": "Wonen\r\nen zorg",
            "task": "T",
            "occasion": "start",
            "phase": "design",
            "status": "active",
        },
    )
    trajectory.refresh_from_db()
    assert trajectory.name == "Wonen en zorg"


def test_a_line_break_stored_in_the_name_still_mails_the_link(
    facilitator_client, trajectory, reachable
):
    # Stored before names were cleaned, or through the admin: the mail must still go out.
    Trajectory.objects.filter(pk=trajectory.pk).update(name="Wonen\nen zorg\r\nBcc: x@evil.example")
    response = facilitator_client.post(_mail_url(trajectory, reachable), headers=HX)
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    subject = mail.outbox[0].subject
    assert "\n" not in subject and "\r" not in subject
    assert "Wonen en zorg Bcc: x@evil.example" in subject
    assert mail.outbox[0].bcc == []


def test_a_failed_mail_keeps_the_old_link_working(
    facilitator_client, trajectory, reachable, mail_down
):
    _old, old_token = factories.make_invite(reachable)
    response = facilitator_client.post(_mail_url(trajectory, reachable), headers=HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "kon niet worden verstuurd" in html
    assert "vorige link werkt nog" in html
    usable = InviteLink.objects.usable().get(participant=reachable)
    assert usable.token_hash == hash_token(old_token)
    assert InviteLink.objects.filter(participant=reachable).count() == 1


def test_a_failed_mail_of_the_shown_link_says_so(
    facilitator_client, trajectory, reachable, mail_down
):
    _link, token = factories.make_invite(reachable)
    response = facilitator_client.post(
        _mail_url(trajectory, reachable), {"token": token}, headers=HX
    )
    assert "kon niet worden verstuurd" in response.content.decode()
    assert InviteLink.objects.usable().get(participant=reachable).token_hash == hash_token(token)


def test_a_failed_mail_without_javascript_shows_the_message_on_a_whole_page(
    facilitator_client, trajectory, reachable, mail_down
):
    factories.make_invite(reachable)
    response = facilitator_client.post(_mail_url(trajectory, reachable))
    assert response.status_code == 200
    assert "kon niet worden verstuurd" in response.content.decode()


def test_a_new_member_whose_mail_fails_is_not_added_and_is_told(
    facilitator_client, trajectory, mail_down
):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/leden/toevoegen/",
        {"email": "nieuw@example.org", "role": "manager"},
        headers=HX,
    )
    assert response.status_code == 422  # the form back with the message, swapped by htmx
    assert "kon niet worden verstuurd" in response.content.decode()
    assert 'value="nieuw@example.org"' in response.content.decode()  # nothing typed is lost
    assert not Membership.objects.filter(user__email="nieuw@example.org").exists()


def test_new_member_mail_subject_survives_a_stored_line_break(
    facilitator_client, trajectory, django_capture_on_commit_callbacks
):
    Trajectory.objects.filter(pk=trajectory.pk).update(name="Wonen\nen zorg")
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator_client.post(
            f"/t/{trajectory.pk}/leden/toevoegen/",
            {"email": "nieuw@example.org", "role": "manager"},
            headers=HX,
        )
    assert response.status_code == 200
    assert mail.outbox[0].subject.count("Wonen en zorg") == 1


def test_the_admin_also_puts_a_trajectory_name_on_one_line(client, trajectory):
    admin_user = get_user_model().objects.create_superuser("beheer", "beheer@example.org", "x")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/trajectories/trajectory/{trajectory.pk}/change/",
        {
            "name": "Wonen\nen zorg\x0b",
            "task": "T",
            "goals": "",
            "occasion": "start",
            "phase": "design",
            "status": "active",
            "created_at_0": "2026-12-01",
            "created_at_1": "10:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "partners-TOTAL_FORMS": "0",
            "partners-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    trajectory.refresh_from_db()
    assert trajectory.name == "Wonen en zorg"

"""Each person's own language and mails: representatives (/t/<pk>/mijn-instellingen/) and
accounts (/account/), and the facilitator setting a representative's language."""

import re

import pytest
from django.core import mail as outbox_mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coconnect import mail
from tests import factories
from trajectories import services
from trajectories.models import AccountPreferences, MailOptOut, Membership, Participant

pytestmark = pytest.mark.django_db


def _settings_url(trajectory):
    return f"/t/{trajectory.pk}/mijn-instellingen/"


def test_a_representative_chooses_language_digest_and_mails(
    participant_client, participant, trajectory
):
    Participant.objects.filter(pk=participant.pk).update(email="anouk@example.org")
    page = participant_client.get(_settings_url(trajectory)).content.decode()
    assert "Mijn instellingen" in page
    assert 'name="mail_reminder"' in page and "checked" in page
    response = participant_client.post(
        _settings_url(trajectory),
        {"language": "en", "wants_digest": "on", "mail_digest": "on", "mail_workshop": "on"},
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    participant.refresh_from_db()
    assert participant.language == "en" and participant.wants_digest
    recipient = mail.recipient_for_participant(participant)
    assert not mail.wants(recipient, mail.Kind.REMINDER)
    assert mail.wants(recipient, mail.Kind.DIGEST) and mail.wants(recipient, mail.Kind.WORKSHOP)
    page = participant_client.get(_settings_url(trajectory)).content.decode()
    assert "Your settings have been saved." in page
    # And back on.
    participant_client.post(
        _settings_url(trajectory),
        {"language": "nl", "mail_reminder": "on", "mail_digest": "on", "mail_workshop": "on"},
    )
    assert not MailOptOut.objects.exists()


def test_an_unknown_language_is_refused_in_dutch(participant_client, participant, trajectory):
    response = participant_client.post(_settings_url(trajectory), {"language": "xx"})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    participant.refresh_from_db()
    assert participant.language == "nl"


def test_the_representatives_own_change_makes_an_old_facilitator_form_stale(
    facilitator_client, participant, trajectory
):
    url = f"/t/{trajectory.pk}/vertegenwoordigers/{participant.pk}/bewerken/"
    form = facilitator_client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    participant_client = factories.login_participant(Client(), participant)
    assert participant_client.post(_settings_url(trajectory), {"language": "en"}).status_code == 302
    response = facilitator_client.post(
        url,
        {
            "name": participant.name,
            "level": participant.level,
            "language": "nl",
            "version": version,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 409
    participant.refresh_from_db()
    assert participant.language == "en"


def test_the_facilitator_sets_the_language_and_the_invite_mail_follows_it(
    facilitator_client, participant, trajectory
):
    url = f"/t/{trajectory.pk}/vertegenwoordigers/{participant.pk}/bewerken/"
    facilitator_client.post(
        url,
        {
            "name": participant.name,
            "email": "anouk@example.org",
            "level": participant.level,
            "language": "en",
        },
    )
    participant.refresh_from_db()
    assert participant.language == "en"
    services.invite_send(participant=participant)
    [message] = outbox_mail.outbox
    assert message.subject.startswith("Your personal link for")
    assert "Dear Anouk de Vries" in message.body
    assert '<html lang="en"' in message.alternatives[0][0]
    assert "List-Unsubscribe" not in message.extra_headers


def test_an_old_participant_form_without_language_keeps_the_language(
    facilitator_client, participant, trajectory
):
    Participant.objects.filter(pk=participant.pk).update(language="en")
    url = f"/t/{trajectory.pk}/vertegenwoordigers/{participant.pk}/bewerken/"
    response = facilitator_client.post(url, {"name": "Anouk", "level": participant.level})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.language == "en" and participant.name == "Anouk"


def test_an_account_chooses_its_mail_language_and_weekly_digests(
    facilitator_client, facilitator, trajectory
):
    second = factories.make_trajectory("Tweede traject", facilitator=facilitator)
    page = facilitator_client.get("/account/").content.decode()
    assert trajectory.name in page and "Tweede traject" in page
    first_membership = Membership.objects.get(user=facilitator, trajectory=trajectory)
    second_membership = Membership.objects.get(user=facilitator, trajectory=second)
    response = facilitator_client.post(
        "/account/",
        {"language": "en", "mail_weekly": "on", f"digest_{second_membership.pk}": "on"},
    )
    assert response.status_code == 302
    assert AccountPreferences.objects.get(user=facilitator).language == "en"
    first_membership.refresh_from_db()
    second_membership.refresh_from_db()
    assert not first_membership.weekly_digest and second_membership.weekly_digest
    assert mail.recipient_for_user(facilitator).language == "en"
    facilitator_client.post("/account/", {"language": "nl"})
    assert not mail.wants(mail.recipient_for_user(facilitator), mail.Kind.WEEKLY)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_account_page_reads_in_a_fixed_number_of_queries(
    facilitator_client, facilitator, django_assert_num_queries
):
    factories.make_trajectory("Eén", facilitator=facilitator)
    small = _queries(facilitator_client, "/account/")
    for n in range(15):
        factories.make_trajectory(f"Traject {n:02}", facilitator=facilitator)
    mail.opt_out_set(user=facilitator, kind=mail.Kind.WEEKLY, wanted=False)
    with django_assert_num_queries(small):
        page = facilitator_client.get("/account/").content.decode()
    assert "Traject 14" in page


def test_strangers_and_participants_have_no_account_page(client, participant):
    assert client.get("/account/")["Location"].startswith("/accounts/login/")
    factories.login_participant(client, participant)
    assert client.get("/account/")["Location"].startswith("/accounts/login/")


def test_the_participant_settings_page_reads_in_a_fixed_number_of_queries(
    participant_client, participant, trajectory, django_assert_num_queries
):
    small = _queries(participant_client, _settings_url(trajectory))
    for kind in mail.PARTICIPANT_KINDS:
        mail.opt_out_set(participant=participant, kind=kind, wanted=False)
    for _n in range(10):
        factories.make_participant(participant.partner)
    with django_assert_num_queries(small):
        participant_client.get(_settings_url(trajectory))

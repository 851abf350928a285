import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from tests import factories
from trajectories.access import SESSION_INVITE_KEY
from trajectories.models import InviteLink, hash_token
from trajectories.services import invite_revoke

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _issue_url(trajectory, participant, suffix=""):
    return f"/t/{trajectory.pk}/vertegenwoordigers/{participant.pk}/uitnodiging/{suffix}"


def _token_from(html: str) -> str:
    return re.search(r"/i/([A-Za-z0-9_\-]+)/", html).group(1)


def test_token_is_never_stored_in_clear(participant):
    _link, token = factories.make_invite(participant)
    assert len(token) >= 22  # 128 bits in URL-safe base64
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM trajectories_invitelink")
        rows = cursor.fetchall()
    stored = " ".join(str(value) for row in rows for value in row)
    assert token not in stored
    assert hash_token(token) in stored


def test_tokens_carry_at_least_128_random_bits(participant):
    tokens = {factories.make_invite(participant)[1] for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) * 6 >= 128 for token in tokens)


def test_opening_a_link_redirects_to_a_clean_url_without_referrer(client, participant, trajectory):
    _link, token = factories.make_invite(participant)
    response = client.get(f"/i/{token}/")
    assert response.status_code == 302
    assert response["Location"] == f"/t/{trajectory.pk}/welkom/"
    assert token not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    welcome = client.get(response["Location"])
    assert welcome.status_code == 200
    assert participant.name in welcome.content.decode()
    assert token not in welcome.content.decode()


def test_opening_a_link_gives_a_new_session_key(client, participant):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    _link, token = factories.make_invite(participant)
    client.get(f"/i/{token}/")
    assert client.session.session_key != before
    assert client.session[SESSION_INVITE_KEY]


def test_opening_records_last_use(client, participant):
    link, token = factories.make_invite(participant)
    client.get(f"/i/{token}/")
    link.refresh_from_db()
    assert link.last_used_at is not None


def test_unknown_link_gets_a_clear_404_page(client, db):
    response = client.get("/i/not-a-real-token-at-all-xxxxxxxxxxxxxxx/")
    assert response.status_code == 404
    assert "Deze uitnodigingslink is ongeldig" in response.content.decode()
    # Its forms (the language switch) must post with a real Origin: never "no-referrer" here.
    assert response["Referrer-Policy"] == "same-origin"


def test_expired_link_gets_410_and_explains(client, participant):
    _link, token = factories.make_invite(
        participant, expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(f"/i/{token}/")
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    assert SESSION_INVITE_KEY not in client.session


def test_revoked_link_gets_410(client, participant):
    _link, token = factories.make_invite(participant)
    invite_revoke(participant=participant)
    response = client.get(f"/i/{token}/")
    assert response.status_code == 410
    assert "ingetrokken" in response.content.decode()


def test_link_of_a_completed_trajectory_is_refused(client, participant, trajectory):
    _link, token = factories.make_invite(participant)
    trajectory.status = "closed"
    trajectory.save()
    response = client.get(f"/i/{token}/")
    assert response.status_code == 410
    assert "afgerond" in response.content.decode()


def test_reissue_kills_the_old_link_at_once(client, participant):
    _old, old_token = factories.make_invite(participant)
    _new, new_token = factories.make_invite(participant)
    assert client.get(f"/i/{old_token}/").status_code == 410
    assert client.get(f"/i/{new_token}/").status_code == 302


def test_revoking_ends_a_running_participant_session(participant_client, participant, trajectory):
    assert participant_client.get(f"/t/{trajectory.pk}/welkom/").status_code == 200
    invite_revoke(participant=participant)
    response = participant_client.get(f"/t/{trajectory.pk}/welkom/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_repeated_bad_attempts_are_rate_limited(client, participant, settings):
    settings.INVITE_RATE_LIMIT_ATTEMPTS = 3
    for n in range(3):
        assert client.get(f"/i/wrong-token-{n}-xxxxxxxxxxxxxxxxxxxxxxx/").status_code == 404
    response = client.get("/i/wrong-token-3-xxxxxxxxxxxxxxxxxxxxxxx/")
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.INVITE_RATE_LIMIT_WINDOW)
    assert "Te veel pogingen" in response.content.decode()
    assert SESSION_INVITE_KEY not in client.session
    # A valid link is never refused because of bad tries from the same address.
    _link, token = factories.make_invite(participant)
    assert client.get(f"/i/{token}/").status_code == 302


def test_rate_limit_counts_per_address(client, participant, settings):
    settings.INVITE_RATE_LIMIT_ATTEMPTS = 2
    for n in range(2):
        client.get(f"/i/wrong-{n}-xxxxxxxxxxxxxxxxxxxxxxxxxxx/", REMOTE_ADDR="10.0.0.1")
    bad = "/i/wrong-9-xxxxxxxxxxxxxxxxxxxxxxxxxxx/"
    assert client.get(bad, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.get(bad, REMOTE_ADDR="10.0.0.2").status_code == 404


def test_overlong_token_is_refused_without_a_lookup(client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = client.get("/i/" + "a" * 500 + "/")
    assert response.status_code == 404


def test_participant_sees_nothing_of_another_trajectory(participant_client, other_trajectory):
    page = participant_client.get("/", follow=True).content.decode()
    assert other_trajectory.name not in page
    assert participant_client.get(f"/t/{other_trajectory.pk}/welkom/").status_code == 404


def test_participant_can_leave_on_this_device(participant_client, trajectory):
    response = participant_client.post("/deelnemer/afmelden/")
    assert response.status_code == 200
    assert SESSION_INVITE_KEY not in participant_client.session
    assert participant_client.get(f"/t/{trajectory.pk}/welkom/").status_code == 302


# --- the facilitator's side ---------------------------------------------------------------------


def test_facilitator_issues_a_link_and_sees_it_once(facilitator_client, trajectory, participant):
    response = facilitator_client.post(_issue_url(trajectory, participant), headers=HX)
    html = response.content.decode()
    token = _token_from(html)
    assert InviteLink.objects.get(participant=participant).token_hash == hash_token(token)
    assert "data-copy" in html
    assert "maken een nieuwe link" in html.lower() or "nieuwe link" in html.lower()
    again = facilitator_client.get(f"/t/{trajectory.pk}/partners/").content.decode()
    assert token not in again
    assert "geldig tot" in again


def test_issuing_without_javascript_shows_a_whole_page(facilitator_client, trajectory, participant):
    response = facilitator_client.post(_issue_url(trajectory, participant))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and _token_from(html)


def test_facilitator_revokes_a_link(facilitator_client, trajectory, participant):
    _link, token = factories.make_invite(participant)
    response = facilitator_client.post(
        _issue_url(trajectory, participant, "intrekken/"), headers=HX
    )
    assert "ingetrokken" in response.content.decode()
    assert not InviteLink.objects.usable().filter(participant=participant).exists()


def test_mailing_the_shown_link_sends_it_in_dutch(facilitator_client, trajectory, participant):
    participant.email = "anouk@example.org"
    participant.save()
    _link, token = factories.make_invite(participant)
    response = facilitator_client.post(
        _issue_url(trajectory, participant, "mailen/"), {"token": token}, headers=HX
    )
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anouk@example.org"]
    assert f"/i/{token}/" in message.body
    assert "Beste Anouk de Vries" in message.body
    assert trajectory.name in message.subject
    assert message.reply_to == ["facilitator@example.org"]
    # The link mailed is the link that works: nothing was re-issued.
    assert InviteLink.objects.usable().get(participant=participant).token_hash == hash_token(token)


def test_mailing_without_a_token_makes_a_new_link(facilitator_client, trajectory, participant):
    participant.email = "anouk@example.org"
    participant.save()
    _old, old_token = factories.make_invite(participant)
    facilitator_client.post(_issue_url(trajectory, participant, "mailen/"), headers=HX)
    new_token = _token_from(mail.outbox[0].body)
    assert new_token != old_token
    assert InviteLink.objects.usable().get(participant=participant).token_hash == hash_token(
        new_token
    )


def test_mailing_a_dead_token_is_refused(facilitator_client, trajectory, participant):
    participant.email = "anouk@example.org"
    participant.save()
    _link, old_token = factories.make_invite(participant)
    factories.make_invite(participant)
    response = facilitator_client.post(
        _issue_url(trajectory, participant, "mailen/"), {"token": old_token}, headers=HX
    )
    assert "werkt niet meer" in response.content.decode()
    assert mail.outbox == []


def test_mailing_needs_an_email_address(facilitator_client, trajectory, participant):
    response = facilitator_client.post(_issue_url(trajectory, participant, "mailen/"), headers=HX)
    assert "geen e-mailadres" in response.content.decode()
    assert mail.outbox == []


def test_qr_page_shows_an_svg_of_the_link(facilitator_client, trajectory, participant):
    _link, token = factories.make_invite(participant)
    response = facilitator_client.post(_issue_url(trajectory, participant, "qr/"), {"token": token})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "<path" in html
    assert token not in html  # the code holds the link; the page text does not
    assert response["Referrer-Policy"] == "no-referrer"


def test_qr_page_refuses_an_old_token(facilitator_client, trajectory, participant):
    _link, old_token = factories.make_invite(participant)
    factories.make_invite(participant)
    response = facilitator_client.post(
        _issue_url(trajectory, participant, "qr/"), {"token": old_token}
    )
    assert response.status_code == 302
    assert "<svg" not in facilitator_client.get(response["Location"]).content.decode()

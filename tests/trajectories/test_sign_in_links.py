"""Sign-in links from mails, "lost your link?" and unsubscribing (trajectories/mail_views.py)."""

import re
from datetime import timedelta

import pytest
from django.core import mail as outbox_mail
from django.core import signing
from django.test import Client
from django.utils import timezone

from coconnect import mail
from tests import factories
from trajectories import retention, services
from trajectories.access import SESSION_INVITE_KEY
from trajectories.models import InviteLink, MailOptOut, SignInToken, Trajectory

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
LINK = re.compile(r"https?://[^/\s]+(/aanmelden/[^/\s\"<]+/)")


@pytest.fixture
def anouk(participant):
    participant.email = "anouk@example.org"
    participant.save(update_fields=["email"])
    factories.make_invite(participant)
    return participant


def _path(participant) -> str:
    url = mail.sign_in_urls_issue([participant])[participant.pk]
    return re.sub(r"^https?://[^/]+", "", url)


# --- sign-in links -----------------------------------------------------------------------------


def test_a_sign_in_link_asks_first_then_starts_the_session_once(client, anouk, trajectory):
    path = _path(anouk)
    page = client.get(path)
    assert page.status_code == 200
    assert "Aanmelden bij Coconnect" in page.content.decode()
    assert page["Referrer-Policy"] == "same-origin"
    # Opening (a mail scanner, a preview) spends nothing.
    assert SignInToken.objects.get().used_at is None
    assert SESSION_INVITE_KEY not in client.session

    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == f"/t/{trajectory.pk}/welkom/"
    invite = InviteLink.objects.usable().get(participant=anouk)
    assert client.session[SESSION_INVITE_KEY] == invite.pk
    assert client.get(f"/t/{trajectory.pk}/welkom/").status_code == 200
    assert SignInToken.objects.get().used_at is not None
    # The personal link itself stays as it was: still usable, same row.
    assert InviteLink.objects.filter(participant=anouk).count() == 1

    other = Client()
    again = other.post(path)
    assert again.status_code == 410
    assert "Deze aanmeldlink is al gebruikt" in again.content.decode()
    assert "/link-kwijt/" in again.content.decode()
    assert SESSION_INVITE_KEY not in other.session
    assert other.get(path).status_code == 410


def test_an_expired_sign_in_link_is_refused_in_dutch(client, anouk):
    path = _path(anouk)
    SignInToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 410
        assert "Deze aanmeldlink is verlopen" in response.content.decode()
    assert SESSION_INVITE_KEY not in client.session


@pytest.mark.parametrize(
    "token", ["forged", "x" * 43, "x" * 500, "%3Cscript%3Ealert(1)%3C%3Escript%3E", "é" * 10]
)
def test_a_forged_sign_in_link_is_refused_in_dutch(client, anouk, token):
    _path(anouk)
    for method in (client.get, client.post):
        response = method(f"/aanmelden/{token}/")
        assert response.status_code == 404
        page = response.content.decode()
        assert "Deze aanmeldlink is ongeldig" in page
        assert "<script>" not in page
    assert SignInToken.objects.get().used_at is None


def test_a_revoked_participant_cannot_sign_in_with_a_link(client, anouk):
    path = _path(anouk)
    services.invite_revoke(participant=anouk)
    response = client.post(path)
    assert response.status_code == 410
    assert "Uw toegang is gestopt" in response.content.decode()
    assert SignInToken.objects.get().used_at is None


def test_an_erased_participant_cannot_sign_in_with_a_link(client, anouk):
    path = _path(anouk)
    SignInToken.objects.update(token_hash="0" * 64)  # erasure deletes them; an old row anyway
    retention.participant_erase(participant=anouk)
    assert not SignInToken.objects.exists()
    assert client.post(path).status_code == 404


def test_a_completed_trajectory_refuses_its_sign_in_links(client, anouk, trajectory):
    path = _path(anouk)
    Trajectory.objects.filter(pk=trajectory.pk).update(status=Trajectory.Status.CLOSED)
    response = client.post(path)
    assert response.status_code == 410
    assert "Dit traject is afgerond" in response.content.decode()


def test_signing_in_switches_the_pages_to_the_participants_language(client, anouk, trajectory):
    anouk.language = "en"
    anouk.save(update_fields=["language"])
    response = client.post(_path(anouk))
    assert response.cookies["django_language"].value == "en"
    assert "Welcome" in client.get(f"/t/{trajectory.pk}/welkom/").content.decode()


def test_the_invite_link_switches_the_pages_to_the_participants_language(client, partner):
    emma = factories.make_participant(partner, "Emma Jones", language="en")
    _link, token = factories.make_invite(emma)
    response = client.get(f"/i/{token}/")
    assert response.cookies["django_language"].value == "en"


# --- lost link ---------------------------------------------------------------------------------


def _ask(client, email, *, key=None, address="203.0.113.7"):
    data = {"email": email}
    if key is not None:
        data["submission_key"] = key
    return client.post("/link-kwijt/", data, REMOTE_ADDR=address)


def test_lost_link_sends_one_mail_with_a_button_per_open_trajectory(client, anouk, trajectory):
    second = factories.make_trajectory("Tweede traject")
    twin = factories.make_participant(
        factories.make_partner(second, "Gemeente Elders"),
        "Anouk de Vries",
        email="ANOUK@example.org",
    )
    factories.make_invite(twin)
    closed = factories.make_trajectory("Afgerond traject", status=Trajectory.Status.CLOSED)
    old = factories.make_participant(factories.make_partner(closed), email="anouk@example.org")
    factories.make_invite(old)

    response = _ask(client, " Anouk@Example.org ")
    assert response.status_code == 302
    assert response["Location"] == "/link-kwijt/verstuurd/"
    [message] = outbox_mail.outbox
    assert [to.lower() for to in message.to] == ["anouk@example.org"]
    assert message.subject == "Uw aanmeldlink voor Coconnect"
    assert "List-Unsubscribe" not in message.extra_headers
    html = message.alternatives[0][0]
    assert trajectory.name in html and "Tweede traject" in html
    assert "Afgerond traject" not in message.body
    assert len(set(LINK.findall(message.body))) == 2
    assert SignInToken.objects.filter(participant__in=[anouk, twin]).count() == 2
    assert not SignInToken.objects.filter(participant=old).exists()


def test_lost_link_answers_the_same_whether_or_not_the_address_is_known(anouk):
    known, unknown = Client(), Client()
    answers = [
        _ask(known, "anouk@example.org", address="198.51.100.1"),
        _ask(unknown, "nobody@example.org", address="198.51.100.2"),
    ]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    pages = [
        CSRF.sub("", client.get(a["Location"]).content.decode())
        for client, a in zip((known, unknown), answers, strict=True)
    ]
    assert pages[0] == pages[1]
    assert len(outbox_mail.outbox) == 1


def test_lost_link_sends_nothing_to_erased_or_revoked_people(client, anouk, partner):
    services.invite_revoke(participant=anouk)
    _ask(client, "anouk@example.org")
    assert outbox_mail.outbox == []


def test_lost_link_is_rate_limited_per_email_address(anouk):
    for n in range(5):
        _ask(Client(), "anouk@example.org", address=f"198.51.100.{n}")
    assert len(outbox_mail.outbox) == 3


def test_lost_link_is_rate_limited_per_client_address(anouk, partner):
    for n in range(7):
        person = factories.make_participant(partner, email=f"p{n}@example.org")
        factories.make_invite(person)
        response = _ask(Client(), f"p{n}@example.org", address="192.0.2.9")
        assert response.status_code == 302  # held back looks exactly like sent
    assert len(outbox_mail.outbox) == 5


def test_a_double_submit_of_lost_link_sends_one_mail(client, anouk):
    page = client.get("/link-kwijt/").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    for _ in range(2):
        assert _ask(client, "anouk@example.org", key=key).status_code == 302
    assert len(outbox_mail.outbox) == 1


@pytest.mark.parametrize(
    "email", ["not an address", "a" * 250 + "@example.org", "<script>@x.nl", ""]
)
def test_lost_link_refuses_a_bad_address_in_dutch_and_keeps_it(client, email):
    response = _ask(client, email)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert "<script>@" not in page
    assert outbox_mail.outbox == []


def test_the_refusal_pages_and_login_page_lead_to_lost_link(client):
    assert "/link-kwijt/" in client.get("/i/unknown-token/").content.decode()
    assert "/link-kwijt/" in client.get("/accounts/login/").content.decode()
    assert "Link kwijt?" in client.get("/link-kwijt/").content.decode()


# --- unsubscribe -------------------------------------------------------------------------------


def _unsubscribe_path(recipient, kind) -> str:
    return re.sub(r"^https?://[^/]+", "", mail.unsubscribe_url(recipient, kind))


def test_unsubscribe_asks_first_then_stops_that_kind_and_nothing_else(client, anouk):
    recipient = mail.recipient_for_participant(anouk)
    path = _unsubscribe_path(recipient, mail.Kind.REMINDER)
    page = client.get(path)
    assert page.status_code == 200
    assert "Herinneringen aan wat er moet gebeuren" in page.content.decode()
    assert not MailOptOut.objects.exists()

    done = client.post(path)
    assert done.status_code == 200
    text = done.content.decode()
    assert "U bent uitgeschreven" in text and "Mijn instellingen" in text
    assert not mail.wants(recipient, mail.Kind.REMINDER)
    assert all(mail.wants(recipient, kind) for kind in mail.Kind if kind != mail.Kind.REMINDER)
    assert client.post(path).status_code == 200  # again: still off, nothing new
    assert MailOptOut.objects.count() == 1


def test_one_click_unsubscribe_needs_no_session_nor_csrf(anouk):
    client = Client(enforce_csrf_checks=True)
    recipient = mail.recipient_for_participant(anouk)
    path = _unsubscribe_path(recipient, mail.Kind.DIGEST)
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not mail.wants(recipient, mail.Kind.DIGEST)


def test_an_account_unsubscribes_from_the_weekly_digest(client, facilitator):
    recipient = mail.recipient_for_user(facilitator)
    client.post(_unsubscribe_path(recipient, mail.Kind.WEEKLY))
    assert not mail.wants(recipient, mail.Kind.WEEKLY)
    assert MailOptOut.objects.get().user == facilitator


def test_a_forged_unsubscribe_link_changes_nothing(client, anouk, partner):
    recipient = mail.recipient_for_participant(anouk)
    value = mail.unsubscribe_value(recipient, mail.Kind.REMINDER)
    someone_else = factories.make_participant(partner)
    forged = [
        value[:-2] + ("AA" if not value.endswith("AA") else "BB"),
        "forged",
        value.replace(":", "", 1),
        # Signed for another purpose (the salt differs): not an unsubscribe.
        __import__("django.core.signing").core.signing.dumps(
            {"p": someone_else.pk, "k": "reminder"}
        ),
    ]
    for bad in forged:
        for method in (client.get, client.post):
            response = method(f"/afmelden/{bad}/")
            assert response.status_code == 400
            assert "Deze uitschrijflink werkt niet" in response.content.decode()
    assert not MailOptOut.objects.exists()


def test_a_transactional_kind_cannot_be_unsubscribed(client, anouk):
    value = signing.dumps({"p": anouk.pk, "k": "invite"}, salt=mail.UNSUBSCRIBE_SALT)
    assert client.post(f"/afmelden/{value}/").status_code == 400
    assert not MailOptOut.objects.exists()


def test_the_daily_retention_run_forgets_expired_sign_in_links(anouk):
    _path(anouk)
    _path(anouk)
    SignInToken.objects.filter(pk=SignInToken.objects.order_by("pk").first().pk).update(
        expires_at=timezone.now() - timedelta(days=2)
    )
    retention.apply_retention()
    assert SignInToken.objects.count() == 1


def test_sign_in_and_unsubscribe_links_are_masked_in_logs(anouk):
    from coconnect.logs import mask_secrets

    sign_in = _path(anouk)
    unsubscribe = _unsubscribe_path(mail.recipient_for_participant(anouk), mail.Kind.REMINDER)
    line = (
        f'"GET {sign_in} HTTP/1.1" 200 · "POST {unsubscribe} HTTP/1.1" 200 · /deelnemer/afmelden/'
    )
    masked = mask_secrets(line)
    token = sign_in.split("/")[2]
    value = unsubscribe.split("/")[2]
    assert token not in masked and value not in masked
    assert "/aanmelden/***/" in masked and "/afmelden/***/" in masked
    assert masked.endswith("/deelnemer/afmelden/")

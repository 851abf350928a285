"""End to end through a real SMTP server on loopback (tests/mailserver.py): what a mail client
receives, parsed, and the sign-in button in it followed with a browser-like client."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from coconnect import mail
from tests import factories
from trajectories.access import SESSION_INVITE_KEY

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(https?://[^"]+/aanmelden/[^"]+/)"')


@pytest.fixture
def anouk(participant):
    participant.email = "anouk@example.org"
    participant.save(update_fields=["email"])
    factories.make_invite(participant)
    return participant


def _parts(message):
    return {part.get_content_type(): part for part in message.iter_parts()}


def test_a_lost_link_mail_arrives_and_its_button_signs_in_once(smtp_server, anouk, trajectory):
    asking = Client()
    response = asking.post("/link-kwijt/", {"email": "anouk@example.org"})
    assert response.status_code == 302

    [message] = smtp_server.messages
    assert smtp_server.recipients == [["anouk@example.org"]]
    assert message.get_content_type() == "multipart/alternative"
    assert message["To"] == "anouk@example.org"
    assert message["Subject"] == "Uw aanmeldlink voor Coconnect"
    assert message["Content-Language"] == "nl"
    assert message["List-Unsubscribe"] is None  # asked for: nothing to unsubscribe from
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html"}
    text = parts["text/plain"].get_content()
    html = parts["text/html"].get_content()
    assert "Beste Anouk de Vries" in text
    assert '<html lang="nl"' in html
    assert trajectory.name in html

    [url] = HREF.findall(html)
    assert url in text  # the same link in the text part
    path = urlsplit(url).path

    browser = Client()
    assert browser.get(path).status_code == 200  # a scanner opening it spends nothing
    signed_in = browser.post(path)
    assert signed_in.status_code == 302
    assert signed_in["Location"] == f"/t/{trajectory.pk}/welkom/"
    assert browser.get(signed_in["Location"]).status_code == 200

    late = Client()
    refused = late.post(path)
    assert refused.status_code == 410
    assert "Deze aanmeldlink is al gebruikt" in refused.content.decode()
    assert SESSION_INVITE_KEY not in late.session


def test_a_reminder_arrives_with_a_one_click_unsubscribe_that_works(smtp_server, anouk):
    anouk.language = "en"
    anouk.save(update_fields=["language"])
    recipient = mail.recipient_for_participant(anouk)
    sent = mail.send(
        recipient,
        kind=mail.Kind.REMINDER,
        template="trajectories/mail/sign_in",
        context={"entries": [], "days": 3},
        sign_in=True,
    )
    assert sent
    [message] = smtp_server.messages
    assert message["Content-Language"] == "en"
    assert message["Subject"] == "Your sign-in link for Coconnect"
    unsubscribe = message["List-Unsubscribe"].strip()  # a long value is folded
    assert re.fullmatch(r"<https?://[^>]+/afmelden/[^>]+/>", unsubscribe)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = _parts(message)["text/html"].get_content()
    assert '<html lang="en"' in html
    assert unsubscribe.strip("<>") in html

    # What a mail client does on "unsubscribe": a POST with that body, no cookies, no token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        urlsplit(unsubscribe.strip("<>")).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not mail.wants(recipient, mail.Kind.REMINDER)
    assert mail.wants(recipient, mail.Kind.WORKSHOP)

"""The daily reminder through a real SMTP server on loopback (tests/mailserver.py): parsed as a
mail client would, its sign-in button followed once (and refused the second time), its one-click
unsubscribe stopping reminders and nothing else."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from coconnect import mail
from reminders import jobs
from tests import factories
from workshops.models import ActionItem

from .conftest import open_round

SIGN_IN = re.compile(r'href="(https?://[^"]+/aanmelden/[^"]+/)"')


def _parts(message):
    return {part.get_content_type(): part for part in message.iter_parts()}


def test_a_reminder_arrives_whole_and_its_button_signs_in_once(
    smtp_server, trajectory, anouk, today
):
    invite, _token = factories.make_invite(anouk)
    open_round(trajectory, closes_in=2)
    ActionItem.objects.create(
        trajectory=trajectory,
        title="Huurcontract opstellen",
        owner_participant=anouk,
        due_date=today,
    )

    jobs.reminders_send(today=today)

    [message] = smtp_server.messages
    assert smtp_server.recipients == [[anouk.email]]
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == f"Herinnering: 2 dingen te doen in {trajectory.name}"
    assert message["Content-Language"] == "nl"
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http") and unsubscribe.endswith(">")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html"}
    text, html = parts["text/plain"].get_content(), parts["text/html"].get_content()
    for body in (text, html):
        assert "Ronde 1" in body and "Huurcontract opstellen" in body
    assert '<html lang="nl"' in html and "<time datetime=" in html
    [url] = SIGN_IN.findall(html)
    assert url in text

    path = urlsplit(url).path
    browser = Client()
    assert browser.get(path).status_code == 200  # opening it (a link scanner) spends nothing
    signed_in = browser.post(path)
    assert signed_in.status_code == 302
    welcome = browser.get(signed_in["Location"])
    assert welcome.status_code == 200
    assert "uiterlijk" in welcome.content.decode()  # the round's date on the to-do
    assert Client().post(path).status_code == 410  # once only
    invite.refresh_from_db()
    assert invite.is_usable  # the personal link is not spent

    # One click on the unsubscribe stops reminders, not the other kinds.
    one_click = Client().post(urlsplit(unsubscribe[1:-1]).path, {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    recipient = mail.recipient_for_participant(anouk)
    assert not mail.wants(recipient, mail.Kind.REMINDER)
    assert mail.wants(recipient, mail.Kind.WORKSHOP)


@pytest.mark.parametrize("language", ["en"])
def test_an_english_reminder_arrives_in_english(smtp_server, trajectory, anouk, today, language):
    anouk.language = language
    anouk.save(update_fields=["language"])
    open_round(trajectory, closes_in=1)
    jobs.reminders_send(today=today)
    [message] = smtp_server.messages
    assert message["Subject"] == f"Reminder: 1 thing to do in {trajectory.name}"
    assert message["Content-Language"] == "en"
    assert "due tomorrow" in _parts(message)["text/plain"].get_content()

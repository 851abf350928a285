"""End to end through a real SMTP server on loopback: invitation, update and cancellation arrive
as a calendar client receives them, and the sign-in button works once."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import Client, TestCase
from django.urls import reverse
from icalendar import Calendar

from tests import factories

from .conftest import add_item, make_workshop

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _post(client, url, data=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data or {}, follow=True)


def _calendar_parts(message):
    """The text/calendar alternative and the .ics attachment, each parsed."""
    inline = [
        part
        for part in message.walk()
        if part.get_content_type() == "text/calendar" and not part.get_filename()
    ]
    attached = [part for part in message.walk() if part.get_filename()]
    assert len(inline) == 1 and len(attached) == 1
    return inline[0], attached[0]


def test_invitation_update_and_cancellation_arrive_over_smtp(
    smtp_server, facilitator_client, trajectory, partner
):
    anouk = factories.make_participant(partner, "Anouk de Vries", email="anouk@example.org")
    sam = factories.make_participant(partner, "Sam Taylor", email="sam@example.org", language="en")
    factories.make_invite(anouk)  # a sign-in link reaches as far as the personal link
    workshop = make_workshop(
        trajectory,
        title="Werkbijeenkomst wonen",
        starts_at=datetime(2027, 3, 4, 13, 30, tzinfo=AMSTERDAM),
        place="Stadhuis, zaal 2",
    )
    add_item(workshop, title="Hoe komt u binnen?")
    url = reverse("workshops:invite", args=[trajectory.pk, workshop.pk])
    edit_url = reverse("workshops:edit", args=[trajectory.pk, workshop.pk])
    cancel_url = reverse("workshops:cancel", args=[trajectory.pk, workshop.pk])

    _post(facilitator_client, url)
    _post(
        facilitator_client,
        edit_url,
        {"title": workshop.title, "starts_at": "2027-03-04T14:00", "place": "Stadhuis, zaal 2"},
    )
    _post(facilitator_client, cancel_url)

    assert smtp_server.recipients == [[anouk.email], [sam.email]] * 3
    expected = [("REQUEST", 0), ("REQUEST", 1), ("CANCEL", 2)]
    uids = set()
    for index, message in enumerate(smtp_server.messages):
        method, sequence = expected[index // 2]
        assert message.get_content_type() == "multipart/mixed"
        alternative = next(message.iter_parts())
        assert alternative.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in alternative.iter_parts()] == [
            "text/plain",
            "text/html",
            "text/calendar",
        ]
        assert str(message["List-Unsubscribe"]).strip().startswith("<http")
        inline, attached = _calendar_parts(message)
        assert inline.get_param("method") == method
        assert attached.get_filename() == ("cancel.ics" if method == "CANCEL" else "invite.ics")
        for part in (inline, attached):
            parsed = Calendar.from_ical(part.get_payload(decode=True))
            assert parsed["method"] == method
            (event,) = parsed.events
            assert event["sequence"] == sequence
            uids.add(str(event["uid"]))
            assert str(event["attendee"]) == f"mailto:{message['To']}"
        if index // 2 == 1:
            assert event.start == datetime(2027, 3, 4, 14, 0, tzinfo=AMSTERDAM)
        if method == "CANCEL":
            assert str(event["status"]) == "CANCELLED"
    assert uids == {f"workshop-{workshop.pk}@127.0.0.1"}

    # Each in their own language.
    assert str(smtp_server.messages[0]["Subject"]).strip().startswith("Uitnodiging:")
    assert str(smtp_server.messages[1]["Subject"]).strip().startswith("Invitation:")
    assert str(smtp_server.messages[2]["Subject"]).strip().startswith("Gewijzigd:")
    assert str(smtp_server.messages[4]["Subject"]).strip().startswith("Geannuleerd:")

    # The update's button (the newest link) signs Anouk in, once.
    text = smtp_server.messages[2].get_body(preferencelist=("plain",)).get_content()
    path = re.search(r"https?://[^/\s]+(/aanmelden/[^\s]+/)", text).group(1)
    phone = Client()
    assert phone.get(path).status_code == 200  # a mail scanner opening it spends nothing
    assert phone.post(path).status_code == 302
    detail = reverse("workshops:detail", args=[trajectory.pk, workshop.pk])
    assert phone.get(detail).status_code == 200
    assert Client().post(path).status_code == 410
    # The update and the cancellation carried no second use of that link.
    later = smtp_server.messages[4].get_body(preferencelist=("plain",)).get_content()
    assert "/aanmelden/" not in later

"""Workshop invitations: the .ics (REQUEST, updates, CANCEL) and the mails that carry it."""

from datetime import datetime, time
from email import message_from_bytes
from zoneinfo import ZoneInfo

import pytest
from django.core import mail as outbox
from django.test import TestCase
from django.urls import reverse
from icalendar import Calendar

from tests import factories
from workshops import calendar, invitations, tasks
from workshops.models import AgendaItem, Workshop, WorkshopInvitation

from .conftest import add_item, make_workshop

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
STARTS = datetime(2027, 3, 4, 13, 30, tzinfo=AMSTERDAM)


@pytest.fixture
def people(partner, participant):
    """Three representatives with an address (one English), one without, one erased."""
    participant.email = "anouk@rivierstad.example"
    participant.save()
    factories.make_invite(participant)
    other = factories.make_partner(partner.trajectory, "Woonstichting Thuis")
    english = factories.make_participant(
        other, "Sam Taylor", email="sam@thuis.example", language="en"
    )
    third = factories.make_participant(other, "Bram Jansen", email="bram@thuis.example")
    factories.make_participant(other, "Zonder Adres")
    factories.make_participant(other, "Gewist", email="weg@thuis.example", erased_at=STARTS)
    return [participant, english, third]


@pytest.fixture
def planned(trajectory):
    workshop = make_workshop(
        trajectory,
        title="Werkbijeenkomst wonen, zorg; en welzijn",
        starts_at=STARTS,
        place="Stadhuis, zaal 2",
        video_url="https://meet.example/abc",
    )
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Hoe komt u binnen?", timebox_minutes=15)
    add_item(workshop, AgendaItem.Kind.DISCUSSION, "Wachtlijst begeleid wonen", timebox_minutes=45)
    add_item(workshop, AgendaItem.Kind.CHECK_OUT, "Check-out", timebox_minutes=10)
    return workshop


def committed():
    """Run the work a request leaves for after its commit (the mails), as outside a test."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def post(client, url, data=None):
    with committed():
        return client.post(url, data or {}, follow=True)


def send(client, workshop):
    return post(client, reverse("workshops:invite", args=[workshop.trajectory_id, workshop.pk]))


def edit(client, workshop, **changes):
    data = {
        "title": workshop.title,
        "starts_at": workshop.starts_at.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M"),
        "end_time": workshop.end_time.strftime("%H:%M") if workshop.end_time else "",
        "place": workshop.place,
        "video_url": workshop.video_url,
        **changes,
    }
    return post(client, reverse("workshops:edit", args=[workshop.trajectory_id, workshop.pk]), data)


def cancel(client, workshop):
    return post(client, reverse("workshops:cancel", args=[workshop.trajectory_id, workshop.pk]))


def ics_of(message) -> Calendar:
    """The attached .ics, checked against the text/calendar part: both say the same."""
    (name, content, mimetype), *_rest = message.attachments
    assert name.endswith(".ics") and mimetype == "application/ics"
    calendars = [c for c, mime in message.alternatives if mime.startswith("text/calendar")]
    assert len(calendars) == 1
    assert calendars[0].encode() == content
    return Calendar.from_ical(content)


def only_event(parsed: Calendar):
    (event,) = parsed.events
    return event


def by_address(messages) -> dict:
    return {message.to[0]: message for message in messages}


# --- the .ics -----------------------------------------------------------------------------------


def test_the_invitation_is_a_request_with_the_workshop_in_amsterdam_time(
    facilitator_client, planned, people
):
    send(facilitator_client, planned)

    message = by_address(outbox.outbox)["anouk@rivierstad.example"]
    parsed = ics_of(message)
    assert parsed["method"] == "REQUEST"
    event = only_event(parsed)
    assert str(event["uid"]) == f"workshop-{planned.pk}@127.0.0.1"
    assert event["sequence"] == 0
    assert event.start == STARTS
    assert str(event.start.tzinfo) == "Europe/Amsterdam"
    assert parsed.timezones[0].tz_name == "Europe/Amsterdam"
    # No end time: as long as the agenda (15 + 45 + 10 minutes).
    assert event.end == datetime(2027, 3, 4, 14, 40, tzinfo=AMSTERDAM)
    assert str(event["summary"]) == "Werkbijeenkomst wonen, zorg; en welzijn"
    assert str(event["location"]) == "Stadhuis, zaal 2, https://meet.example/abc"
    description = str(event["description"])
    assert "Stadhuis, zaal 2" in description and "https://meet.example/abc" in description
    agenda = description.index("1. Hoe komt u binnen?")
    assert (
        agenda
        < description.index("2. Wachtlijst begeleid wonen")
        < description.index("3. Check-out")
    )
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["organizer"]) == "mailto:noreply@coconnect.localhost"
    attendee = event["attendee"]
    assert str(attendee) == "mailto:anouk@rivierstad.example"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["CN"] == "Anouk de Vries"
    assert event["dtstamp"].dt.tzinfo is not None


def test_each_mail_names_only_its_own_recipient(facilitator_client, planned, people):
    send(facilitator_client, planned)

    for address, message in by_address(outbox.outbox).items():
        raw = message.message().as_string()
        others = {p.email for p in people} - {address}
        assert not any(other in raw for other in others)
        assert str(only_event(ics_of(message))["attendee"]) == f"mailto:{address}"


def test_an_end_time_sets_the_end_on_the_same_day(facilitator_client, planned, people):
    planned.end_time = time(16, 0)
    planned.save()
    send(facilitator_client, planned)

    event = only_event(ics_of(outbox.outbox[0]))
    assert event.end == datetime(2027, 3, 4, 16, 0, tzinfo=AMSTERDAM)


def test_the_uid_stays_while_the_sequence_rises_on_a_change_and_on_the_cancellation(
    facilitator_client, planned, people
):
    send(facilitator_client, planned)
    first = only_event(ics_of(outbox.outbox[0]))
    outbox.outbox.clear()

    response = edit(facilitator_client, planned, place="Bibliotheek, zaal 1")
    assert "De deelnemers krijgen een bijgewerkte uitnodiging." in response.content.decode()
    assert len(outbox.outbox) == 3
    update = only_event(ics_of(outbox.outbox[0]))
    assert ics_of(outbox.outbox[0])["method"] == "REQUEST"
    assert update["uid"] == first["uid"]
    assert update["sequence"] == 1
    assert str(update["location"]).startswith("Bibliotheek, zaal 1")
    outbox.outbox.clear()

    cancel(facilitator_client, planned)
    assert len(outbox.outbox) == 3
    assert "/aanmelden/" not in outbox.outbox[0].body  # nothing to sign in for
    parsed = ics_of(outbox.outbox[0])
    assert parsed["method"] == "CANCEL"
    cancelled = only_event(parsed)
    assert cancelled["uid"] == first["uid"]
    assert cancelled["sequence"] == 2
    assert str(cancelled["status"]) == "CANCELLED"
    planned.refresh_from_db()
    assert planned.is_cancelled and planned.invitation_sequence == 2


@pytest.mark.parametrize(
    "changes",
    [
        {"starts_at": "2027-03-05T13:30"},
        {"starts_at": "2027-03-04T09:00"},
        {"end_time": "17:00"},
        {"place": "Elders"},
        {"video_url": "https://meet.example/new"},
    ],
)
def test_a_change_of_date_time_or_place_sends_an_update(
    facilitator_client, planned, people, changes
):
    send(facilitator_client, planned)
    outbox.outbox.clear()

    edit(facilitator_client, planned, **changes)

    assert len(outbox.outbox) == 3
    assert all(only_event(ics_of(m))["sequence"] == 1 for m in outbox.outbox)
    assert all(m.subject.startswith("Gewijzigd") or "Changed" in m.subject for m in outbox.outbox)


def test_a_change_that_does_not_touch_date_time_or_place_sends_nothing(
    facilitator_client, planned, people
):
    send(facilitator_client, planned)
    outbox.outbox.clear()

    response = edit(facilitator_client, planned, title="Andere titel")

    assert outbox.outbox == []
    assert "De deelnemers krijgen een bijgewerkte uitnodiging." not in response.content.decode()
    planned.refresh_from_db()
    assert planned.title == "Andere titel" and planned.invitation_sequence == 0


def test_changes_before_the_invitation_went_out_send_nothing(facilitator_client, planned, people):
    response = edit(facilitator_client, planned, place="Elders")

    assert outbox.outbox == []
    assert "De deelnemers krijgen een bijgewerkte uitnodiging." not in response.content.decode()


def test_cancelling_a_workshop_never_sent_mails_nobody(facilitator_client, planned, people):
    response = cancel(facilitator_client, planned)

    assert outbox.outbox == []
    assert "De bijeenkomst is geannuleerd." in response.content.decode()
    planned.refresh_from_db()
    assert planned.is_cancelled


def test_deleting_a_sent_planned_workshop_sends_the_cancellation(
    facilitator_client, planned, people
):
    send(facilitator_client, planned)
    outbox.outbox.clear()

    with committed():
        Workshop.objects.get(pk=planned.pk).delete()

    assert len(outbox.outbox) == 3
    parsed = ics_of(outbox.outbox[0])
    assert parsed["method"] == "CANCEL"
    assert only_event(parsed)["sequence"] == 1
    assert str(only_event(parsed)["status"]) == "CANCELLED"


def test_deleting_a_workshop_never_sent_mails_nobody(planned, people):
    with committed():
        planned.delete()

    assert outbox.outbox == []


# --- the mails ----------------------------------------------------------------------------------


def test_one_mail_per_participant_with_an_address_in_their_language(
    facilitator_client, planned, people
):
    response = send(facilitator_client, planned)

    assert "De uitnodiging wordt verstuurd naar 3 vertegenwoordigers." in response.content.decode()
    messages = by_address(outbox.outbox)
    assert set(messages) == {p.email for p in people}
    dutch, english = messages["anouk@rivierstad.example"], messages["sam@thuis.example"]
    assert dutch.subject.startswith("Uitnodiging: Werkbijeenkomst")
    assert "Beste Anouk de Vries" in dutch.body
    assert english.subject.startswith("Invitation: Werkbijeenkomst")
    assert "Dear Sam Taylor" in english.body
    # The agenda labels inside the calendar item follow the recipient's language too.
    assert "Agenda" in str(only_event(ics_of(english))["description"])
    assert "Place: Stadhuis" in str(only_event(ics_of(english))["description"])
    assert "Plaats: Stadhuis" in str(only_event(ics_of(dutch))["description"])


def test_the_mail_is_multipart_with_text_html_calendar_and_the_attachment(
    facilitator_client, planned, people
):
    send(facilitator_client, planned)

    message = by_address(outbox.outbox)["anouk@rivierstad.example"]
    parsed = message_from_bytes(message.message().as_bytes())
    assert parsed.get_content_type() == "multipart/mixed"
    types = [part.get_content_type() for part in parsed.walk()]
    assert types[:5] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    calendar_part = next(p for p in parsed.walk() if p.get_content_type() == "text/calendar")
    assert calendar_part.get_param("method") == "REQUEST"
    attachment = next(p for p in parsed.walk() if p.get_filename())
    assert attachment.get_filename() == "invite.ics"
    assert Calendar.from_ical(attachment.get_payload(decode=True))["method"] == "REQUEST"
    # The mail carries a sign-in link for the participant and the unsubscribe for this kind.
    assert "/aanmelden/" in message.body
    assert parsed["List-Unsubscribe"]


def test_a_double_submit_sends_one_mail_each(facilitator_client, planned, people):
    send(facilitator_client, planned)
    response = send(facilitator_client, planned)

    assert len(outbox.outbox) == 3
    assert "Iedereen met een e-mailadres heeft de uitnodiging gehad." in response.content.decode()
    assert WorkshopInvitation.objects.filter(workshop=planned).count() == 3


def test_running_the_mail_task_again_mails_nobody_twice(facilitator_client, planned, people):
    send(facilitator_client, planned)

    assert tasks.workshop_invitations_mail(planned.pk) == 0
    assert len(outbox.outbox) == 3


def test_participants_added_later_get_it_when_send_is_pressed_again(
    facilitator_client, planned, people, partner
):
    send(facilitator_client, planned)
    edit(facilitator_client, planned, place="Elders")  # sequence 1
    outbox.outbox.clear()
    factories.make_participant(partner, "Nieuwkomer", email="nieuw@rivierstad.example")

    page = facilitator_client.get(planned.get_absolute_url()).content.decode()
    assert "Versturen naar de nieuwe vertegenwoordigers" in page
    send(facilitator_client, planned)

    assert [m.to for m in outbox.outbox] == [["nieuw@rivierstad.example"]]
    event = only_event(ics_of(outbox.outbox[0]))
    assert event["sequence"] == 1
    assert outbox.outbox[0].subject.startswith("Uitnodiging")


def test_an_opted_out_participant_gets_no_invitation(facilitator_client, planned, people):
    from coconnect import mail

    mail.opt_out_set(participant=people[0], kind=mail.Kind.WORKSHOP, wanted=False)

    send(facilitator_client, planned)

    assert people[0].email not in by_address(outbox.outbox)
    assert len(outbox.outbox) == 2


def test_only_a_planned_workshop_is_sent_or_cancelled(facilitator_client, live_workshop, people):
    response = send(facilitator_client, live_workshop)
    assert outbox.outbox == []
    assert "Alleen een geplande bijeenkomst" in response.content.decode()

    response = cancel(facilitator_client, live_workshop)
    live_workshop.refresh_from_db()
    assert live_workshop.is_live


def test_a_cancelled_workshop_cannot_start(facilitator_client, planned):
    invitations.workshop_cancel(workshop=planned)
    from workshops.services import LiveError, workshop_start

    with pytest.raises(LiveError):
        workshop_start(workshop=planned)


def test_the_end_time_comes_after_the_start(facilitator_client, planned):
    response = edit(facilitator_client, planned, end_time="12:00")

    assert response.status_code == 422
    assert "De eindtijd ligt na het begin." in response.content.decode()


def test_the_calendar_escapes_and_folds_what_the_facilitator_typed(planned):
    planned.title = "Sessie; met, tekens\\ en <script>alert(1)</script> " + "lang " * 30
    ics = calendar.invitation_ics(
        planned,
        items=list(planned.items.all()),
        method=calendar.Method.REQUEST,
        sequence=3,
        attendees=[calendar.Attendee(name="Ä, Ø; ü", email="a@example.org")],
    )
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))
    event = only_event(Calendar.from_ical(ics))
    assert str(event["summary"]) == planned.title
    assert event["attendee"].params["CN"] == "Ä, Ø; ü"


def test_the_workshop_page_with_its_invitation_counts_in_fixed_queries(facilitator, partner):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def measure(size):
        trajectory = factories.make_trajectory(facilitator=facilitator)
        own = factories.make_partner(trajectory)
        for n in range(size):
            factories.make_participant(own, f"Deelnemer {n}", email=f"d{n}@example.org")
        workshop = make_workshop(trajectory)
        for n in range(size):
            add_item(workshop, AgendaItem.Kind.DISCUSSION, f"Punt {n}")
        with committed():
            invitations.workshop_invitations_send(workshop=workshop, by=facilitator)
        factories.make_participant(own, "Later", email="later@example.org")
        client = Client()
        client.force_login(facilitator)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(workshop.get_absolute_url())
        assert "Versturen naar de nieuwe vertegenwoordigers" in page.content.decode()
        return len(queries)

    assert measure(1) == measure(15)


def test_without_a_usable_personal_link_the_mail_links_to_the_page_instead(
    facilitator_client, planned, people
):
    send(facilitator_client, planned)

    messages = by_address(outbox.outbox)
    assert "/aanmelden/" in messages["anouk@rivierstad.example"].body
    sam = messages["sam@thuis.example"].body
    assert "/aanmelden/" not in sam
    assert planned.get_absolute_url() in sam


def test_the_page_names_who_the_invitation_cannot_reach(facilitator_client, planned, people):
    page = facilitator_client.get(planned.get_absolute_url()).content.decode()

    assert "Zonder e-mailadres, dus zonder uitnodiging:" in page
    assert "Zonder Adres (Woonstichting Thuis)" in page
    assert "Gewist" not in page  # erased: no longer a person to reach


def test_summer_time_is_placed_right_too(facilitator_client, planned, people):
    planned.starts_at = datetime(2027, 6, 10, 9, 0, tzinfo=AMSTERDAM)
    planned.save()
    send(facilitator_client, planned)

    parsed = ics_of(outbox.outbox[0])
    event = only_event(parsed)
    assert event.start == datetime(2027, 6, 10, 7, 0, tzinfo=ZoneInfo("UTC"))
    assert event.start.utcoffset().total_seconds() == 2 * 3600
    assert b"DTSTART;TZID=Europe/Amsterdam:20270610T090000" in parsed.to_ical()


def test_what_the_facilitator_typed_is_escaped_in_the_mail(facilitator_client, planned, people):
    planned.title = "<script>alert(1)</script> & co"
    planned.place = '<img src=x onerror="alert(1)">'
    planned.save()
    send(facilitator_client, planned)

    message = by_address(outbox.outbox)["anouk@rivierstad.example"]
    html = next(content for content, mime in message.alternatives if mime == "text/html")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<script>alert(1)</script> & co" in message.body  # plain text stays plain

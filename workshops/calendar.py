"""iCalendar data: workshop invitations (REQUEST, CANCEL) and each person's private feed (PUBLISH).

Built with the icalendar library, which folds long lines, escapes commas and semicolons and
writes the time zone (VTIMEZONE) that calendar clients need to place Amsterdam times correctly.
A workshop has one UID for its whole life, so an update or a cancellation replaces the event
the client already holds instead of adding a second one; SEQUENCE tells the client which is newer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar, Event, vCalAddress

PRODID = "-//Coconnect//Coconnect//NL"
CONTENT_TYPE = "text/calendar"


class Method:
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"
    PUBLISH = "PUBLISH"


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


@dataclass(frozen=True)
class DueDate:
    """Something due on a day (a round closing, positions due, an action item): an all-day event."""

    uid: str
    day: date
    summary: str
    description: str = ""
    url: str = ""


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "coconnect.localhost"


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def uid_for(kind: str, pk: int) -> str:
    """A stable UID: the same object always gets the same one, on every site its own."""
    return f"{kind}-{pk}@{site_host()}"


def workshop_uid(workshop) -> str:
    return uid_for("workshop", workshop.pk)


def _organizer(name: str = "") -> vCalAddress:
    from_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = name or from_name or "Coconnect"
    return organizer


def workshop_description(workshop, items: Sequence) -> str:
    """Where (address, video link), the agenda in order and the workshop's page, as plain text."""
    lines = []
    if workshop.place:
        lines.append(_("Place: %(place)s") % {"place": workshop.place})
    if workshop.video_url:
        lines.append(_("Video link: %(url)s") % {"url": workshop.video_url})
    if items:
        lines += ["", _("Agenda")]
        for number, item in enumerate(items, start=1):
            minutes = ngettext(
                "%(minutes)s minute", "%(minutes)s minutes", item.timebox_minutes
            ) % {"minutes": item.timebox_minutes}
            lines.append(f"{number}. {item.title} ({minutes})")
    lines += ["", _("More on Coconnect: %(url)s") % {"url": site_url(workshop.get_absolute_url())}]
    return "\n".join(lines).strip()


def workshop_location(workshop) -> str:
    return ", ".join(part for part in (workshop.place, workshop.video_url) if part)


def workshop_event(
    workshop,
    *,
    items: Sequence,
    sequence: int,
    cancelled: bool = False,
    attendees: Iterable[Attendee] = (),
    organizer_name: str = "",
    stamp: datetime | None = None,
) -> Event:
    event = Event()
    event.add("uid", workshop_uid(workshop))
    event.add("dtstamp", (stamp or timezone.now()).astimezone(UTC))
    # Local wall-clock time with its zone (and the VTIMEZONE the calendar adds): a client in
    # another zone still shows the right moment, and one in Amsterdam shows 13:00 as 13:00.
    local = timezone.get_default_timezone()
    event.add("dtstart", workshop.starts_at.astimezone(local))
    event.add("dtend", workshop.ends_at(items).astimezone(local))
    event.add("sequence", sequence)
    event.add("summary", workshop.title)
    location = workshop_location(workshop)
    if location:
        event.add("location", location)
    event.add("description", workshop_description(workshop, items))
    event.add("url", site_url(workshop.get_absolute_url()))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _organizer(organizer_name))
    for attendee in attendees:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params.update(
            {
                "cn": attendee.name,
                "role": "REQ-PARTICIPANT",
                "partstat": "NEEDS-ACTION",
                "rsvp": "TRUE",
            }
        )
        event.add("attendee", address, encode=0)
    return event


def _calendar(method: str, events: Sequence[Event], *, name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("name", name)
    for event in events:
        calendar.add_component(event)
    starts = [e.start for e in events if isinstance(e.start, datetime)]
    if starts:
        # Only the rules around these dates: the full history makes every mail kilobytes longer.
        first, last = min(starts), max(starts)
        calendar.add_missing_timezones(
            first_date=(first - timedelta(days=366)).date(),
            last_date=(last + timedelta(days=366)).date(),
        )
    return calendar


def invitation_ics(
    workshop,
    *,
    items: Sequence,
    method: str,
    sequence: int,
    attendees: Iterable[Attendee],
    organizer_name: str = "",
) -> bytes:
    """One workshop as an invitation (REQUEST) or its cancellation (CANCEL), for one mail."""
    event = workshop_event(
        workshop,
        items=items,
        sequence=sequence,
        cancelled=method == Method.CANCEL,
        attendees=attendees,
        organizer_name=organizer_name,
    )
    return _calendar(method, [event]).to_ical()


def due_event(due: DueDate, *, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", due.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    # All day: DTSTART is the day itself, DTEND the next (exclusive), as RFC 5545 has it.
    event.add("dtstart", due.day)
    event.add("dtend", due.day + timedelta(days=1))
    event.add("summary", due.summary)
    if due.description:
        event.add("description", due.description)
    if due.url:
        event.add("url", due.url)
    event.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
    return event


def feed_ics(*, name: str, workshops: Iterable[tuple], due_dates: Iterable[DueDate]) -> bytes:
    """A person's feed: `workshops` as (workshop, items) pairs, `due_dates` as all-day events."""
    stamp = timezone.now()
    events = [
        workshop_event(workshop, items=items, sequence=workshop.invitation_sequence, stamp=stamp)
        for workshop, items in workshops
    ]
    events += [due_event(due, stamp=stamp) for due in due_dates]
    calendar = _calendar(Method.PUBLISH, events, name=name)
    # Clients that honour it check again every hour instead of once a day.
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    return calendar.to_ical()

"""The private calendar feed: what it lists, for whom, and when it stops."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from health.models import Pulse
from improvements.models import ImprovementPackage, Proposal
from interests.models import InterestRound
from tests import factories
from trajectories.models import Participant, Trajectory
from workshops import feeds
from workshops.models import ActionItem, AgendaItem, CalendarFeed, Workshop

from .conftest import add_item, make_workshop

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
STARTS = datetime(2027, 3, 4, 13, 30, tzinfo=AMSTERDAM)
DUE = date(2027, 3, 1)


def read(client, feed: CalendarFeed, status=200):
    response = client.get(reverse("calendar:feed", args=[feed.token]))
    assert response.status_code == status
    return response


def parse(response) -> Calendar:
    return Calendar.from_ical(response.content)


def summaries(parsed: Calendar) -> set[str]:
    return {str(event["summary"]) for event in parsed.events}


def fill(trajectory, partner, *, title="Werkbijeenkomst"):
    """A workshop, and every kind of due date, one of each in this trajectory."""
    workshop = make_workshop(trajectory, title=title, starts_at=STARTS)
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Binnenkomst", timebox_minutes=20)
    if not InterestRound.objects.filter(trajectory=trajectory).exists():  # one open at a time
        InterestRound.objects.create(
            trajectory=trajectory,
            title=f"Ronde van {title}",
            phase=trajectory.phase,
            status=InterestRound.Status.OPEN,
            closes_on=DUE,
        )
    Proposal.objects.create(trajectory=trajectory, title=f"Voorstel {title}", positions_due_on=DUE)
    ImprovementPackage.objects.create(
        trajectory=trajectory, title=f"Pakket {title}", positions_due_on=DUE
    )
    Pulse.objects.create(
        trajectory=trajectory, title=f"Puls {title}", status=Pulse.Status.OPEN, closes_on=DUE
    )
    ActionItem.objects.create(
        trajectory=trajectory, title=f"Actie {title}", owner_partner=partner, due_date=DUE
    )
    return workshop


@pytest.fixture
def filled(trajectory, partner):
    return fill(trajectory, partner)


@pytest.fixture
def participant_feed(participant):
    factories.make_invite(participant)
    return feeds.feed_renew(participant=participant)


def test_a_participant_feed_lists_the_workshops_and_due_dates_of_their_trajectory(
    client, participant_feed, filled
):
    response = read(client, participant_feed)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    parsed = parse(response)
    assert parsed["method"] == "PUBLISH"
    assert str(parsed["x-wr-calname"]) == factories.DEMO_TRAJECTORY_NAME
    assert summaries(parsed) == {
        "Werkbijeenkomst",
        "Belangenronde sluit: Ronde van Werkbijeenkomst",
        "Standpunten gevraagd: Voorstel Werkbijeenkomst",
        "Standpunten gevraagd over het pakket: Pakket Werkbijeenkomst",
        "Pulsmeting: graag vandaag beantwoorden (Puls Werkbijeenkomst)",
        "Actiepunt verloopt: Actie Werkbijeenkomst",
    }
    workshop = next(e for e in parsed.events if str(e["summary"]) == "Werkbijeenkomst")
    assert str(workshop["uid"]) == f"workshop-{filled.pk}@127.0.0.1"
    assert workshop.start == STARTS
    assert "1. Binnenkomst" in str(workshop["description"])
    assert "attendee" not in workshop
    due = next(e for e in parsed.events if str(e["summary"]).startswith("Actiepunt"))
    # All day: a date, not a time, and the next day as the (exclusive) end.
    assert due.start == DUE and due.end == DUE + timedelta(days=1)


def test_a_feed_needs_no_session_and_starts_none(participant_feed, filled):
    response = read(Client(), participant_feed)
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_a_participant_sees_nothing_of_another_trajectory(
    client, participant_feed, filled, other_trajectory
):
    other_partner = other_trajectory.partners.first()
    fill(other_trajectory, other_partner, title="Geheim")

    parsed = parse(read(client, participant_feed))

    assert not any("Geheim" in summary for summary in summaries(parsed))
    assert not any("Geheim" in str(e.get("description", "")) for e in parsed.events)


def test_a_participant_sees_only_their_own_organisations_action_items(
    client, participant_feed, filled, trajectory, partner
):
    other = factories.make_partner(trajectory, "Woonstichting Thuis")
    colleague = factories.make_participant(partner, "Collega")
    ActionItem.objects.create(
        trajectory=trajectory, title="Van de ander", owner_partner=other, due_date=DUE
    )
    ActionItem.objects.create(
        trajectory=trajectory, title="Van de collega", owner_participant=colleague, due_date=DUE
    )
    ActionItem.objects.create(
        trajectory=trajectory,
        title="Al klaar",
        owner_partner=partner,
        due_date=DUE,
        status=ActionItem.Status.DONE,
    )

    found = summaries(parse(read(client, participant_feed)))

    assert "Actiepunt verloopt: Van de collega" in found
    assert "Actiepunt verloopt: Van de ander" not in found
    assert "Actiepunt verloopt: Al klaar" not in found


def test_a_participant_does_not_see_what_is_still_in_preparation(
    client, participant_feed, trajectory
):
    InterestRound.objects.create(
        trajectory=trajectory, title="Concept", phase=trajectory.phase, closes_on=DUE
    )
    Pulse.objects.create(trajectory=trajectory, title="Concept", closes_on=DUE)

    assert summaries(parse(read(client, participant_feed))) == set()


def test_a_facilitator_feed_lists_all_their_trajectories_and_no_other(
    client, facilitator, trajectory, partner, filled, other_trajectory
):
    second = factories.make_trajectory("Tweede traject", facilitator=facilitator)
    fill(second, factories.make_partner(second), title="Tweede")
    fill(other_trajectory, other_trajectory.partners.first(), title="Geheim")
    # A round in preparation is the facilitator's to see.
    InterestRound.objects.create(
        trajectory=trajectory, title="Concept", phase=trajectory.phase, closes_on=DUE
    )
    feed = feeds.feed_renew(user=facilitator)

    found = summaries(parse(read(client, feed)))

    assert {"Werkbijeenkomst", "Tweede", "Belangenronde sluit: Concept"} <= found
    assert "Actiepunt verloopt: Actie Tweede" in found
    assert not any("Geheim" in summary for summary in found)


def test_a_completed_or_anonymised_trajectory_drops_out(
    client, facilitator, trajectory, filled, participant_feed
):
    feed = feeds.feed_renew(user=facilitator)
    Trajectory.objects.filter(pk=trajectory.pk).update(status=Trajectory.Status.CLOSED)

    assert summaries(parse(read(client, feed))) == set()
    read(client, participant_feed, status=404)


def test_cancelled_workshops_leave_the_feed(client, participant_feed, filled):
    Workshop.objects.filter(pk=filled.pk).update(status=Workshop.Status.CANCELLED)

    assert "Werkbijeenkomst" not in summaries(parse(read(client, participant_feed)))


def test_a_revoked_feed_answers_404(client, participant, participant_feed):
    assert feeds.feed_stop(participant=participant)

    response = read(client, participant_feed, status=404)
    assert b"BEGIN:VCALENDAR" not in response.content


def test_a_renewed_feed_ends_the_old_address(client, participant, participant_feed):
    renewed = feeds.feed_renew(participant=participant)

    assert renewed.token != participant_feed.token
    read(client, participant_feed, status=404)
    read(client, renewed)


@pytest.mark.parametrize(
    "token",
    ["0" * 64, "x", "a" * 200, "../../etc/passwd", "%00", "<script>"],
)
def test_a_forged_token_answers_404(client, participant_feed, token):
    response = client.get(f"/agenda/{token}.ics")
    assert response.status_code == 404


def test_the_database_alone_cannot_produce_the_address(participant_feed):
    row = CalendarFeed.objects.get(pk=participant_feed.pk)
    assert participant_feed.token not in {row.nonce, row.token_hash}
    assert len(participant_feed.token) >= 32  # at least 128 bits


def test_a_participant_whose_links_were_revoked_has_no_feed(client, participant, participant_feed):
    participant.invite_links.revoke()
    read(client, participant_feed, status=404)


def test_a_participant_whose_link_expired_has_no_feed(client, participant, participant_feed):
    participant.invite_links.update(expires_at=timezone.now())
    read(client, participant_feed, status=404)


def test_an_erased_participant_has_no_feed(client, participant, participant_feed):
    Participant.objects.filter(pk=participant.pk).update(erased_at=timezone.now())
    read(client, participant_feed, status=404)


def test_a_feed_is_in_its_owners_language(client, participant, participant_feed, filled):
    participant.language = "en"
    participant.save()

    found = summaries(parse(read(client, participant_feed)))

    assert "Action item due: Actie Werkbijeenkomst" in found


def test_the_feed_notes_when_it_was_last_read(client, participant_feed):
    read(client, participant_feed)
    participant_feed.refresh_from_db()
    first = participant_feed.last_read_at
    assert first is not None
    read(client, participant_feed)
    participant_feed.refresh_from_db()
    assert participant_feed.last_read_at == first  # once an hour is enough


@pytest.mark.parametrize("count", [1, 10])
def test_the_feed_takes_as_many_queries_for_one_workshop_as_for_ten(
    client, django_assert_num_queries, facilitator, trajectory, partner, count
):
    second = factories.make_trajectory("Tweede traject", facilitator=facilitator)
    for number in range(count):
        for target in (trajectory, second):
            fill(target, factories.make_partner(target), title=f"Bijeenkomst {number}")
    feed = feeds.feed_renew(user=facilitator)
    read(client, feed)  # the first read notes the time; the count is about every later read

    # feed, memberships, account language, workshops, agenda items, rounds, proposals, packages,
    # pulses, action items, the read note
    with django_assert_num_queries(11):
        parsed = parse(read(client, feed))
    assert len([e for e in parsed.events if str(e["summary"]).startswith("Bijeenkomst")]) == (
        2 * count
    )


@pytest.mark.parametrize("count", [1, 10])
def test_a_participant_feed_takes_as_many_queries_for_one_workshop_as_for_ten(
    client, django_assert_num_queries, trajectory, partner, participant_feed, count
):
    for number in range(count):
        fill(trajectory, partner, title=f"Bijeenkomst {number}")
    read(client, participant_feed)

    # feed, open trajectory, invite link, workshops, agenda items, rounds, proposals, packages,
    # pulses, action items, the read note
    with django_assert_num_queries(11):
        read(client, participant_feed)


# --- managing the address -----------------------------------------------------------------------


def test_a_participant_makes_copies_renews_and_stops_their_address(participant_client, participant):
    page = participant_client.get(reverse("calendar:settings"))
    assert "Agenda-adres maken" in page.content.decode()

    response = participant_client.post(
        reverse("calendar:renew"), {"owner": "participant", "next": "/agenda/"}, follow=True
    )
    feed = feeds.feed_current(participant=participant)
    html = response.content.decode()
    assert feed is not None and feed.token in html
    assert "Kopiëren" in html and "Nieuw adres maken" in html and "Stoppen" in html

    participant_client.post(reverse("calendar:renew"), {"owner": "participant"})
    renewed = feeds.feed_current(participant=participant)
    assert renewed.pk != feed.pk
    participant_client.post(reverse("calendar:stop"), {"owner": "participant"})
    assert feeds.feed_current(participant=participant) is None


def test_an_account_manages_its_own_address(facilitator_client, facilitator):
    facilitator_client.post(reverse("calendar:renew"), {"owner": "account"})
    assert feeds.feed_current(user=facilitator) is not None


def test_nobody_changes_an_address_that_is_not_theirs(participant_client, facilitator):
    feeds.feed_renew(user=facilitator)
    before = feeds.feed_current(user=facilitator)

    response = participant_client.post(reverse("calendar:stop"), {"owner": "account"}, follow=True)

    assert "Dit agenda-adres kunt u niet wijzigen." in response.content.decode()
    assert feeds.feed_current(user=facilitator) == before


def test_strangers_are_sent_to_sign_in(client, db):
    assert client.get(reverse("calendar:settings")).status_code == 302
    assert client.post(reverse("calendar:renew"), {"owner": "account"}).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_next_never_leads_off_the_site(facilitator_client):
    response = facilitator_client.post(
        reverse("calendar:renew"), {"owner": "account", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/agenda/#calendar-feed-account"


def test_the_settings_section_is_one_tag_for_another_apps_page(rf, participant):
    from django.template import engines

    factories.make_invite(participant)
    feeds.feed_renew(participant=participant)
    request = rf.get("/ergens/")
    request.user = AnonymousUser()
    request.participant = participant
    html = (
        engines["django"]
        .from_string('{% load calendar_feed %}{% calendar_feed_section "participant" %}')
        .render({"request": request, "csrf_token": "x"})
    )
    assert "Nieuw adres maken" in html
    assert 'name="next" value="/ergens/"' in html


def test_the_feed_token_never_reaches_the_logs():
    from coconnect.logs import mask_secrets

    line = '"GET /agenda/3f9a0c1d2e4b5a6978c0d1e2f3a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6.ics"'
    assert mask_secrets(line) == '"GET /agenda/***.ics"'
    assert mask_secrets("GET /agenda/nieuw-adres/") == "GET /agenda/nieuw-adres/"


def test_a_calendar_client_may_ask_with_head_but_not_post(client, participant_feed):
    url = reverse("calendar:feed", args=[participant_feed.token])
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_the_participants_own_settings_page_holds_the_calendar_section(
    participant_client, participant, trajectory
):
    url = reverse("trajectories:my_settings", args=[trajectory.pk])
    assert "Agenda-adres maken" in participant_client.get(url).content.decode()

    response = participant_client.post(
        reverse("calendar:renew"), {"owner": "participant", "next": url}
    )

    assert response["Location"] == f"{url}#calendar-feed-participant"
    feed = feeds.feed_current(participant=participant)
    assert feed.token in participant_client.get(url).content.decode()


def test_the_account_page_holds_the_calendar_section(facilitator_client, facilitator):
    url = reverse("trajectories:account_settings")
    feeds.feed_renew(user=facilitator)

    page = facilitator_client.get(url).content.decode()

    assert feeds.feed_current(user=facilitator).token in page
    assert "Nieuw adres maken" in page

"""Which doorbell a change rings: the room's (projector and phones) only for changes they show,
the console's for every change; a participant arriving rings neither."""

import re

import pytest

from tests import factories
from workshops import doorbell, services
from workshops.models import AgendaItem, Contribution

pytestmark = pytest.mark.django_db


def _url(workshop, path=""):
    return f"/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/{path}"


def _rung(workshop):
    """(room, console): the versions the two doorbells last rang for."""
    key = workshop.live_key
    return doorbell.known_version(key), doorbell.known_version(key + doorbell.CONSOLE)


@pytest.fixture
def voting(live_workshop):
    item = live_workshop.items.get(kind=AgendaItem.Kind.DOT_VOTING)
    services.workshop_go(workshop=live_workshop, item=item)
    live_workshop.refresh_from_db()
    return item


def _change(django_capture_on_commit_callbacks, workshop, make):
    before = _rung(workshop)
    with django_capture_on_commit_callbacks(execute=True):
        make()
    workshop.refresh_from_db()
    return before, _rung(workshop)


def test_a_second_dot_before_the_reveal_rings_the_console_only(
    live_workshop, voting, participant, django_capture_on_commit_callbacks
):
    option = voting.options.first()
    services.dot_place(item=voting, participant=participant, option=option)

    def second_dot():
        services.dot_place(item=voting, participant=participant, option=option)

    (room, _console), after = _change(django_capture_on_commit_callbacks, live_workshop, second_dot)
    assert after == (room, live_workshop.version)


def test_dots_the_room_sees_ring_the_room(
    live_workshop, voting, participant, django_capture_on_commit_callbacks
):
    option = voting.options.first()
    for change in (
        # the first dot: one more person has voted
        lambda: services.dot_place(item=voting, participant=participant, option=option),
        # the last dot taken back: one fewer
        lambda: services.dot_remove(item=voting, participant=participant, option=option),
        lambda: services.item_reveal(item=voting),
        # after the reveal every dot shows in the results
        lambda: services.dot_place(item=voting, participant=participant, option=option),
        lambda: services.dot_place(item=voting, participant=participant, option=option),
    ):
        _before, after = _change(django_capture_on_commit_callbacks, live_workshop, change)
        assert after == (live_workshop.version, live_workshop.version)


def test_moderating_a_note_rings_the_room_only_when_it_sees_the_note(
    live_workshop, participant, django_capture_on_commit_callbacks
):
    item = live_workshop.current_item
    note, _created = services.contribution_add(item=item, participant=participant, text="Hallo")
    for status, room_sees in (
        (Contribution.Status.HIDDEN, True),  # the room sees it go
        (Contribution.Status.REMOVED, False),  # the room never saw it
        (Contribution.Status.VISIBLE, True),
    ):

        def moderate(status=status):
            services.contribution_moderate(contribution=note, status=status)

        (room, _c), after = _change(django_capture_on_commit_callbacks, live_workshop, moderate)
        assert after == (live_workshop.version if room_sees else room, live_workshop.version)


def test_outcomes_ring_the_room_on_an_agreements_item_only(
    live_workshop, django_capture_on_commit_callbacks
):
    def agree():
        services.agreement_record(workshop=live_workshop, text="We delen de wachtlijst.")

    (room, _c), after = _change(django_capture_on_commit_callbacks, live_workshop, agree)
    assert after == (room, live_workshop.version)  # a notes item: only the console lists it

    from tests.workshops.conftest import add_item

    item = add_item(live_workshop, AgendaItem.Kind.AGREEMENTS, "Afspraken")
    services.workshop_go(workshop=live_workshop, item=item)
    live_workshop.refresh_from_db()

    def act():
        services.action_item_record(workshop=live_workshop, title="Wachtlijst delen")

    _before, after = _change(django_capture_on_commit_callbacks, live_workshop, act)
    assert after == (live_workshop.version, live_workshop.version)


def test_a_participant_arriving_rings_no_screen(
    client, live_workshop, participant, django_capture_on_commit_callbacks
):
    before = (live_workshop.version, _rung(live_workshop))
    factories.login_participant(client, participant)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(_url(live_workshop, "live/")).status_code == 200
    assert live_workshop.attendances.filter(participant=participant).exists()
    live_workshop.refresh_from_db()
    assert (live_workshop.version, _rung(live_workshop)) == before


def test_the_console_follows_its_own_doorbell_and_the_phone_the_rooms(
    facilitator_client, live_workshop, participant
):
    from django.test import Client

    console = facilitator_client.get(_url(live_workshop, "regie/")).content.decode()
    key = live_workshop.live_key
    assert f'data-poll-url="/live/{key}{doorbell.CONSOLE}/version/"' in console
    phone = (
        factories.login_participant(Client(), participant)
        .get(_url(live_workshop, "live/"))
        .content.decode()
    )
    assert f'data-poll-url="/live/{key}/version/"' in phone
    assert re.search(r'data-poll-url="[^"]*console', phone) is None


def test_a_screen_holding_a_newer_version_than_its_doorbell_rang_for_is_current(
    client, live_workshop, voting, participant, django_capture_on_commit_callbacks
):
    """A phone page drawn after a change only the console shows carries that newer version: the
    room's poll must not send it fetching."""
    option = voting.options.first()
    with django_capture_on_commit_callbacks(execute=True):
        services.dot_place(item=voting, participant=participant, option=option)
        services.dot_place(item=voting, participant=participant, option=option)
    live_workshop.refresh_from_db()
    room, console = _rung(live_workshop)
    assert room < console == live_workshop.version
    poll = f"/live/{live_workshop.live_key}/version/"
    assert client.get(poll, {"v": live_workshop.version}).status_code == 204
    assert client.get(poll, {"v": room}).status_code == 204
    assert client.get(poll, {"v": room - 1}).content.decode() == str(room)
    console_poll = f"/live/{live_workshop.live_key}{doorbell.CONSOLE}/version/"
    assert client.get(console_poll, {"v": room}).content.decode() == str(console)

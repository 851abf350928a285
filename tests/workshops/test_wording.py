"""Plain Dutch on the workshops pages: no "0 dots left", one date style."""

import re
from datetime import datetime

import pytest
from django.utils import timezone, translation

from tests.workshops.conftest import make_workshop
from workshops import services
from workshops.models import AgendaItem, Workshop

pytestmark = pytest.mark.django_db


def _url(workshop, path=""):
    return f"/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/{path}"


def test_a_phone_with_every_dot_placed_says_there_are_none_left(
    participant_client, live_workshop, participant
):
    live_workshop = services.workshop_go(workshop=live_workshop, offset=1)
    voting = live_workshop.current_item
    option = voting.options.first()
    for _ in range(voting.dots_per_participant):
        services.dot_place(item=voting, participant=participant, option=option)
    html = participant_client.get(_url(live_workshop, "live/")).content.decode()
    assert "nog 0" not in html
    assert "U hebt geen stippen meer" in html


def test_action_item_due_dates_read_like_every_other_date(facilitator_client, live_workshop):
    services.action_item_record(workshop=live_workshop, title="Wachtlijst", due_date="2030-02-01")
    html = facilitator_client.get(_url(live_workshop)).content.decode()
    assert "1 februari 2030" in html
    assert not re.search(r"\b1 feb\.? 2030", html)


def test_the_overview_names_the_next_workshops_year(facilitator_client, trajectory):
    starts_at = timezone.make_aware(datetime(2031, 3, 4, 13, 30))
    make_workshop(trajectory, title="Volgende", starts_at=starts_at)
    html = facilitator_client.get(f"/t/{trajectory.pk}/").content.decode()
    assert "4 maart 2031" in html


def test_model_names_are_dutch_nouns():
    with translation.override("nl"):
        assert str(Workshop._meta.verbose_name) == "bijeenkomst"
        assert str(Workshop._meta.verbose_name_plural) == "bijeenkomsten"
        assert str(AgendaItem._meta.verbose_name) == "agendapunt"

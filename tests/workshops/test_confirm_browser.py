"""Removing an agenda item asks first; the question works on every page (static/js/app.js)."""

import pytest

from tests.browser import sign_in, wait_until
from tests.workshops.conftest import add_item, make_workshop
from workshops.models import AgendaItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_removing_an_agenda_item_asks_first(live_server, new_page, trajectory):
    workshop = make_workshop(trajectory)
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Kennismaken")
    page = new_page()
    sign_in(page, live_server, "facilitator")
    page.goto(f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/")
    questions = []

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Verwijderen Kennismaken").click()
    page.wait_for_timeout(300)
    assert questions == ["Dit agendapunt verwijderen?"]
    assert AgendaItem.objects.filter(workshop=workshop).count() == 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Verwijderen Kennismaken").click()
    page.wait_for_load_state()
    wait_until(page, "!document.body.innerText.includes('Kennismaken')")
    assert AgendaItem.objects.filter(workshop=workshop).count() == 0

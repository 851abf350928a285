"""The partners page and the account forms in a real browser: swaps that land, errors in reach."""

import re

import pytest

from tests import factories
from tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "een-sterk-wachtwoord"


def _collect_oob_errors(page):
    page.evaluate(
        """() => {
          window.__oobErrors = [];
          document.body.addEventListener("htmx:oobErrorNoTarget", (event) => {
            window.__oobErrors.push(event.detail.content && event.detail.content.id);
          });
        }"""
    )


def test_adding_partners_and_people_finds_every_swap_target(live_server, new_page, screenshot):
    facilitator = factories.make_user("anna", password=PASSWORD)
    trajectory = factories.make_trajectory("Wonen met zorg", facilitator=facilitator)
    for phone in (False, True):
        page = new_page(phone=phone)
        sign_in(page, live_server, "anna", PASSWORD)
        page.goto(f"{live_server.url}/t/{trajectory.pk}/partners/")
        _collect_oob_errors(page)
        suffix = "telefoon" if phone else "desktop"
        for name in (f"Gemeente {suffix}", f"Woonstichting {suffix}"):
            page.get_by_label("Naam van de organisatie").fill(name)
            page.get_by_role("button", name="Partner toevoegen").click()
            page.locator("section.partner", has_text=name).wait_for()
        assert page.locator("#partners-empty").is_hidden()
        card = page.locator("section.partner", has_text=f"Gemeente {suffix}")
        for person in ("Henk", "Fatma"):
            card.get_by_role("link", name=re.compile("Vertegenwoordiger toevoegen")).click()
            form = card.locator("form.partner__add")
            form.get_by_label("Naam").fill(person)
            form.get_by_label("Niveau").select_option("board")
            form.get_by_role("button", name="Vertegenwoordiger toevoegen").click()
            card.locator(".participant", has_text=person).wait_for()
        assert card.locator(".empty").is_hidden()
        assert page.evaluate("window.__oobErrors") == []
        screenshot(page, f"trajectories-partners-{suffix}")


def test_password_change_with_errors_shows_a_focusable_summary(live_server, new_page, screenshot):
    factories.make_user("anna", password=PASSWORD)
    for phone in (False, True):
        page = new_page(phone=phone)
        sign_in(page, live_server, "anna", PASSWORD)
        page.goto(f"{live_server.url}/accounts/password_change/")
        page.get_by_label("Oud wachtwoord").fill("fout")
        page.get_by_label("Nieuw wachtwoord", exact=True).fill("a")
        page.get_by_label("Nieuw wachtwoord bevestigen").fill("b")
        page.get_by_role("button", name="Wachtwoord wijzigen").click()
        summary = page.locator("#error-summary")
        summary.wait_for()
        assert summary.get_attribute("tabindex") == "-1"
        for field in page.locator("[aria-describedby]").all():
            for ref in field.get_attribute("aria-describedby").split():
                assert page.locator(f"#{ref}").count() == 1, ref
        screenshot(page, f"trajectories-password-change-errors-{'phone' if phone else 'desktop'}")


def test_the_stand_alone_representative_edit_page(live_server, new_page, screenshot):
    facilitator = factories.make_user("anna", password=PASSWORD)
    trajectory = factories.make_trajectory("Wonen met zorg", facilitator=facilitator)
    person = factories.make_participant(factories.make_partner(trajectory, "Gemeente"), "Henk")
    page = new_page(phone=True)
    sign_in(page, live_server, "anna", PASSWORD)
    page.goto(f"{live_server.url}/t/{trajectory.pk}/vertegenwoordigers/{person.pk}/bewerken/")
    page.get_by_label("Naam").fill("")
    page.get_by_role("button", name="Opslaan").click()
    page.locator("#error-summary").wait_for()
    assert page.locator('[role="listitem"]').count() == 0
    assert page.locator('select[name="level"] option').first.inner_text() != "---------"
    screenshot(page, "trajectories-representative-edit-phone")


def test_home_offers_a_new_trajectory_only_to_who_may_start_one(live_server, new_page, screenshot):
    facilitator = factories.make_user("anna", password=PASSWORD, may_create_trajectories=True)
    manager = factories.make_user("mirjam", password=PASSWORD)
    factories.make_trajectory("Wonen met zorg", facilitator=facilitator, manager=manager)
    for username, offered in (("anna", True), ("mirjam", False)):
        page = new_page(phone=True)
        sign_in(page, live_server, username, PASSWORD)
        assert page.get_by_role("link", name="Nieuw traject").count() == (1 if offered else 0)
        screenshot(page, f"trajectories-home-{username}-phone")


def test_an_inline_form_with_errors_comes_back_in_place(live_server, new_page, screenshot):
    """The server answers 422; htmx swaps it all the same (static/js/app.js) instead of
    reporting a failed request: the message stands next to the field, what was typed stays."""
    facilitator = factories.make_user("anna", password=PASSWORD)
    trajectory = factories.make_trajectory("Wonen met zorg", facilitator=facilitator)
    page = new_page(phone=True)
    sign_in(page, live_server, "anna", PASSWORD)
    page.goto(f"{live_server.url}/t/{trajectory.pk}/partners/")
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    form = page.locator("#partner-add")
    form.get_by_label("Naam van de organisatie").fill("   ")
    with page.expect_response(lambda response: response.status == 422):
        form.get_by_role("button", name="Partner toevoegen").click()
    form.locator("[aria-invalid=true]").wait_for()
    assert "Dit veld is verplicht." in form.inner_text()
    assert page.locator("#messages .message--error").count() == 0  # no "that did not work"
    assert errors == []
    screenshot(page, "trajectories-partner-form-422-phone")

"""WCAG 3.3.1 and 2.4.3: a form sent without htmx that comes back with errors puts focus on the
error summary, not on <body>, so keyboard and screen-reader users start at the problem."""

import pytest

from tests.browser import sign_in_by_session, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def focused(page):
    return page.evaluate(
        "(() => { const e = document.activeElement;"
        " return e ? (e.id || e.className || e.tagName) : null; })()"
    )


def test_a_reloaded_form_with_errors_focuses_its_error_summary(
    live_server, new_page, screenshot, facilitator
):
    page = new_page()
    sign_in_by_session(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/t/nieuw/")
    page.get_by_label("Naam", exact=True).fill("   ")  # passes `required`, blank to the server
    page.get_by_label("Gezamenlijke opgave").fill("Samen meer mensen naar een eigen woning.")
    page.get_by_role("button", name="Traject aanmaken").click()
    page.locator("#error-summary").wait_for()
    wait_until(page, "document.activeElement && document.activeElement.id === 'error-summary'")
    assert focused(page) == "error-summary"
    screenshot(page, "a11y-focus-error-summary")


def test_without_a_summary_id_focus_goes_to_the_form_errors_box(
    live_server, new_page, facilitator, trajectory
):
    page = new_page()
    sign_in_by_session(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/t/{trajectory.pk}/gezondheid/risicos/nieuw/")
    page.get_by_role("button", name="Opslaan").click()
    page.locator(".form-errors").wait_for()
    wait_until(
        page, "document.activeElement && document.activeElement.classList.contains('form-errors')"
    )

"""The shared page shell (templates/base.html, static/css/app.css): what every page inherits
must hold for keyboard and screen-reader users. Checked with axe-like rules in a real browser."""

import pytest

from tests.e2e.test_a11y_reflow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGETS_BELOW_44PX = """() => [...document.querySelectorAll(
    'main .button, main button, main select, header a, header button, header select, .tabs a'
  )].filter(el => el.offsetParent !== null)
    .map(el => [el.textContent.trim().slice(0, 30) || el.tagName,
                el.getBoundingClientRect().height])
    .filter(([_, height]) => height < 43.5)"""


def test_the_shell_gives_keyboard_and_screen_reader_users_their_way_in(
    live_server, new_page, facilitator, trajectory
):
    page = new_page()
    sign_in(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/t/{trajectory.pk}/")

    assert page.get_attribute("html", "lang") == "nl"
    assert page.locator("main#main").count() == 1
    assert page.locator("header.site-header").count() == 1

    # The first Tab stop is the skip link, visible when focused, and it leads into <main>.
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["y"] >= 0
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # The message area is a live region that exists, in the accessibility tree, before any
    # message arrives: a region made visible together with its text is often not announced.
    messages = page.locator("#messages")
    assert messages.get_attribute("aria-live") == "polite"
    page.evaluate("document.getElementById('messages').replaceChildren()")
    assert page.evaluate("getComputedStyle(document.getElementById('messages')).display") != (
        "none"
    )

    assert page.evaluate(TARGETS_BELOW_44PX) == []

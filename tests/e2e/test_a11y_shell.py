"""The shared page shell (templates/base.html, static/css/app.css): what every page inherits
must hold for keyboard and screen-reader users. Checked with axe-like rules in a real browser."""

import pytest
from django.contrib.auth.models import User

from tests import factories
from tests.browser import sign_in_by_session
from tests.e2e.test_a11y_tables import demo_pages
from trajectories.models import Participant, Trajectory
from workshops import services as workshop_services
from workshops.models import Workshop

TARGETS_BELOW_44PX = """() => [...document.querySelectorAll(
    'main .button, main button, main select, header a, header button, header select, .tabs a'
  )].filter(el => el.offsetParent !== null)
    .map(el => [el.textContent.trim().slice(0, 30) || el.tagName,
                el.getBoundingClientRect().height])
    .filter(([_, height]) => height < 43.5)"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_shell_gives_keyboard_and_screen_reader_users_their_way_in(
    live_server, new_page, facilitator, trajectory
):
    page = new_page()
    sign_in_by_session(page, live_server, facilitator.username)
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


@pytest.mark.django_db
def test_every_page_has_one_main_heading(client):
    """axe's page-has-heading-one: screen-reader users jump to the <h1> to learn where they are."""
    pages = demo_pages()
    client.force_login(User.objects.get(username="demo"))
    trajectory = Trajectory.objects.get(memberships__user__username="demo")
    workshop = Workshop.objects.filter(trajectory=trajectory).order_by("starts_at").last()
    workshop_services.workshop_start(workshop=workshop)
    problems = [url for url in pages if client.get(url).content.decode().count("<h1") != 1]
    client.logout()
    participant = Participant.objects.filter(partner__trajectory=trajectory).first()
    factories.login_participant(client, participant)
    for url in [
        f"/t/{trajectory.pk}/welkom/",
        f"/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/live/",
    ]:
        if client.get(url).content.decode().count("<h1") != 1:
            problems.append(url)
    assert not problems, f"pages without exactly one <h1>: {problems}"

"""The welcome page on a phone and a desk: what to do now is on the first screen."""

import pytest
from django.conf import settings
from django.test import Client

from tests import factories
from tests.trajectories.test_welcome import _world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [(390, 844), (1280, 800)])
def test_the_first_screen_holds_what_to_do_now(
    live_server, new_page, screenshot, trajectory, partner, participant, size
):
    _world(trajectory, partner, participant, 3)
    client = factories.login_participant(Client(), participant)
    page = new_page(phone=size[0] < 500)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/t/{trajectory.pk}/welkom/")
    join = page.get_by_role("link", name="Doe mee met de bijeenkomst")
    assert join.bounding_box()["y"] + join.bounding_box()["height"] <= size[1]
    assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
    screenshot(page, f"welcome-{size[0]}x{size[1]}")

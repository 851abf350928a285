"""Scrollable tables on the interests pages can be reached by keyboard and are named."""

import re

import pytest

from interests import services

from .conftest import make_interest

pytestmark = pytest.mark.django_db


def _wrappers(html: str) -> list[str]:
    return re.findall(r'<div class="table-wrap"[^>]*>', html)


@pytest.mark.parametrize("who", ["facilitator_client", "manager_client"])
def test_table_wrappers_are_keyboard_reachable_and_named(
    request, who, trajectory, open_round, participant, facilitator
):
    make_interest(open_round, participant, "Gedeeld")
    services.round_reveal(round=open_round, by=facilitator)
    client = request.getfixturevalue(who)
    base = f"/t/{trajectory.pk}/belangen/"
    found = 0
    for url in (base, f"{base}kaart/?ronde={open_round.pk}"):
        html = client.get(url).content.decode()
        for wrapper in _wrappers(html):
            found += 1
            assert 'role="region"' in wrapper and 'tabindex="0"' in wrapper, wrapper
            label = re.search(r'aria-labelledby="([^"]+)"', wrapper)
            assert label and f'id="{label.group(1)}"' in html, wrapper
    assert found >= 3

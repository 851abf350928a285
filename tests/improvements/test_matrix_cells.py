"""The support matrix writes each cell from selectors.Cell.html: a partner without a position
reads "No position yet" in words, never as escaped markup."""

import pytest

from tests import factories
from tests.improvements.helpers import make_proposal, take_position

pytestmark = pytest.mark.django_db


def test_cells_with_and_without_a_position_read_as_words(facilitator_client, trajectory, partner):
    silent = factories.make_partner(trajectory, "GGZ Oost")
    proposal = make_proposal(trajectory, gains={partner.pk: ("much", "")})
    take_position(proposal, partner, "conditions", mandate="board", text="Mits <b>budget</b>")
    html = facilitator_client.get(f"/t/{trajectory.pk}/verbeteringen/draagvlak/").content.decode()
    assert "&lt;span" not in html
    assert '<span class="stance stance--none">' in html and "Nog geen standpunt" in html
    assert '<span class="stance stance--conditions">' in html
    assert '<span class="mandate mandate--board">' in html
    assert "Winst: veel winst" in html and "Winst: niet ingeschat" in html
    assert silent.name in html

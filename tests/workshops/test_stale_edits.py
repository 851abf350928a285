"""Two facilitators save one agenda item at the same moment: one wins, the other is told."""

import pytest

from coconnect.stale import StaleEdit
from tests.concurrency import race
from tests.workshops.conftest import add_item, make_workshop
from workshops import services
from workshops.models import AgendaItem

EDITORS = 6


def test_simultaneous_saves_of_one_version_let_exactly_one_through(
    postgres, transactional_db, trajectory
):
    item = add_item(make_workshop(trajectory), title="Oud")
    seen = item.version
    # Each editor holds its own copy of the item, as each browser tab holds its own form.
    copies = [AgendaItem.objects.select_related("workshop").get(pk=item.pk) for _ in range(EDITORS)]

    def edit(n):
        def job():
            services.agenda_item_update(
                item=copies[n], seen_version=seen, interest_round=None, title=f"Titel {n}"
            )
            return n

        return job

    saved, errors = race([edit(n) for n in range(EDITORS)])

    assert len(saved) == 1
    assert len(errors) == EDITORS - 1 and all(isinstance(e, StaleEdit) for e in errors)
    item.refresh_from_db()
    assert item.title == f"Titel {saved[0]}" and item.version == seen + 1


@pytest.mark.django_db
def test_a_save_without_a_version_is_not_checked(trajectory):
    """An old page without the hidden version still saves (nothing to compare with)."""
    item = add_item(make_workshop(trajectory), title="Oud")
    services.agenda_item_update(item=item, seen_version=None, interest_round=None, title="Nieuw")
    item.refresh_from_db()
    assert item.title == "Nieuw"

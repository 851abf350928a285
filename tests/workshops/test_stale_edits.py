"""Two facilitators save one agenda item at the same moment: one wins, the other is told."""

import threading

import pytest
from django.db import connection

from coconnect.stale import StaleEdit
from tests.workshops.conftest import add_item, make_workshop
from workshops import services
from workshops.models import AgendaItem

EDITORS = 6


def test_simultaneous_saves_of_one_version_let_exactly_one_through(
    postgres, transactional_db, trajectory
):
    item = add_item(make_workshop(trajectory), title="Oud")
    seen = item.version
    barrier = threading.Barrier(EDITORS)
    saved, stale, errors = [], [], []

    def edit(n):
        try:
            mine = AgendaItem.objects.select_related("workshop").get(pk=item.pk)
            barrier.wait(timeout=20)
            services.agenda_item_update(
                item=mine, seen_version=seen, interest_round=None, title=f"Titel {n}"
            )
            saved.append(n)
        except StaleEdit:
            stale.append(n)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(EDITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(saved) == 1 and len(stale) == EDITORS - 1
    item.refresh_from_db()
    assert item.title == f"Titel {saved[0]}" and item.version == seen + 1


@pytest.mark.django_db
def test_a_save_without_a_version_is_not_checked(trajectory):
    """An old page without the hidden version still saves (nothing to compare with)."""
    item = add_item(make_workshop(trajectory), title="Oud")
    services.agenda_item_update(item=item, seen_version=None, interest_round=None, title="Nieuw")
    item.refresh_from_db()
    assert item.title == "Nieuw"

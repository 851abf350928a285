"""Two facilitators save the same risk at the same moment (PostgreSQL, threads): one save wins,
the other is told the risk changed meanwhile; nothing is overwritten silently."""

import pytest

from coconnect.stale import StaleEdit
from health import services
from health.models import Risk
from tests.concurrency import run_together

from .helpers import make_risk

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_edits_of_one_risk_save_one_and_refuse_the_other(postgres, trajectory):
    risk = make_risk(trajectory)
    seen = risk.version

    def edit(title):
        def job():
            mine = Risk.objects.get(pk=risk.pk)  # each loaded the form before the other saved
            mine.title = title
            services.register_entry_save(entry=mine, fields=["title"], seen_version=seen)

        return job

    errors = run_together([edit("Versie A"), edit("Versie B")])

    assert len(errors) == 1 and isinstance(errors[0], StaleEdit)
    risk.refresh_from_db()
    assert risk.title in ("Versie A", "Versie B")
    assert risk.version == seen + 1

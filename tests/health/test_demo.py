"""The demo shows sham collaboration that the board does not see, plus changes, risks and
stakeholders."""

import pytest
from django.utils import translation

from health import demo
from health.models import InterimChange, Pulse, Risk, Stakeholder
from health.selectors import pulse_results
from tests import factories
from trajectories.models import Participant

pytestmark = pytest.mark.django_db
L = Participant.Level

PEOPLE = {
    "Gemeente Rivierstad": [L.BOARD, L.MANAGER, L.PROFESSIONAL],
    "Woonstichting De Linge": [L.BOARD, L.PROFESSIONAL],
    "Woongoed Rivierland": [L.MANAGER],
    "GGZ Midden-Rivierland": [L.BOARD, L.PROFESSIONAL],
    "Stichting Onderdak Rivierstad": [L.MANAGER, L.PROFESSIONAL],
}


def test_the_demo_shows_sham_collaboration_seen_differently_by_the_levels(trajectory):
    for name, levels in PEOPLE.items():
        partner = factories.make_partner(trajectory, name)
        for level in levels:
            factories.make_participant(partner, level=level)
    demo.load(trajectory)
    demo.load(trajectory)  # safe to run again
    assert Pulse.objects.filter(trajectory=trajectory).count() == 3
    with translation.override("en"):
        data = pulse_results(trajectory, audience="manager")
        findings = {f.key: f for f in data["findings"]}
        assert data["pulse"].title == "Na de tweede werkbijeenkomst"
        assert findings["sham"].overall
        assert [str(x) for x in findings["sham"].not_seen_by] == ["Board member"]
        assert "levels_differ" in findings
    assert InterimChange.objects.filter(trajectory=trajectory).count() == 3
    assert Risk.objects.filter(trajectory=trajectory).overdue().exists()
    assert Stakeholder.objects.filter(trajectory=trajectory, shared_concern=True).exists()

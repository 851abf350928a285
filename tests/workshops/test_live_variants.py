"""After a move to a partner-specific item every partner's copy is ready in the store."""

import pytest
from django.conf import settings

from tests import factories
from tests.workshops.test_live import interests_workshop  # noqa: F401 - the fixture
from workshops import doorbell, services
from workshops.models import AgendaItem, Workshop

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [AgendaItem.Kind.INTERESTS_ROUND, AgendaItem.Kind.THEMES])
def test_one_move_caches_every_partners_own_copy_in_every_language(
    kind, trajectory, request, django_capture_on_commit_callbacks
):
    workshop, _round, _theme = request.getfixturevalue("interests_workshop")
    factories.make_partner(trajectory, "Zorgaanbieder De Brug")  # a partner with nothing yet
    other = (
        AgendaItem.Kind.THEMES
        if kind == AgendaItem.Kind.INTERESTS_ROUND
        else AgendaItem.Kind.INTERESTS_ROUND
    )
    services.workshop_go(workshop=workshop, item=workshop.items.get(kind=other))
    with django_capture_on_commit_callbacks(execute=True):
        services.workshop_go(workshop=workshop, item=workshop.items.get(kind=kind))
    workshop = Workshop.objects.get(pk=workshop.pk)
    fragments = {}
    for partner in trajectory.partners.all():
        for language, _name in settings.LANGUAGES:
            key = doorbell.fragment_key(workshop.live_key, f"partner-{partner.pk}", language)
            fragments[partner.name, language] = doorbell.fragment_get(key, workshop.version)
    assert len(fragments) == 3 * len(settings.LANGUAGES)
    assert all(html is not None for html in fragments.values()), [
        name for name, html in fragments.items() if html is None
    ]
    if kind == AgendaItem.Kind.INTERESTS_ROUND:
        # Each copy is its own partner's: before the reveal only its own interests.
        mine = fragments["Gemeente Rivierstad", "nl"]
        theirs = fragments["Woningcorporatie Zuiderlicht", "nl"]
        assert "EIGEN-BELANG" in mine and "corporatie" not in mine
        assert "EIGEN-BELANG" not in theirs

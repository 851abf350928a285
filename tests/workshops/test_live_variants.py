"""After a move to a partner-specific item, the first phone to ask makes every partner's copy
ready in the store: the front door lets one phone per process through to render (workshops/asgi.py)
and the others of every partner wait for that rendering."""

import pytest
from django.conf import settings

from tests import factories
from tests.workshops.test_live import (
    _shared_path,
    interests_workshop,  # noqa: F401 - the fixture
)
from workshops import doorbell, services
from workshops.models import AgendaItem, Workshop

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [AgendaItem.Kind.INTERESTS_ROUND, AgendaItem.Kind.THEMES])
def test_the_first_phone_after_a_move_caches_every_partners_own_copy(
    kind, trajectory, participant, client, request, django_capture_on_commit_callbacks
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
    link, _token = factories.make_invite(participant)
    variant = f"partner-{participant.partner_id}"
    for language, _name in settings.LANGUAGES:
        path = _shared_path(workshop, variant, language=language, invite=link.pk)
        assert client.get(path, {"v": workshop.version}).status_code == 200
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

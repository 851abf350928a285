"""The live screens speak the reader's language, including the cached shared fragments."""

import re

import pytest
from django.conf import settings
from django.test import Client

from workshops.models import AgendaItem

pytestmark = pytest.mark.django_db


def _phone(participant_client, language):
    participant_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return participant_client


@pytest.mark.parametrize("first", ["nl", "en"])
def test_the_phone_in_english_shows_no_dutch_and_in_dutch_no_english(
    first, participant_client, live_workshop
):
    assert live_workshop.current_item.kind == AgendaItem.Kind.CHECK_IN
    url = f"/t/{live_workshop.trajectory_id}/bijeenkomsten/{live_workshop.pk}/live/"
    pages = {}
    for language in (first, "en" if first == "nl" else "nl"):  # the first one fills the cache
        html = _phone(participant_client, language).get(url).content.decode()
        shared = re.search(r'data-shared-url="([^"]+)"', html)[1]
        assert f"/{language}/" in shared
        fragment = Client().get(shared, {"v": live_workshop.version}).content.decode()
        pages[language] = html + fragment
    assert "A short text, like a sticky note" in pages["en"]
    assert "Een korte tekst" not in pages["en"] and "Uw bijdrage" not in pages["en"]
    assert "Een korte tekst" in pages["nl"] and "A short text" not in pages["nl"]
    assert "Now:" in pages["en"] and "Nu:" in pages["nl"]

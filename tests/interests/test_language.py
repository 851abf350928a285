"""The interests pages speak natural Dutch (formal u)."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

CLUMSY = ("Succes ziet eruit als", "nodig heeft uit", "nodig uit deze", "opener ")


@pytest.mark.parametrize(
    "text",
    [
        "Success looks like",
        "What does your organisation really need from this collaboration?",
        "Only the facilitator can later make it more open, and only after saying so on screen.",
        "Make more open",
        "Tier made more open",
    ],
)
def test_no_clumsy_dutch(text):
    with translation.override("nl"):
        dutch = gettext(text)
    assert dutch != text
    assert not any(phrase in dutch for phrase in CLUMSY), dutch


def test_the_intake_invitation_reads_naturally():
    with translation.override("nl"):
        dutch = ngettext(
            "Share what %(partner)s really needs from this collaboration: at least %(count)s "
            "interest. Your colleagues of the same organisation see and edit the same entries.",
            "Share what %(partner)s really needs from this collaboration: at least %(count)s "
            "interests. Your colleagues of the same organisation see and edit the same entries.",
            3,
        ) % {"partner": "Gemeente Rivierstad", "count": 3}
    assert dutch.startswith("Deel wat Gemeente Rivierstad echt nodig heeft van deze samenwerking")

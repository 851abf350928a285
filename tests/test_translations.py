"""Dutch is the default language; its catalogues must be complete and compiled."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(
    p
    for p in settings.BASE_DIR.glob("**/locale/nl/LC_MESSAGES/django.po")
    if ".venv" not in p.parts
)


def _entries(po: Path):
    for block in po.read_text().split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""\n"Project' not in block:
            yield block, "fuzzy"
        msgid = "".join(re.findall(r'^msgid ((?:".*"\n?)+)', block, re.M)[:1])
        if not msgid or msgid.strip() == '""':
            continue
        strs = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        if not strs or any("".join(re.findall(r'"(.*)"', s)) == "" for s in strs):
            yield block, "untranslated"


def test_every_app_has_a_dutch_catalogue():
    apps = {p.parts[-5] for p in CATALOGUES}
    assert {"trajectories", "locale"} <= apps | {"locale"}
    assert len(CATALOGUES) >= 2


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_dutch_catalogue_is_complete(po):
    problems = list(_entries(po))
    assert not problems, "\n\n".join(f"{why}:\n{block}" for block, why in problems)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_dutch_catalogue_is_compiled(po):
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run make messages"
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1, f"{mo} is older than its .po"


@pytest.mark.django_db
def test_pages_speak_dutch_by_default_and_english_on_request(client):
    dutch = client.get("/accounts/login/").content.decode()
    assert "Wachtwoord vergeten?" in dutch
    assert '<html lang="nl">' in dutch
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    english = client.get("/accounts/login/").content.decode()
    assert "Forgot your password?" in english
    assert '<html lang="en">' in english

"""The public statements a public body checks before using Coconnect: the privacy statement
(AVG), the accessibility statement (the Dutch model) and /.well-known/security.txt (RFC 9116),
each naming the operator and contacts from settings, readable by anyone, in Dutch and English."""

import datetime
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from tests.test_security import assert_strict_policy

pytestmark = pytest.mark.django_db

OPERATOR = {
    "OPERATOR_NAME": "Gemeente Voorbeeldstad",
    "OPERATOR_ADDRESS": "Stadhuisplein 1, 1234 AB Voorbeeldstad",
    "OPERATOR_EMAIL": "coconnect@voorbeeldstad.nl",
    "PRIVACY_CONTACT_EMAIL": "fg@voorbeeldstad.nl",
    "SECURITY_CONTACT_EMAIL": "cert@voorbeeldstad.nl",
    "ACCESSIBILITY_CONTACT_EMAIL": "toegankelijk@voorbeeldstad.nl",
    "ACCESSIBILITY_STATEMENT_DATE": "2026-11-30",
    "SITE_URL": "https://coconnect.voorbeeldstad.nl",
}
PAGES = {
    "/privacy/": {"nl": "Privacyverklaring", "en": "Privacy statement"},
    "/toegankelijkheid/": {"nl": "Toegankelijkheidsverklaring", "en": "Accessibility statement"},
}


def _h1(response) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S).group(1).strip()


@pytest.mark.parametrize("url", PAGES)
def test_a_stranger_reads_each_statement_in_dutch_by_default(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Language"] == "nl"
    assert _h1(response) == PAGES[url]["nl"]
    assert_strict_policy(response["Content-Security-Policy"])
    assert 'style="' not in response.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_each_statement_reads_in_english_through_the_language_switch(client, url):
    response = client.post("/i18n/setlang/", {"language": "en", "next": url}, follow=True)
    assert response.status_code == 200
    assert _h1(response) == PAGES[url]["en"]
    # A browser that asks for English gets it too, without the switch.
    client.cookies.clear()
    assert _h1(client.get(url, headers={"Accept-Language": "en"})) == PAGES[url]["en"]


@pytest.mark.parametrize("url", PAGES)
def test_only_get_is_answered(client, url):
    assert client.post(url).status_code == 405


@override_settings(**OPERATOR)
def test_the_privacy_statement_names_the_operator_and_the_privacy_contact(client):
    page = client.get("/privacy/").content.decode()
    assert "Gemeente Voorbeeldstad" in page
    assert "Stadhuisplein 1, 1234 AB Voorbeeldstad" in page
    assert 'href="mailto:fg@voorbeeldstad.nl"' in page
    assert 'href="mailto:coconnect@voorbeeldstad.nl"' in page
    # What, why, how long, who receives it, rights: each has its heading.
    for heading in (
        "Wie is verantwoordelijk",
        "Wat Coconnect verwerkt",
        "Waarom",
        "Hoe lang",
        "Wie de gegevens ontvangt",
        "Uw rechten",
    ):
        assert f">{heading}</h2>" in page
    assert "24 maanden" in page
    lockout = round(settings.AXES_COOLOFF_TIME * 60)
    assert f"blokkeertijd van {lockout} minuten" in page


@override_settings(**OPERATOR)
def test_the_accessibility_statement_follows_the_dutch_model(client):
    page = client.get("/toegankelijkheid/").content.decode()
    assert "Gemeente Voorbeeldstad" in page
    assert 'href="mailto:toegankelijk@voorbeeldstad.nl"' in page
    assert "Voldoet gedeeltelijk" in page
    assert "opgesteld op 30 november 2026" in page
    assert "Nationale ombudsman" in page
    for heading in (
        "Organisatie",
        "Reikwijdte",
        "Nalevingsstatus",
        "Wat is getest en hoe",
        "Bekende tekortkomingen",
        "Datum",
        "Contact en feedback",
        "Handhavingsprocedure",
    ):
        assert f">{heading}</h2>" in page


@override_settings(OPERATOR_NAME="", OPERATOR_ADDRESS="", ACCESSIBILITY_STATEMENT_DATE="2026-02-31")
def test_without_operator_details_or_with_a_wrong_date_the_pages_still_say_something(client):
    privacy = client.get("/privacy/").content.decode()
    assert "De organisatie die deze installatie van Coconnect beheert" in privacy
    accessibility = client.get("/toegankelijkheid/").content.decode()
    assert "nog niet gedateerd" in accessibility


def test_operator_html_is_escaped(client):
    with override_settings(OPERATOR_NAME="<script>alert(1)</script> & Zn"):
        page = client.get("/privacy/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Zn" in page


def _fields(text: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in text.strip().splitlines())


@override_settings(**OPERATOR)
def test_security_txt_names_the_contact_and_expires_within_a_year(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = _fields(response.content.decode())
    assert fields["Contact"] == "mailto:cert@voorbeeldstad.nl"
    assert fields["Canonical"] == "https://coconnect.voorbeeldstad.nl/.well-known/security.txt"
    assert fields["Preferred-Languages"] == "nl, en"
    expires = datetime.datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.UTC
    )
    # RFC 9116: in the future, and not more than a year ahead.
    assert timezone.now() < expires <= timezone.now() + datetime.timedelta(days=366)


def test_every_contact_falls_back_to_the_senders_address():
    """Without any operator settings, every page still names an address to write to."""
    names = [k for k in OPERATOR if k != "SITE_URL"]
    env = {k: v for k, v in os.environ.items() if k not in names}
    env.update(DJANGO_SETTINGS_MODULE="coconnect.settings", SECRET_KEY="x" * 50)
    env["DEFAULT_FROM_EMAIL"] = "Coconnect <afzender@example.nl>"
    code = (
        "from django.conf import settings as s; print("
        + ",".join(f"s.{n}" for n in names)
        + ", sep='|')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out.split("|") == ["", ""] + ["afzender@example.nl"] * 4 + [""]


def test_the_footer_links_both_statements_on_the_login_page(client):
    page = client.get("/accounts/login/").content.decode()
    footer = page[page.index('<footer class="site-footer"') :]
    assert 'href="/privacy/"' in footer
    assert 'href="/toegankelijkheid/"' in footer
    assert "Privacyverklaring" in footer and "Toegankelijkheidsverklaring" in footer


def test_strangers_reach_the_public_routes_without_signing_in(client):
    """The routes outside /t/… that must stay public (the permission matrix covers /t/… only)."""
    for url in ("/privacy/", "/toegankelijkheid/", "/.well-known/security.txt"):
        assert client.get(url).status_code == 200, url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", PAGES)
def test_each_statement_fits_a_phone_and_a_desktop_without_policy_violations(
    live_server, new_page, screenshot, url
):
    name = url.strip("/")
    for label, page in (("phone", new_page(phone=True)), ("desktop", new_page())):
        if label == "desktop":
            page.set_viewport_size({"width": 1280, "height": 800})
        violations = []
        page.on(
            "console",
            lambda m, seen=violations: (
                seen.append(m.text) if "Content Security Policy" in m.text else None
            ),
        )
        page.goto(live_server.url + url)
        assert page.locator("h1").inner_text() == PAGES[url]["nl"]
        assert page.locator("footer a", has_text="Privacyverklaring").is_visible()
        screenshot(page, f"statements-{name}-{label}")
        assert violations == []
        # Reflow (WCAG 1.4.10): nothing scrolls sideways at 320 CSS pixels.
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320

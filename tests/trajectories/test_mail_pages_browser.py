"""The pages mails lead to, in the browser at a phone's and a desk's width: lost link, its
answer, the mail as it renders, the sign-in confirm page, the refusal after use, the own
settings pages and unsubscribing. No sideways scrolling at 320 px."""

import re

import pytest
from django.core import mail as outbox_mail

from coconnect import mail
from tests import factories
from tests.browser import sign_in_by_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(390, 844), (1280, 800)]


def _fits(page, width):
    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": width, "height": 800})


@pytest.mark.parametrize("size", SIZES)
def test_lost_link_to_signed_in_and_own_settings(
    live_server, new_page, screenshot, settings, tmp_path, trajectory, participant, size
):
    settings.SITE_URL = live_server.url
    participant.email = "anouk@example.org"
    participant.save(update_fields=["email"])
    factories.make_invite(participant)
    width = size[0]
    page = new_page(phone=width < 500)
    page.set_viewport_size({"width": width, "height": size[1]})

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Link kwijt?").click()
    page.wait_for_url("**/link-kwijt/")
    _fits(page, width)
    screenshot(page, f"mail-lost-link-{width}")
    page.get_by_label("Uw e-mailadres").fill("geen adres")
    page.get_by_role("button", name="Stuur mij een aanmeldlink").click()
    assert page.get_by_role("alert").is_visible()
    assert page.get_by_label("Uw e-mailadres").input_value() == "geen adres"
    screenshot(page, f"mail-lost-link-error-{width}")
    page.get_by_label("Uw e-mailadres").fill("anouk@example.org")
    page.get_by_role("button", name="Stuur mij een aanmeldlink").click()
    page.wait_for_url("**/link-kwijt/verstuurd/")
    assert page.get_by_role("heading", name="Kijk in uw e-mail").is_visible()
    _fits(page, width)
    screenshot(page, f"mail-lost-link-sent-{width}")

    [message] = outbox_mail.outbox
    html = message.alternatives[0][0]
    rendered = tmp_path / "mail.html"
    rendered.write_text(html)
    page.goto(rendered.as_uri())
    assert page.get_by_role("link", name=f"Aanmelden bij {trajectory.name}").is_visible()
    _fits(page, width)
    screenshot(page, f"mail-sign-in-mail-{width}")

    page.get_by_role("link", name=f"Aanmelden bij {trajectory.name}").click()
    page.wait_for_url("**/aanmelden/**")
    sign_in_url = page.url
    assert page.get_by_role("heading", name="Aanmelden bij Coconnect").is_visible()
    _fits(page, width)
    screenshot(page, f"mail-sign-in-confirm-{width}")
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"**/t/{trajectory.pk}/welkom/")

    page.get_by_role("link", name="Mijn instellingen: taal en e-mails").click()
    page.wait_for_url(f"**/t/{trajectory.pk}/mijn-instellingen/")
    _fits(page, width)
    screenshot(page, f"mail-my-settings-{width}")
    page.get_by_label("Herinneringen aan wat er moet gebeuren").uncheck()
    page.get_by_label("Taal van pagina's en e-mails").select_option("en")
    page.get_by_role("button", name="Instellingen opslaan").click()
    page.wait_for_url(f"**/t/{trajectory.pk}/mijn-instellingen/")
    assert page.get_by_text("Your settings have been saved.").is_visible()
    screenshot(page, f"mail-my-settings-saved-en-{width}")

    other = new_page(phone=width < 500)
    other.set_viewport_size({"width": width, "height": size[1]})
    other.goto(sign_in_url)
    assert other.get_by_role("heading", name="Deze aanmeldlink is al gebruikt").is_visible()
    _fits(other, width)
    screenshot(other, f"mail-sign-in-refused-{width}")


@pytest.mark.parametrize("size", SIZES)
def test_account_settings_and_unsubscribe(
    live_server, new_page, screenshot, trajectory, facilitator, size
):
    factories.make_trajectory("Tweede traject met een heel lange naam", facilitator=facilitator)
    width = size[0]
    page = new_page(phone=width < 500)
    page.set_viewport_size({"width": width, "height": size[1]})
    unsubscribe = mail.unsubscribe_url(mail.recipient_for_user(facilitator), mail.Kind.WEEKLY)
    page.goto(re.sub(r"^https?://[^/]+", live_server.url, unsubscribe))
    _fits(page, width)
    screenshot(page, f"mail-unsubscribe-confirm-{width}")
    page.get_by_role("button", name="Uitschrijven").click()
    assert page.get_by_role("heading", name="U bent uitgeschreven").is_visible()
    screenshot(page, f"mail-unsubscribe-done-{width}")
    page.goto(f"{live_server.url}/afmelden/vervalst/")
    assert page.get_by_role("heading", name="Deze uitschrijflink werkt niet").is_visible()
    screenshot(page, f"mail-unsubscribe-refused-{width}")

    sign_in_by_session(page, live_server, facilitator.username)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Account").click()
    page.wait_for_url("**/account/")
    assert not page.get_by_label("Weekoverzicht van een traject").is_checked()
    _fits(page, width)
    screenshot(page, f"mail-account-settings-{width}")
    page.get_by_label("Weekoverzicht van een traject").check()
    page.get_by_role("button", name="Instellingen opslaan").click()
    assert page.get_by_text("Uw instellingen zijn opgeslagen.").is_visible()
    assert mail.wants(mail.recipient_for_user(facilitator), mail.Kind.WEEKLY)

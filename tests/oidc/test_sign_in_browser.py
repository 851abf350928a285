"""Signing in through a real OpenID Connect provider on loopback (tests/oidc/conftest.py), in the
browser, as a person would: the button on the login page, the provider's own login and consent
pages, and back to Coconnect."""

from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from tests import factories
from tests.oidc.conftest import ANNA, BRAM, CARLA, DIRK, PROVIDER_NAME
from trajectories.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

User = get_user_model()
BUTTON = f"Inloggen via {PROVIDER_NAME}"


def _user(username, email):
    user = factories.make_user(username)
    user.email = email
    user.save(update_fields=["email"])
    return user


def _watch_policy(page) -> list[str]:
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return violations


def _sign_in_at_provider(page, live_server, login, start="/accounts/login/"):
    """From Coconnect's login page through the provider's login (and consent) and back."""
    page.goto(f"{live_server.url}{start}")
    page.get_by_role("link", name=BUTTON).click()
    # The provider's own development login page: any password, the login name picks the account.
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
    page.wait_for_load_state()
    if page.url.startswith(live_server.url):
        return
    # Consent, when the provider asks for it.
    consent = page.locator("button[type=submit]", has_text="Continue")
    if consent.count():
        consent.click()
    page.wait_for_url(f"{live_server.url}/**")


def _signed_in_user_id(page, live_server):
    cookies = {c["name"]: c["value"] for c in page.context.cookies(live_server.url)}
    key = cookies.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    return store.get("_auth_user_id")


def test_the_login_page_offers_the_provider_above_the_password_form(
    oidc_settings, live_server, new_page, screenshot
):
    for label, page in (("desktop", new_page()), ("phone", new_page(phone=True))):
        violations = _watch_policy(page)
        page.goto(f"{live_server.url}/accounts/login/")
        button = page.get_by_role("link", name=BUTTON)
        assert button.is_visible()
        # Above the local form, and the local form is still there.
        button_top = button.bounding_box()["y"]
        assert button_top < page.get_by_label("Gebruikersnaam").bounding_box()["y"]
        assert button.bounding_box()["height"] >= 44
        screenshot(page, f"oidc-login-{label}")
        assert violations == []
        page.set_viewport_size({"width": 320, "height": 640})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_an_existing_account_signs_in_by_its_verified_address(
    oidc_settings, live_server, new_page, screenshot, caplog
):
    anna = _user("anna", ANNA[1].lower())
    trajectory = factories.make_trajectory("Traject van Anna", facilitator=anna)
    page = new_page()
    violations = _watch_policy(page)

    _sign_in_at_provider(page, live_server, ANNA[0])

    assert page.url == f"{live_server.url}/"
    assert _signed_in_user_id(page, live_server) == str(anna.pk)
    assert page.get_by_role("link", name=trajectory.name).is_visible()
    assert User.objects.count() == 1  # matched, not created
    assert violations == []
    # One line, naming the account by number and only the domain of the address.
    lines = [r.getMessage() for r in caplog.records if r.name == "coconnect.oidc"]
    assert lines == [f"oidc sign-in: account {anna.pk} matched (domain rivierstad.nl)"]
    screenshot(page, "oidc-signed-in-existing")


def test_a_person_sent_to_sign_in_from_a_trajectory_returns_to_it(
    oidc_settings, live_server, new_page
):
    anna = _user("anna", ANNA[1].lower())
    trajectory = factories.make_trajectory("Traject van Anna", facilitator=anna)
    page = new_page()

    _sign_in_at_provider(page, live_server, ANNA[0], start=trajectory.get_absolute_url())

    assert page.url == f"{live_server.url}{trajectory.get_absolute_url()}"
    assert page.locator("h1").inner_text() == trajectory.name


def test_a_first_sign_in_from_an_allowed_domain_creates_an_account_without_trajectories(
    oidc_settings, live_server, new_page, caplog
):
    factories.make_trajectory("Traject van een ander", facilitator=factories.make_user("demo"))
    page = new_page()

    _sign_in_at_provider(page, live_server, BRAM[0])

    assert page.url == f"{live_server.url}/"
    bram = User.objects.get(email=BRAM[1])
    assert _signed_in_user_id(page, live_server) == str(bram.pk)
    assert bram.username == BRAM[1]
    assert (bram.first_name, bram.last_name) == ("Bram", "Nieuw")
    assert not bram.has_usable_password()
    assert not (bram.is_staff or bram.is_superuser)
    assert not Membership.objects.filter(user=bram).exists()
    assert not page.get_by_role("link", name="Traject van een ander").count()
    lines = [r.getMessage() for r in caplog.records if r.name == "coconnect.oidc"]
    assert lines == [f"oidc sign-in: account {bram.pk} created (domain rivierstad.nl)"]


def test_a_first_sign_in_from_another_domain_is_refused_in_dutch_without_an_account(
    oidc_settings, live_server, new_page, screenshot, caplog
):
    page = new_page()

    _sign_in_at_provider(page, live_server, CARLA[0])

    assert page.url == f"{live_server.url}/accounts/login/"
    assert (
        page.get_by_role("status")
        .get_by_text("Er is geen Coconnect-account voor uw e-mailadres")
        .is_visible()
    )
    assert _signed_in_user_id(page, live_server) is None
    assert not User.objects.exists()
    lines = [r.getMessage() for r in caplog.records if r.name == "coconnect.oidc"]
    assert lines == ["oidc sign-in refused: domain-not-allowed (elders.example)"]
    screenshot(page, "oidc-refused-domain")


def test_an_unverified_address_is_refused_even_when_an_account_has_it(
    oidc_settings, live_server, new_page
):
    _user("dirk", DIRK[1])
    page = new_page()

    _sign_in_at_provider(page, live_server, DIRK[0])

    assert page.url == f"{live_server.url}/accounts/login/"
    assert (
        page.get_by_role("status")
        .get_by_text(f"{PROVIDER_NAME} heeft uw e-mailadres niet bevestigd")
        .is_visible()
    )
    assert _signed_in_user_id(page, live_server) is None
    assert User.objects.count() == 1


def test_the_password_form_still_signs_in_while_the_provider_is_on(
    oidc_settings, live_server, new_page
):
    from tests.browser import sign_in

    factories.make_user("lokaal")
    page = new_page()
    sign_in(page, live_server, "lokaal")
    assert _signed_in_user_id(page, live_server) is not None


def test_an_address_locked_out_by_failed_passwords_cannot_sign_in_through_the_provider(
    oidc_settings, live_server, new_page
):
    """django-axes stays the first backend: its lockout holds for the provider's callback too."""
    anna = _user("anna", ANNA[1].lower())
    page = new_page()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Gebruikersnaam").fill("iemand")
        page.get_by_label("Wachtwoord").fill("fout")
        page.get_by_role("button", name="Aanmelden").click()

    _sign_in_at_provider(page, live_server, ANNA[0])

    assert _signed_in_user_id(page, live_server) != str(anna.pk)
    assert page.locator("h1").inner_text() == "Aanmelden is tijdelijk gepauzeerd"
    assert not page.get_by_role("status").get_by_text("is niet gelukt").count()  # one message

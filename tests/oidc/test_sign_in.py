"""Sign-in through OpenID Connect without a browser: off by default, the start of the flow against
the real loopback provider, and every way a callback can go wrong."""

import json
import os
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from coconnect import oidc
from tests import factories
from tests.oidc.conftest import CLIENT_ID, PROVIDER_NAME

pytestmark = pytest.mark.django_db
User = get_user_model()
CLOSED_PORT = "http://127.0.0.1:9"  # discard: nothing answers


@pytest.fixture
def unreachable_provider(settings):
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_ISSUER = CLOSED_PORT
    settings.OIDC_ALLOWED_EMAIL_DOMAINS = ["rivierstad.nl"]
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "coconnect.oidc.OIDCBackend",
    ]
    oidc._discovered.clear()
    yield settings
    oidc._discovered.clear()


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_without_a_client_id_there_is_no_button_and_no_route(client, settings):
    assert settings.OIDC_RP_CLIENT_ID == ""
    assert "coconnect.oidc.OIDCBackend" not in settings.AUTHENTICATION_BACKENDS
    page = client.get("/accounts/login/").content.decode()
    assert "/oidc/authenticate/" not in page and "Inloggen via" not in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_the_button_keeps_where_the_person_was_going(client, unreachable_provider):
    page = client.get("/accounts/login/?next=/t/1/").content.decode()
    assert f"Inloggen via {PROVIDER_NAME}" in page
    assert 'href="/oidc/authenticate/?next=/t/1/"' in page


def test_the_password_form_never_waits_for_the_provider(client, unreachable_provider):
    user = factories.make_user("lokaal")
    response = client.post(
        "/accounts/login/", {"username": "lokaal", "password": factories.PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert oidc._discovered == {}  # the provider was not asked


def test_an_unreachable_provider_sends_the_person_back_with_a_message(
    client, unreachable_provider, caplog
):
    response = client.get("/oidc/authenticate/", follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert _messages(response) == [
        f"Inloggen via {PROVIDER_NAME} is niet gelukt. Probeer het opnieuw, of meld u aan met "
        "uw gebruikersnaam en wachtwoord."
    ]
    assert "oidc sign-in refused: provider unavailable" in caplog.text


@pytest.mark.parametrize(
    "query",
    [
        "code=forged&state=forged",  # no sign-in was started in this browser
        "error=access_denied&state=forged",  # cancelled at the provider
        "code=forged",  # half an answer
    ],
)
def test_a_forged_or_cancelled_callback_signs_nobody_in(client, unreachable_provider, query):
    response = client.get(f"/oidc/callback/?{query}", follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "is niet gelukt" in _messages(response)[0]
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()


def test_a_callback_whose_state_is_not_this_browsers_is_refused(client, unreachable_provider):
    session = client.session
    session["oidc_states"] = {"mine": {"nonce": "n", "code_verifier": "v", "added_on": 0}}
    session.save()
    response = client.get("/oidc/callback/?code=stolen&state=someone-elses", follow=True)
    assert response.redirect_chain == [("/accounts/login/", 302)]
    assert "is niet gelukt" in _messages(response)[0]
    assert "_auth_user_id" not in client.session


def test_the_start_sends_the_browser_to_the_real_provider_with_pkce_and_a_nonce(
    client, oidc_settings, oidc_provider
):
    response = client.get("/oidc/authenticate/?next=/t/1/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{oidc_provider}/auth"
    query = {key: values[0] for key, values in parse_qs(target.query).items()}
    assert query["client_id"] == CLIENT_ID
    assert query["response_type"] == "code"
    assert set(query["scope"].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    assert query["nonce"] and query["state"] in client.session["oidc_states"]
    assert client.session["oidc_login_next"] == "/t/1/"


def test_an_id_token_for_another_application_or_from_another_issuer_is_refused(
    unreachable_provider,
):
    backend = oidc.OIDCBackend()
    backend._check_id_token({"aud": CLIENT_ID, "iss": CLOSED_PORT})
    backend._check_id_token({"aud": [CLIENT_ID, "other"], "iss": CLOSED_PORT + "/"})
    with pytest.raises(oidc.Refused, match="id-token-audience"):
        backend._check_id_token({"aud": "other-app", "iss": CLOSED_PORT})
    with pytest.raises(oidc.Refused, match="id-token-issuer"):
        backend._check_id_token({"aud": CLIENT_ID, "iss": "http://127.0.0.1:8"})


def test_a_new_account_gets_a_username_nobody_has(unreachable_provider):
    factories.make_user("bram@rivierstad.nl")
    factories.make_user("bram@rivierstad.nl-2")
    backend = oidc.OIDCBackend()
    user = backend.create_user({"email": "Bram@Rivierstad.nl", "given_name": "Bram"})
    assert user.username == "bram@rivierstad.nl-3"
    assert user.email == "Bram@Rivierstad.nl"
    assert not user.has_usable_password()
    # Characters a username does not allow are left out.
    assert backend._free_username("o'brien <x>@rivierstad.nl") == "obrienx@rivierstad.nl"


def _settings_with(**environment):
    """The production settings read in a fresh process with this environment."""
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'coconnect.settings'; "
        "from django.conf import settings; print(json.dumps(settings.AUTHENTICATION_BACKENDS))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "SECRET_KEY": "k" * 50, **environment},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_the_environment_switches_it_on_after_the_sign_in_throttle():
    result = _settings_with(
        OIDC_RP_CLIENT_ID="coconnect",
        OIDC_RP_CLIENT_SECRET="s",
        OIDC_OP_ISSUER="https://login.rivierstad.nl/",
    )
    assert json.loads(result.stdout) == [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
        "coconnect.oidc.OIDCBackend",
    ]
    assert json.loads(_settings_with().stdout)[-1] == "django.contrib.auth.backends.ModelBackend"


def test_a_client_id_without_its_secret_or_provider_stops_the_start():
    for environment in (
        {"OIDC_RP_CLIENT_ID": "coconnect", "OIDC_OP_ISSUER": "https://login.rivierstad.nl"},
        {"OIDC_RP_CLIENT_ID": "coconnect", "OIDC_RP_CLIENT_SECRET": "s"},
    ):
        result = _settings_with(**environment)
        assert result.returncode != 0
        assert "also set OIDC_RP_CLIENT_SECRET and OIDC_OP_ISSUER" in result.stderr


def test_names_from_the_provider_lose_control_characters_and_line_breaks(unreachable_provider):
    user = oidc.OIDCBackend().create_user(
        {"email": "e@rivierstad.nl", "given_name": "Ev\x00a\nMarie", "family_name": "<b>Ø</b>"}
    )
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Eva Marie", "<b>Ø</b>")


def test_a_first_sign_in_that_another_tab_finished_meanwhile_gets_that_account(
    unreachable_provider, monkeypatch
):
    backend = oidc.OIDCBackend()
    other_tab = factories.make_user("tab")
    other_tab.email = "tab@rivierstad.nl"
    other_tab.save()
    # The other tab's account appears between the look-up of a free name and the insert.
    monkeypatch.setattr(backend, "_free_username", lambda email: "tab")
    assert backend.create_user({"email": "TAB@rivierstad.nl"}) == other_tab
    assert User.objects.count() == 1


def _signed(key, **claims):
    import jwt

    now = int(time.time())
    return jwt.encode({"sub": "s", "exp": now + 300, "iat": now, **claims}, key, algorithm="RS256")


def test_a_token_is_taken_with_a_minutes_leeway_and_refused_beyond_it(unreachable_provider):
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.core.exceptions import SuspiciousOperation

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    backend = oidc.OIDCBackend()
    now = int(time.time())
    # The provider's clock a little ahead of ours, or the token just expired: still fine.
    assert backend._verify_jws(_signed(key, iat=now + 30), key.public_key())["sub"] == "s"
    assert backend._verify_jws(_signed(key, exp=now - 30), key.public_key())["sub"] == "s"
    for token in (
        _signed(key, iat=now + 120),  # not yet issued
        _signed(key, exp=now - 120),  # expired
        _signed(rsa.generate_private_key(public_exponent=65537, key_size=2048)),  # another key
        "not-a-token",
    ):
        with pytest.raises(SuspiciousOperation):
            backend._verify_jws(token, key.public_key())

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from tests import factories
from trajectories.models import InviteLink, Membership, Participant, Partner, Trajectory

pytestmark = pytest.mark.django_db


def test_sign_out_is_a_post_and_ends_the_session(facilitator_client):
    response = facilitator_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert facilitator_client.get("/").status_code == 302


def test_password_change_page_is_dutch_and_works(facilitator_client, facilitator):
    page = facilitator_client.get("/accounts/password_change/").content.decode()
    assert "Wachtwoord wijzigen" in page
    response = facilitator_client.post(
        "/accounts/password_change/",
        {
            "old_password": "correct-horse-battery",
            "new_password1": "nieuw-geheim-2026!",
            "new_password2": "nieuw-geheim-2026!",
        },
    )
    assert response.status_code == 302
    facilitator.refresh_from_db()
    assert facilitator.check_password("nieuw-geheim-2026!")


def test_password_change_errors_are_tied_to_fields(facilitator_client):
    html = facilitator_client.post(
        "/accounts/password_change/",
        {"old_password": "fout", "new_password1": "a", "new_password2": "b"},
    ).content.decode()
    assert 'aria-invalid="true"' in html
    assert "id_old_password_error" in html


def test_password_reset_mails_a_dutch_link(client, facilitator):
    response = client.post("/accounts/password_reset/", {"email": facilitator.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "nieuw wachtwoord" in mail.outbox[0].subject.lower()
    assert re.search(r"/accounts/reset/[^/]+/[^/]+/", mail.outbox[0].body)
    done = client.get(response["Location"]).content.decode()
    assert "Kijk in uw e-mail" in done


def test_password_reset_with_a_broken_link_explains(client, db):
    page = client.get("/accounts/reset/Mg/bad-token/").content.decode()
    assert "Deze link werkt niet meer" in page


def test_admin_covers_every_trajectories_model():
    for model in apps.get_app_config("trajectories").get_models():
        assert admin.site.is_registered(model), model


def test_load_demo_is_idempotent_and_prints_the_logins(capsys):
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "demo / coconnect-demo" in out and "manager / coconnect-demo" in out
    # The demo trajectory, and the municipality's second one for its coordinator's portfolio.
    assert Trajectory.objects.count() == 2
    assert "coordinator / coconnect-demo" in out
    trajectory = Trajectory.objects.get(memberships__user__username="demo")
    kinds = set(Partner.objects.filter(trajectory=trajectory).values_list("kind", flat=True))
    assert {"municipality", "housing", "mental_health", "shelter"} <= kinds
    assert Partner.objects.filter(trajectory=trajectory, kind="housing").count() == 2
    levels = set(
        Participant.objects.filter(partner__trajectory=trajectory).values_list("level", flat=True)
    )
    assert levels == {"board", "manager", "professional"}
    assert not Participant.objects.filter(partner__trajectory=trajectory, mandate="").exists()
    roles = dict(
        Membership.objects.filter(trajectory=trajectory).values_list("user__username", "role")
    )
    assert roles == {"demo": "facilitator", "manager": "manager"}
    token = re.search(r"/i/([A-Za-z0-9_\-]+)/", out.split("demo trajectory")[-1]).group(1)
    assert token


def test_admin_pages_open_and_invite_links_can_be_revoked(client, participant):
    admin_user = get_user_model().objects.create_superuser("beheer", "beheer@example.org", "x")
    client.force_login(admin_user)
    link, _token = factories.make_invite(participant)
    for url in ["trajectory", "membership", "partner", "participant", "invitelink"]:
        assert client.get(f"/admin/trajectories/{url}/").status_code == 200
    assert client.get(f"/admin/trajectories/invitelink/{link.pk}/change/").status_code == 200
    client.post(
        "/admin/trajectories/invitelink/",
        {"action": "revoke", "_selected_action": [link.pk]},
    )
    assert InviteLink.objects.get(pk=link.pk).is_revoked

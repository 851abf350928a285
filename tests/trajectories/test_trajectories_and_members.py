import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError

from tests import factories
from trajectories import services
from trajectories.models import Membership, Trajectory

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def test_creator_becomes_the_facilitator(client, db):
    user = factories.make_user("nieuw", may_create_trajectories=True)
    client.force_login(user)
    response = client.post(
        "/t/nieuw/",
        {
            "name": "Jeugdhulp dichtbij",
            "task": "Samen sneller passende hulp.",
            "goals": "",
            "occasion": "improvement",
            "phase": "design",
        },
    )
    trajectory = Trajectory.objects.get(name="Jeugdhulp dichtbij")
    assert response["Location"] == f"/t/{trajectory.pk}/partners/"
    assert trajectory.status == "active" and trajectory.phase == "design"
    assert Membership.objects.get(trajectory=trajectory).user == user
    assert Membership.objects.get(trajectory=trajectory).role == "facilitator"


def test_facilitator_changes_phase_and_status(facilitator_client, trajectory):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/instellingen/",
        {
            "name": trajectory.name,
            "task": trajectory.task,
            "goals": "",
            "occasion": "change",
            "phase": "execution",
            "status": "paused",
        },
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert (trajectory.phase, trajectory.status, trajectory.occasion) == (
        "execution",
        "paused",
        "change",
    )


def test_adding_an_existing_user_as_manager(facilitator_client, trajectory):
    colleague = factories.make_user("bestuurder")
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/leden/toevoegen/",
        {"email": colleague.email, "role": "manager"},
        headers=HX,
    )
    assert Membership.objects.get(trajectory=trajectory, user=colleague).role == "manager"
    assert 'id="members"' in response.content.decode()
    assert mail.outbox == []


def test_adding_an_unknown_address_creates_an_account_and_mails_a_set_password_link(
    facilitator_client, trajectory, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        facilitator_client.post(
            f"/t/{trajectory.pk}/leden/toevoegen/",
            {"email": "Nieuwe.Collega@Example.org", "role": "facilitator"},
        )
    user = get_user_model().objects.get(email__iexact="nieuwe.collega@example.org")
    assert not user.has_usable_password()
    assert Membership.objects.get(trajectory=trajectory, user=user).role == "facilitator"
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert trajectory.name in mail.outbox[0].subject
    assert "Uw gebruikersnaam is: Nieuwe.Collega" in body
    link = re.search(r"http://[^/]+(/accounts/reset/\S+)", body).group(1)
    # The link lets the new member choose a password and sign in.
    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "een-goed-wachtwoord-42", "new_password2": "een-goed-wachtwoord-42"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("een-goed-wachtwoord-42")


def test_removing_a_member(facilitator_client, trajectory, manager):
    membership = Membership.objects.get(trajectory=trajectory, user=manager)
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/leden/{membership.pk}/verwijderen/", headers=HX
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_facilitator_is_never_removed(facilitator_client, trajectory, facilitator):
    membership = Membership.objects.get(trajectory=trajectory, user=facilitator)
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/leden/{membership.pk}/verwijderen/", follow=True
    )
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "laatste procesbegeleider kan niet" in response.content.decode()
    settings_page = facilitator_client.get(f"/t/{trajectory.pk}/instellingen/").content.decode()
    assert f"/leden/{membership.pk}/verwijderen/" not in settings_page


def test_a_facilitator_may_leave_when_another_remains(facilitator_client, trajectory, facilitator):
    other = factories.make_user("tweede")
    Membership.objects.create(trajectory=trajectory, user=other, role="facilitator")
    mine = Membership.objects.get(trajectory=trajectory, user=facilitator)
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/leden/{mine.pk}/verwijderen/", headers=HX
    )
    assert response["HX-Redirect"] == "/"
    assert facilitator_client.get(f"/t/{trajectory.pk}/").status_code == 404


def test_manager_reads_the_overview_without_edit_links(manager_client, trajectory):
    page = manager_client.get(f"/t/{trajectory.pk}/").content.decode()
    assert trajectory.task in page
    assert "/instellingen/" not in page
    assert "Alleen lezen" in page


def test_the_service_refuses_to_remove_the_last_facilitator(trajectory, facilitator):
    membership = Membership.objects.get(trajectory=trajectory, user=facilitator)
    with pytest.raises(ValidationError):
        services.member_remove(membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_service_removes_a_facilitator_when_another_remains(trajectory, facilitator):
    Membership.objects.create(
        trajectory=trajectory, user=factories.make_user("tweede"), role="facilitator"
    )
    membership = Membership.objects.get(trajectory=trajectory, user=facilitator)
    services.member_remove(membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()

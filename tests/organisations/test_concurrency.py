"""Simultaneous submits on PostgreSQL: one coordinator, one account, one mail; one report."""

import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from organisations.models import Coordinator
from reports.models import Report
from tests.concurrency import post_together

from .conftest import make_coordinator

SENDERS = 5


def _clients(user):
    clients = [Client() for _ in range(SENDERS)]
    for client in clients:
        client.force_login(user)
    return clients


@pytest.fixture
def world(postgres, transactional_db, facilitator, trajectory, partner):
    return {"facilitator": facilitator, "trajectory": trajectory, "partner": partner}


def test_simultaneous_invites_of_one_address_make_one_coordinator(world):
    url = f"/t/{world['trajectory'].pk}/partners/{world['partner'].pk}/coordinatoren/"
    data = {"name": "Cor Tegelijk", "email": "cor.tegelijk@example.org"}
    statuses = post_together(_clients(world["facilitator"]), url, data)
    assert get_user_model().objects.filter(email__iexact=data["email"]).count() == 1
    assert Coordinator.objects.count() == 1
    assert len(mail.outbox) == 1
    # The first made it; the others found it (a redirect) or saw it already there (422).
    assert set(statuses) <= {302, 422} and 302 in statuses


def test_simultaneous_report_orders_of_one_form_make_one_report(world, settings):
    settings.BACKGROUND_TASKS_IN_THREAD = False
    organisation = world["partner"].organisation
    user = make_coordinator(organisation)
    clients = _clients(user)
    html = clients[0].get(f"/organisaties/{organisation.pk}/").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', html).group(1)
    assert uuid.UUID(key)
    statuses = post_together(
        clients,
        f"/organisaties/{organisation.pk}/rapportage/",
        {"language": "nl", "submission_key": key},
    )
    assert Report.objects.filter(organisation=organisation).count() == 1
    assert set(statuses) == {302}

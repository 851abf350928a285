"""Simultaneous use of one sign-in link spends it once (PostgreSQL: the row is locked)."""

import re

import pytest
from django.core import mail as outbox_mail
from django.test import Client

from coconnect import mail
from tests import factories
from tests.concurrency import post_together
from trajectories.access import SESSION_INVITE_KEY
from trajectories.models import SignInToken

SENDERS = 6


@pytest.fixture
def anouk(postgres, transactional_db, participant):
    participant.email = "anouk@example.org"
    participant.save(update_fields=["email"])
    factories.make_invite(participant)
    return participant


def test_simultaneous_posts_of_one_sign_in_link_start_one_session(anouk):
    url = mail.sign_in_urls_issue([anouk])[anouk.pk]
    path = re.sub(r"^https?://[^/]+", "", url)
    clients = [Client() for _ in range(SENDERS)]
    statuses = post_together(clients, path, {})
    assert sorted(statuses) == [302] + [410] * (SENDERS - 1)
    signed_in = [c for c in clients if SESSION_INVITE_KEY in c.session]
    assert len(signed_in) == 1
    assert SignInToken.objects.get().used_at is not None


def test_simultaneous_double_submits_of_lost_link_send_one_mail(anouk):
    clients = [Client() for _ in range(SENDERS)]
    page = clients[0].get("/link-kwijt/").content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    statuses = post_together(
        clients, "/link-kwijt/", {"email": "anouk@example.org", "submission_key": key}
    )
    assert statuses == [302] * SENDERS
    assert len(outbox_mail.outbox) == 1
    assert SignInToken.objects.count() == 1

"""Double submits: the same form sent twice, also at the same moment, makes one row (PostgreSQL).

Every creating form carries a hidden `submission_key` (coconnect/once.py); the database refuses a
second row for the same key. Two separate submits of the same text are two rows.
"""

import re
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from tests import factories
from tests.concurrency import post_together
from tests.workshops.conftest import add_item, make_workshop
from workshops import services
from workshops.models import ActionItem, AgendaItem, Agreement, Contribution, Workshop

SENDERS = 8


def _url(workshop, path=""):
    return f"/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/{path}"


def _facilitators(facilitator, count=SENDERS):
    clients = [Client() for _ in range(count)]
    for client in clients:
        client.force_login(facilitator)
    return clients


@pytest.fixture
def running(postgres, transactional_db, trajectory):
    workshop = make_workshop(trajectory)
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Check-in")
    add_item(workshop, AgendaItem.Kind.AGREEMENTS, "Afspraken")
    services.workshop_start(workshop=workshop)
    return Workshop.objects.get(pk=workshop.pk)


def test_an_agreement_sent_many_times_at_once_is_recorded_once(running, facilitator):
    data = {"agreement-text": "We delen de wachtlijst", "agreement-submission_key": uuid.uuid4()}
    statuses = post_together(_facilitators(facilitator), _url(running, "afspraken/"), data)
    assert set(statuses) == {302}
    assert Agreement.objects.filter(workshop=running).count() == 1


def test_an_action_item_sent_many_times_at_once_is_recorded_once(running, facilitator):
    data = {"action-title": "Wachtlijst opvragen", "action-submission_key": uuid.uuid4()}
    statuses = post_together(_facilitators(facilitator), _url(running, "acties/"), data)
    assert set(statuses) == {302}
    assert ActionItem.objects.filter(workshop=running).count() == 1


def test_a_note_sent_many_times_at_once_is_stored_once(running, participant):
    phone = factories.login_participant(Client(), participant)
    # One phone sending from several connections: the same invite session on every client.
    clients = [Client() for _ in range(SENDERS)]
    for client in clients:
        client.cookies.load(phone.cookies)
    data = {
        "text": "Eén keer",
        "item": running.current_item_id,
        "submission_key": uuid.uuid4(),
    }
    statuses = post_together(
        clients, _url(running, "live/bijdrage/"), data, headers={"X-Live-Queue": "1"}
    )
    assert set(statuses) == {200}
    assert Contribution.objects.filter(item_id=running.current_item_id).count() == 1


def test_the_console_form_key_makes_a_repeated_agreement_one(running, facilitator):
    client = _facilitators(facilitator, 1)[0]
    html = client.get(_url(running, "regie/")).content.decode()
    key = re.search(r'name="agreement-submission_key" value="([0-9a-f-]{36})"', html).group(1)
    for _ in range(2):
        client.post(
            _url(running, "afspraken/"),
            {"agreement-text": "Eén afspraak", "agreement-submission_key": key},
        )
    assert Agreement.objects.filter(workshop=running).count() == 1


def test_the_same_text_submitted_twice_on_purpose_is_two_agreements(running):
    """No text-matching window: only the key says whether a submit is a repeat."""
    for _ in range(2):
        services.agreement_record(
            workshop=running, text="Elke maand overleg", submission_key=uuid.uuid4()
        )
    for _ in range(2):
        services.action_item_record(
            workshop=running, title="Agenda maken", submission_key=uuid.uuid4()
        )
    assert Agreement.objects.filter(workshop=running).count() == 2
    assert ActionItem.objects.filter(workshop=running).count() == 2


def test_the_migration_keeps_the_keys_notes_were_sent_with(transactional_db):
    before = [("workshops", "0003_remove_join_code")]
    after = [("workshops", "0004_submission_key")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        # Other apps stay fully migrated: their rows come from today's models.
        trajectory = factories.make_trajectory("Oud")
        workshop = old.get_model("workshops", "Workshop").objects.create(
            trajectory_id=trajectory.pk, title="Oud", starts_at="2026-01-01T10:00Z", place="Hier"
        )
        item = old.get_model("workshops", "AgendaItem").objects.create(
            workshop=workshop, kind="check_in", title="Check-in"
        )
        notes = old.get_model("workshops", "Contribution").objects
        dashed = str(uuid.uuid4())
        for key in (dashed, uuid.UUID(dashed).hex, "1733059200000-k3x9", ""):
            notes.create(item=item, text=f"Sleutel {key!r}", client_key=key)

        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps.get_model("workshops", "Contribution")
        keys = dict(new.objects.values_list("text", "submission_key"))
    finally:
        # Leave the database as every other test expects it: fully migrated.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert keys[f"Sleutel {dashed!r}"] == uuid.UUID(dashed)
    assert keys[f"Sleutel {uuid.UUID(dashed).hex!r}"] == uuid.UUID(dashed)
    assert keys["Sleutel '1733059200000-k3x9'"] is not None
    assert keys["Sleutel ''"] is None

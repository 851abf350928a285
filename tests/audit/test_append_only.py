"""The audit log is append-only: the model refuses changes, on PostgreSQL the database too."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

import audit
from audit.models import AppendOnlyError, AuditEntry
from audit.services import anonymise
from tests import factories
from trajectories.access import FACILITATOR, Viewer

pytestmark = pytest.mark.django_db

Action = AuditEntry.Action


@pytest.fixture
def entry(trajectory, facilitator, participant):
    return audit.record(
        trajectory=trajectory,
        action=Action.INVITE_ISSUED,
        by=Viewer(trajectory=trajectory, role=FACILITATOR, user=facilitator),
        subject=participant,
        summary=participant.name,
        link=1,
    )


def test_record_keeps_who_what_and_for_which_partner(entry, facilitator, participant):
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor == facilitator
    assert entry.actor_role == FACILITATOR
    assert entry.actor_label == "Procesbegeleider facilitator"
    assert entry.partner_id == participant.partner_id
    assert (entry.subject_type, entry.subject_id) == ("trajectories.participant", participant.pk)
    assert entry.details == {"link": 1}


def test_a_stored_entry_is_never_saved_again(entry):
    entry.summary = "iets anders"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AuditEntry.objects.get().summary == "Anouk de Vries"


def test_an_entry_is_never_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(summary="weg")
    assert AuditEntry.objects.count() == 1


def test_deleting_the_trajectory_takes_its_log_along(entry, trajectory, other_trajectory):
    kept = audit.record(trajectory=other_trajectory, action=Action.MEMBER_ADDED)
    trajectory.delete()
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [kept.pk]


def test_deleting_a_representative_keeps_the_entry_and_its_label(entry, participant):
    participant.delete()
    entry = AuditEntry.objects.get()
    assert entry.participant_id is None and entry.partner_id is not None
    assert entry.summary == "Anouk de Vries"


def test_anonymising_drops_names_and_keeps_roles(entry, trajectory, participant):
    by_participant = audit.record(
        trajectory=trajectory, action=Action.POSITION_TAKEN, by=participant, summary="Voorstel A"
    )
    assert by_participant.actor_label == "Vertegenwoordiger Anouk de Vries"
    assert anonymise(trajectory=trajectory, participant=participant) == 2
    labels = dict(AuditEntry.objects.values_list("pk", "actor_label"))
    assert labels == {entry.pk: "Procesbegeleider", by_participant.pk: "Vertegenwoordiger"}
    assert AuditEntry.objects.get(pk=entry.pk).summary == ""
    assert AuditEntry.objects.get(pk=by_participant.pk).summary == "Voorstel A"
    assert anonymise(trajectory=trajectory, participant=participant) == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_a_raw_update_and_delete(entry, participant):
    for sql in (
        "UPDATE audit_auditentry SET summary = 'vervalst'",
        "UPDATE audit_auditentry SET actor_label = ''",
        "UPDATE audit_auditentry SET action = 'member_added'",
        "DELETE FROM audit_auditentry",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
    assert AuditEntry.objects.get().summary == "Anouk de Vries"
    # What deleting a representative does (SET_NULL) passes.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET participant_id = NULL")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_purge_is_for_the_trajectory_being_deleted_only(entry, other_trajectory):
    kept = audit.record(trajectory=other_trajectory, action=Action.MEMBER_ADDED)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            other = factories.make_trajectory()
            other.delete()  # opens the door for `other`, not for the entries below
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [kept.pk])
    assert AuditEntry.objects.count() == 2

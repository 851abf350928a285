"""The interests' own audit trail moves into the trajectory's log: every event, once, as it was."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

# Trajectories back to 0006 too: a later migration of theirs (a NOT NULL column) would refuse
# the rows the historical models below create.
BEFORE = [
    ("audit", "0002_append_only_trigger"),
    ("interests", "0008_interest_moves"),
    ("trajectories", "0006_version_db_default"),
]
AFTER = [("interests", "0009_audit_moved_to_audit_log")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _latest_schema_afterwards():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_interest_audit_events_become_audit_entries():
    old = _migrate(BEFORE)
    User = old.get_model("auth", "User")
    anna = User.objects.create(username="anna", first_name="Anna", last_name="Bakker")
    gone = User.objects.create(username="gone")
    Trajectory = old.get_model("trajectories", "Trajectory")
    trajectory = Trajectory.objects.create(name="Traject")
    other = Trajectory.objects.create(name="Ander traject")
    old.get_model("trajectories", "Membership").objects.create(
        trajectory=trajectory, user=anna, role="facilitator"
    )
    partner = old.get_model("trajectories", "Partner").objects.create(
        trajectory=trajectory, name="Gemeente"
    )
    Round = old.get_model("interests", "InterestRound")
    round = Round.objects.create(trajectory=trajectory, title="Ronde 1", phase=trajectory.phase)
    other_round = Round.objects.create(trajectory=other, title="Elders", phase=other.phase)
    interest = old.get_model("interests", "Interest").objects.create(
        round=round, partner=partner, statement="Sneller een woning " + "x" * 200
    )
    Event = old.get_model("interests", "AuditEvent")
    at = datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC)
    Event.objects.create(trajectory=trajectory, round=round, action="round_opened", by=anna, at=at)
    Event.objects.create(
        trajectory=trajectory,
        round=round,
        interest=interest,
        action="tier_raised",
        from_value="facilitator",
        to_value="anonymous",
        by=anna,
        at=at + datetime.timedelta(hours=1),
    )
    Event.objects.create(
        trajectory=trajectory, round=round, action="round_revealed", by=None, at=at
    )
    Event.objects.create(trajectory=other, round=other_round, action="round_closed", by=gone, at=at)

    new = _migrate(AFTER)

    Entry = new.get_model("audit", "AuditEntry")
    assert Entry.objects.count() == 4
    tier = Entry.objects.get(action="tier_changed")
    assert (tier.trajectory_id, tier.at, tier.actor_id, tier.partner_id) == (
        trajectory.pk,
        at + datetime.timedelta(hours=1),
        anna.pk,
        partner.pk,
    )
    assert (tier.actor_role, tier.actor_label) == ("facilitator", "Procesbegeleider Anna Bakker")
    assert (tier.subject_type, tier.subject_id) == ("interests.interest", interest.pk)
    assert tier.details == {"round": round.pk, "from": "facilitator", "to": "anonymous"}
    assert tier.summary.startswith("Sneller een woning") and len(tier.summary) == 120
    opened = Entry.objects.get(action="round_opened")
    assert (opened.subject_type, opened.subject_id, opened.summary, opened.partner_id) == (
        "interests.interestround",
        round.pk,
        "Ronde 1",
        None,
    )
    revealed = Entry.objects.get(action="interests_revealed")
    assert (revealed.actor_id, revealed.actor_label) == (None, "")
    closed = Entry.objects.get(action="round_closed")
    assert (closed.trajectory_id, closed.actor_label, closed.actor_role) == (other.pk, "gone", "")
    assert "interests_auditevent" not in connection.introspection.table_names()

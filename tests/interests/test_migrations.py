"""The move from `form_key` to `submission_key` keeps the keys of earlier submits."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("interests", "0003_versioned")]
AFTER = [("interests", "0004_submission_key")]


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


def test_stored_form_keys_become_submission_keys():
    old = _migrate(BEFORE)
    trajectory = old.get_model("trajectories", "Trajectory").objects.create(name="Traject")
    partner = old.get_model("trajectories", "Partner").objects.create(
        trajectory=trajectory, name="Gemeente"
    )
    round = old.get_model("interests", "InterestRound").objects.create(
        trajectory=trajectory, title="Ronde", phase=trajectory.phase
    )
    key = uuid.uuid4()
    old.get_model("interests", "Interest").objects.create(
        round=round, partner=partner, statement="Eerder verstuurd", form_key=key
    )
    new = _migrate(AFTER)
    assert new.get_model("interests", "Interest").objects.get().submission_key == key

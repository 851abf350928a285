"""Retention: a completed trajectory past its period keeps no participant's name or address.

The check reads every column of every table in the database (not a list of fields this test
knows), so a column that a later model adds and the anonymisation forgets makes it fail.
"""

from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from reports.models import Report
from tests import factories
from trajectories import retention
from trajectories.models import InviteLink, Membership, Participant, Trajectory
from workshops.models import Attendance, DotVote, Knock

pytestmark = pytest.mark.django_db


def _database_text() -> str:
    """Every value of every column of every table, as one text to search."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 (names from introspection)
            for row in cursor.fetchall():
                parts.extend(str(value) for value in row if value is not None)
    return "\n".join(parts)


def _close(trajectory, *, months_ago, retention_months=24):
    Trajectory.objects.filter(pk=trajectory.pk).update(
        status=Trajectory.Status.CLOSED,
        closed_at=timezone.now() - timedelta(days=31 * months_ago),
        retention_months=retention_months,
    )
    trajectory.refresh_from_db()
    return trajectory


@pytest.fixture
def demo():
    """The demo trajectory (every app's demo data), with a knock waiting, an admitted knock,
    invite links, a rendered report and the admin's history of a representative."""
    call_command("load_demo", verbosity=0)
    trajectory = Trajectory.objects.get(memberships__user__username="demo")
    workshop = trajectory.workshops.order_by("pk").first()
    partner = trajectory.partners.order_by("pk").first()
    Knock.objects.create(
        workshop=workshop,
        partner=partner,
        name="Kees Kloppertje",
        email="kees@kloppen.example",
        secret_hash="1" * 64,
    )
    admitted = factories.make_participant(partner, "Ada Aangeklopt", email="ada@klop.example")
    Knock.objects.create(
        workshop=workshop,
        partner=partner,
        name="Ada Aangeklopt",
        email="ada@klop.example",
        secret_hash="2" * 64,
        status=Knock.Status.ADMITTED,
        participant=admitted,
    )
    Attendance.objects.get_or_create(workshop=workshop, participant=admitted)
    participants = list(Participant.objects.filter(partner__trajectory=trajectory))
    for person in participants:
        factories.make_invite(person)
        if not person.email:
            Participant.objects.filter(pk=person.pk).update(email=f"p{person.pk}@deelnemer.example")
    LogEntry.objects.create(
        user=trajectory.memberships.first().user,
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=str(participants[0].pk),
        object_repr=str(participants[0]),
        action_flag=ADDITION,
    )
    Report.objects.create(trajectory=trajectory, audience="facilitator", snapshot={"x": 1})
    return trajectory


def _personal_data(trajectory) -> list[str]:
    people = Participant.objects.filter(partner__trajectory=trajectory)
    knocks = Knock.objects.filter(workshop__trajectory=trajectory)
    values = set(people.values_list("name", flat=True)) | set(
        people.values_list("email", flat=True)
    )
    values |= set(knocks.values_list("name", flat=True)) | set(
        knocks.values_list("email", flat=True)
    )
    return sorted(v for v in values if v)


def _found(values) -> list[str]:
    text = _database_text()
    return [value for value in values if value in text]


def test_nothing_of_an_expired_trajectorys_people_is_left_in_the_database(demo):
    personal = _personal_data(demo)
    assert len(personal) > 10
    # The search sees them all before: it could find one left behind.
    assert _found(personal) == personal
    dots = DotVote.objects.filter(item__workshop__trajectory=demo).count()
    attendances = Attendance.objects.filter(workshop__trajectory=demo).count()
    members = Membership.objects.filter(trajectory=demo).count()
    _close(demo, months_ago=25)

    result = retention.apply_retention()

    assert result.anonymised == [demo.pk]
    assert _found(personal) == []
    demo.refresh_from_db()
    assert demo.anonymised_at is not None
    names = list(
        Participant.objects.filter(partner=demo.partners.order_by("pk").first())
        .order_by("pk")
        .values_list("name", flat=True)
    )
    assert names == [f"Deelnemer {n}" for n in range(1, len(names) + 1)]
    assert not InviteLink.objects.filter(participant__partner__trajectory=demo).exists()
    assert not Knock.objects.filter(workshop__trajectory=demo).exists()
    assert not Report.objects.filter(trajectory=demo).exists()
    # Votes, attendance and memberships still count; the content stays.
    assert DotVote.objects.filter(item__workshop__trajectory=demo).count() == dots
    assert Attendance.objects.filter(workshop__trajectory=demo).count() == attendances
    assert Membership.objects.filter(trajectory=demo).count() == members
    assert demo.interest_rounds.filter(interests__isnull=False).exists()


def test_a_missed_column_makes_the_check_fail(demo, monkeypatch):
    """The check is not blind: leave the admin's history alone and the name is found there."""
    personal = _personal_data(demo)
    monkeypatch.setattr(retention, "_scrub_admin_history", lambda names: None)
    _close(demo, months_ago=25)
    retention.apply_retention()
    assert _found(personal) != []


def test_a_second_run_changes_nothing(demo, mailoutbox):
    _close(demo, months_ago=25)
    retention.apply_retention()
    before = _database_text()
    result = retention.apply_retention()
    assert (result.anonymised, result.warned) == ([], [])
    assert _database_text() == before
    call_command("apply_retention", stdout=open("/dev/null", "w"))
    assert _database_text() == before
    assert mailoutbox == []


def test_facilitators_are_warned_once_30_days_ahead(demo, mailoutbox):
    # 23 months and a few days ago with 24 months' retention: within 30 days of the end.
    Trajectory.objects.filter(pk=demo.pk).update(
        status=Trajectory.Status.CLOSED,
        closed_at=timezone.now() - timedelta(days=31 * 24 - 35),
    )
    before = _personal_data(demo)
    assert retention.apply_retention().warned == [demo.pk]
    assert retention.apply_retention().warned == []
    call_command("apply_retention", stdout=open("/dev/null", "w"))
    assert len(mailoutbox) == 1
    facilitators = Membership.objects.filter(trajectory=demo, role=Membership.Role.FACILITATOR)
    assert sorted(mailoutbox[0].to) == sorted(m.user.email for m in facilitators if m.user.email)
    assert demo.name in mailoutbox[0].subject
    # Warned, not anonymised.
    assert _found(before) == before


def test_a_trajectory_not_yet_past_is_untouched(demo, mailoutbox):
    _close(demo, months_ago=3)
    before = _database_text()
    result = retention.apply_retention()
    assert (result.anonymised, result.warned) == ([], [])
    assert _database_text() == before
    assert mailoutbox == []


def test_an_active_trajectory_is_never_anonymised(demo):
    Trajectory.objects.filter(pk=demo.pk).update(created_at=timezone.now() - timedelta(days=3650))
    assert retention.apply_retention().anonymised == []


def test_the_task_runs_the_same_service(demo):
    from trajectories.tasks import apply_retention

    _close(demo, months_ago=30)
    assert apply_retention() == {"anonymised": [demo.pk], "warned": [], "failed": []}
    assert apply_retention() == {"anonymised": [], "warned": [], "failed": []}


def test_the_beat_schedule_runs_it_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert entry["task"] == "trajectories.tasks.apply_retention"
    assert entry["schedule"].remaining_estimate(timezone.now()) <= timedelta(days=1)


def test_completing_starts_the_clock_and_reopening_stops_it(trajectory):
    from trajectories import services

    services.trajectory_update(
        trajectory=trajectory, seen_version=None, status=Trajectory.Status.CLOSED
    )
    trajectory.refresh_from_db()
    assert trajectory.closed_at is not None
    closed_at = trajectory.closed_at
    services.trajectory_update(trajectory=trajectory, seen_version=None, name="Nieuw")
    trajectory.refresh_from_db()
    assert trajectory.closed_at == closed_at
    services.trajectory_update(
        trajectory=trajectory, seen_version=None, status=Trajectory.Status.ACTIVE
    )
    trajectory.refresh_from_db()
    assert trajectory.closed_at is None

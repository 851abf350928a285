"""The health pages take the same number of queries for a small and a large trajectory."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from health.models import DiagnosisDecision, InterimChange, Pulse, Risk, Stakeholder
from health.report import progress_section
from health.statements import Topic
from health.summary import trajectory_summary
from tests import factories
from trajectories.access import Viewer
from trajectories.models import Participant

from .helpers import answered_pulse, people

pytestmark = pytest.mark.django_db
L = Participant.Level


def fill(trajectory, *, partners: int, pulses: int):
    made = [factories.make_partner(trajectory, f"Partner {i}") for i in range(partners)]
    respondents = []
    for i, partner in enumerate(made):
        respondents += people(partner, 2, [L.BOARD, L.MANAGER, L.PROFESSIONAL][i % 3])
    scores = {Topic.INTENTION: 5, Topic.ACTION: 2}
    for n in range(pulses):
        pulse = answered_pulse(trajectory, respondents, scores, title=f"Peiling {n}")
        DiagnosisDecision.objects.create(pulse=pulse, rule="sham", status="confirmed", note="ja")
    today = timezone.localdate()
    for i, partner in enumerate(made):
        InterimChange.objects.create(
            trajectory=trajectory,
            kind="other",
            title=f"Wijziging {i}",
            partner=partner,
            occurred_on=today,
        )
        Risk.objects.create(
            trajectory=trajectory,
            category="policy",
            title=f"Risico {i}",
            likelihood=1 + i % 5,
            impact=1 + (i * 2) % 5,
            owner=partner,
            review_on=today - timezone.timedelta(days=i),
        )
        Stakeholder.objects.create(
            trajectory=trajectory,
            name=f"Partij {i}",
            partner=partner,
            attitude="resisting",
            shared_concern=bool(i % 2),
        )
    return made


def count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response


PAGES = ["", "veranderingen/", "risicos/", "krachtenveld/"]


@pytest.mark.parametrize("page", PAGES)
def test_member_pages_do_not_grow_with_partners_and_pulses(
    client, facilitator, trajectory, other_trajectory, page
):
    client.force_login(facilitator)
    fill(trajectory, partners=2, pulses=1)
    small, _ = count(client, f"/t/{trajectory.pk}/gezondheid/{page}")
    fill(other_trajectory, partners=12, pulses=10)
    other_trajectory.memberships.create(user=facilitator, role="facilitator")
    large, response = count(client, f"/t/{other_trajectory.pk}/gezondheid/{page}")
    assert small == large
    if page == "":
        assert "Schijnsamenwerking" in response.content.decode()


def test_health_page_counts_are_exact(django_assert_num_queries, facilitator_client, trajectory):
    fill(trajectory, partners=12, pulses=10)
    # user, membership (the session comes from the cache); pulses, partners, 2 result queries,
    # decisions; risks, stakeholders, changes
    with django_assert_num_queries(10):
        facilitator_client.get(f"/t/{trajectory.pk}/gezondheid/")


def test_pulse_page_does_not_grow(client, facilitator, trajectory, other_trajectory):
    client.force_login(facilitator)
    fill(trajectory, partners=2, pulses=1)
    small, _ = count(
        client,
        f"/t/{trajectory.pk}/gezondheid/pulsen/{Pulse.objects.filter(trajectory=trajectory).last().pk}/",
    )
    fill(other_trajectory, partners=12, pulses=10)
    other_trajectory.memberships.create(user=facilitator, role="facilitator")
    last = Pulse.objects.filter(trajectory=other_trajectory).last()
    large, _ = count(client, f"/t/{other_trajectory.pk}/gezondheid/pulsen/{last.pk}/")
    assert small == large


def test_trajectory_overview_summary_does_not_grow(
    client, facilitator, trajectory, other_trajectory
):

    fill(trajectory, partners=2, pulses=1)
    fill(other_trajectory, partners=12, pulses=10)
    counts = []
    for t in (trajectory, other_trajectory):
        with CaptureQueriesContext(connection) as ctx:
            summary = trajectory_summary(Viewer(trajectory=t, role="facilitator"))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert summary["overdue_count"] == 11  # all but the one reviewed today


def test_report_section_does_not_grow(trajectory, other_trajectory):

    fill(trajectory, partners=2, pulses=1)
    fill(other_trajectory, partners=12, pulses=10)
    counts = []
    for t in (trajectory, other_trajectory):
        with CaptureQueriesContext(connection) as ctx:
            render_to_string(
                "health/report/_progress.html", {"section": progress_section(t, audience="manager")}
            )
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]

import pytest

from improvements.selectors import follow_up_groups
from improvements.summary import trajectory_summary
from tests import factories
from tests.improvements.helpers import days, make_action
from trajectories.access import Viewer

pytestmark = pytest.mark.django_db


def test_participant_marks_own_action_done_in_one_post(participant_client, trajectory, partner):
    action = make_action(trajectory, partner, due=days(3))
    response = participant_client.post(
        f"/t/{trajectory.pk}/verbeteringen/opvolging/{action.pk}/status/",
        {"status": "done"},
        headers={"HX-Request": "true"},
    )
    action.refresh_from_db()
    body = response.content.decode()
    assert action.status == "done" and action.done_at is not None
    assert f'id="action-{action.pk}"' in body and "<html" not in body
    assert "Heropenen" in body


def test_without_javascript_the_update_redirects_back_with_a_message(
    participant_client, trajectory, partner
):
    action = make_action(trajectory, partner)
    response = participant_client.post(
        f"/t/{trajectory.pk}/verbeteringen/opvolging/{action.pk}/status/",
        {"status": "in_progress"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/t/{trajectory.pk}/verbeteringen/opvolging/"
    assert "is nu:" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "in_progress"


def test_participant_cannot_update_another_partners_action(participant_client, trajectory):
    other = factories.make_partner(trajectory, "GGZ Oost")
    action = make_action(trajectory, other)
    response = participant_client.post(
        f"/t/{trajectory.pk}/verbeteringen/opvolging/{action.pk}/status/", {"status": "done"}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == "open"
    page = participant_client.get(f"/t/{trajectory.pk}/verbeteringen/opvolging/").content.decode()
    assert f"/opvolging/{action.pk}/status/" not in page


def test_unknown_status_changes_nothing(facilitator_client, trajectory, partner):
    action = make_action(trajectory, partner)
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/verbeteringen/opvolging/{action.pk}/status/",
        {"status": "<b>gone</b>"},
        follow=True,
    )
    assert "Die status is onbekend" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open"


def test_open_overdue_and_done_are_counted_per_partner(trajectory, partner):
    other = factories.make_partner(trajectory, "GGZ Oost")
    make_action(trajectory, partner, due=days(-2), title="Te laat")
    make_action(trajectory, partner, due=days(5))
    make_action(trajectory, partner, status="done")
    make_action(trajectory, other, due=days(-1))
    make_action(trajectory, None)
    make_action(trajectory, other, status="cancelled")
    groups = {g.partner.name if g.partner else None: g.counts for g in follow_up_groups(trajectory)}
    assert groups["Gemeente Rivierstad"] == {"open": 1, "overdue": 1, "done": 1}
    assert groups["GGZ Oost"] == {"open": 0, "overdue": 1, "done": 0}
    assert groups[None] == {"open": 1, "overdue": 0, "done": 0}


def test_trajectory_overview_shows_follow_up_per_partner(facilitator_client, trajectory, partner):
    make_action(trajectory, partner, due=days(-2))
    body = facilitator_client.get(f"/t/{trajectory.pk}/").content.decode()
    assert "Actiepunten per partner" in body
    assert "Over tijd" in body


def test_summary_takes_a_fixed_number_of_queries(
    django_assert_num_queries, trajectory, facilitator
):
    viewer = Viewer(trajectory=trajectory, role="facilitator", user=facilitator)
    partners = [factories.make_partner(trajectory, f"P{i}") for i in range(12)]
    for i in range(40):
        make_action(trajectory, partners[i % 12], due=days(i - 20))
    with django_assert_num_queries(4):
        trajectory_summary(viewer)

"""Progress counts tell each viewer only about interests that viewer may see.

The check: what a manager or participant sees must not change when interests they may not see
are added (facilitator-only entries, drafts, another partner's entries before the reveal), nor
when an anonymous interest belongs to another partner.
"""

import pytest
from django.template.loader import render_to_string

from interests import services
from interests.models import Interest
from interests.summary import trajectory_summary
from trajectories.access import PARTICIPANT, Viewer

from .conftest import make_interest

pytestmark = pytest.mark.django_db


def _progress(html: str) -> str:
    return html[html.index('id="progress-heading"') : html.index('id="incoming"')]


def _summary(html: str) -> str:
    start = html.index('id="interests-summary-heading"')
    return html[start : html.index("</section>", start)]


def _add_hidden(round, participant, other_participant):
    """Entries no manager may see (written directly: a revealed round takes no new input)."""
    for partner, statement, tier, status in (
        (other_participant.partner, "Alleen begeleider", "facilitator", "submitted"),
        (other_participant.partner, "Nog een concept", "named", "draft"),
        (participant.partner, "Eigen geheim", "facilitator", "submitted"),
    ):
        Interest.objects.create(
            round=round, partner=partner, statement=statement, tier=tier, status=status
        )


def _reveal(round, facilitator):
    services.round_reveal(round=round, by=facilitator)


def test_manager_round_page_and_overview_count_only_shared_interests(
    manager_client, trajectory, open_round, participant, other_participant, facilitator
):
    make_interest(open_round, participant, "Gedeeld met naam")
    make_interest(open_round, other_participant, "Gedeeld zonder naam", tier="anonymous")
    _reveal(open_round, facilitator)
    round_url = f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/"
    before = (
        _progress(manager_client.get(round_url).content.decode()),
        _summary(manager_client.get(f"/t/{trajectory.pk}/").content.decode()),
    )
    _add_hidden(open_round, participant, other_participant)
    after = (
        _progress(manager_client.get(round_url).content.decode()),
        _summary(manager_client.get(f"/t/{trajectory.pk}/").content.decode()),
    )
    assert after == before
    # The anonymous interest is counted apart, never under its partner.
    assert other_participant.partner.name not in before[0]


def test_manager_cannot_tell_whose_anonymous_interest_it_is(
    manager_client, trajectory, open_round, participant, other_participant, facilitator
):
    make_interest(open_round, participant, "Gedeeld met naam")
    anonymous = make_interest(open_round, participant, "Zonder naam", tier="anonymous")
    _reveal(open_round, facilitator)
    round_url = f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/"
    mine = _progress(manager_client.get(round_url).content.decode())
    Interest.objects.filter(pk=anonymous.pk).update(partner=other_participant.partner)
    theirs = _progress(manager_client.get(round_url).content.decode())
    assert mine == theirs


def test_manager_sees_no_counts_before_the_reveal(
    manager_client, trajectory, open_round, participant, other_participant
):
    round_url = f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/"
    before = _progress(manager_client.get(round_url).content.decode())
    make_interest(open_round, participant, "Gedeeld met naam")
    _add_hidden(open_round, participant, other_participant)
    after = _progress(manager_client.get(round_url).content.decode())
    assert after == before


def _participant_summary(trajectory, participant) -> str:
    # Rendered directly: the participant's overview page is the trajectories app's.
    viewer = Viewer(trajectory=trajectory, role=PARTICIPANT, participant=participant)
    return render_to_string(
        "interests/_trajectory_summary.html", {"summary": trajectory_summary(viewer)}
    )


def test_participant_counts_only_the_own_organisation(
    participant_client, trajectory, open_round, participant, other_participant
):
    make_interest(open_round, participant, "Gedeeld met naam")
    intake = f"/t/{trajectory.pk}/belangen/"
    before = (
        _participant_summary(trajectory, participant),
        participant_client.get(intake).content.decode(),
    )
    make_interest(open_round, other_participant, "Alleen begeleider", tier="facilitator")
    make_interest(open_round, other_participant, "Concept", submit=False)
    make_interest(open_round, other_participant, "Gedeeld, nog niet onthuld", tier="named")
    after = (
        _participant_summary(trajectory, participant),
        participant_client.get(intake).content.decode(),
    )
    assert after[0] == before[0]
    assert after[1].count("<article") == before[1].count("<article")


def test_facilitator_still_sees_every_count(
    facilitator_client, trajectory, open_round, participant, other_participant
):
    make_interest(open_round, participant, "Gedeeld met naam")
    _add_hidden(open_round, participant, other_participant)
    html = facilitator_client.get(f"/t/{trajectory.pk}/belangen/").content.decode()
    progress = _progress(html)
    other = progress[progress.index(other_participant.partner.name) :][:300]
    assert other.count("<td>1</td>") == 2  # one submitted (facilitator only), one draft

"""Nobody sees answers of fewer than three people: not in tables, charts, cuts or reports."""

import pytest

from health import services
from health.charts import profile_svg, trend_svg
from health.models import Pulse
from health.report import progress_section
from health.selectors import MIN_GROUP, TrajectoryResults
from health.statements import Topic
from tests import factories
from trajectories.models import Participant

from .helpers import answered_pulse, answers, people

pytestmark = pytest.mark.django_db
L = Participant.Level


def test_the_floor_is_three_people():
    assert MIN_GROUP == 3


@pytest.mark.parametrize("n, shown", [(0, False), (1, False), (2, False), (3, True), (4, True)])
def test_overall_results_appear_from_three_answers_on(trajectory, partner, n, shown):
    pulse = answered_pulse(trajectory, people(partner, n), {Topic.INTENTION: 5})
    cell = TrajectoryResults(trajectory).overall(pulse.pk)
    assert cell.respondents == n
    assert (cell.mean(Topic.INTENTION) == 5.0) is shown
    if not shown:
        assert all(value is None for value in cell.means.values())


def test_a_partner_with_two_answers_is_shown_as_too_few(trajectory, partner):
    other = factories.make_partner(trajectory, "Woonstichting De Linge")
    pulse = answered_pulse(trajectory, people(partner, 3) + people(other, 2), {Topic.ACTION: 2})
    cuts = dict(
        (p.pk, cell)
        for p, cell in TrajectoryResults(trajectory).by_partner(pulse.pk, [partner, other])
    )
    assert cuts[other.pk].too_few and cuts[other.pk].mean(Topic.ACTION) is None
    # Everyone (5) minus the visible partner (3) would reveal the other two: hidden as well.
    assert cuts[partner.pk].protected and cuts[partner.pk].mean(Topic.ACTION) is None


def test_protection_hides_only_as_much_as_needed(trajectory, partner):
    second = factories.make_partner(trajectory, "Tweede")
    third = factories.make_partner(trajectory, "Derde")
    pulse = answered_pulse(trajectory, people(partner, 5) + people(second, 3) + people(third, 1))
    cuts = {
        p.name: cell
        for p, cell in TrajectoryResults(trajectory).by_partner(pulse.pk, [partner, second, third])
    }
    assert cuts["Derde"].too_few
    assert cuts["Tweede"].protected  # the smallest visible group
    assert cuts["Gemeente Rivierstad"].visible


def test_levels_below_the_floor_are_hidden(trajectory, partner):
    group = [(p, {Topic.TRUST: 5}) for p in people(partner, 3, L.PROFESSIONAL)]
    group += [(p, {Topic.TRUST: 1}) for p in people(partner, 3, L.MANAGER)]
    group += [(p, {Topic.TRUST: 1}) for p in people(partner, 1, L.BOARD)]
    pulse = answered_pulse(trajectory, group)
    levels = dict(TrajectoryResults(trajectory).by_level(pulse.pk))
    assert levels["board"].too_few
    assert levels["manager"].protected or levels["professional"].protected
    assert not (levels["manager"].visible and levels["professional"].visible)


def test_charts_say_too_few_answers_instead_of_a_value():
    svg = str(
        profile_svg(
            [("Iedereen", {Topic.INTENTION: None, Topic.ACTION: None, Topic.CONNECTION: None})],
            title="T",
        )
    )
    assert "too few answers" in svg or "te weinig antwoorden" in svg
    assert "<rect" not in svg.split("</desc>")[1]
    trend = str(
        trend_svg(
            [
                {
                    "label": "P1",
                    "means": {Topic.INTENTION: None, Topic.ACTION: None, Topic.CONNECTION: None},
                }
            ],
            title="T",
        )
    )
    assert "polyline" not in trend
    assert "too few answers" in trend or "te weinig antwoorden" in trend


def test_the_page_and_the_report_never_show_values_of_two_people(
    facilitator_client, trajectory, partner
):
    answered_pulse(
        trajectory, people(partner, 2), {Topic.INTENTION: 5, Topic.ACTION: 1}, title="Klein"
    )
    page = facilitator_client.get(f"/t/{trajectory.pk}/gezondheid/").content.decode()
    assert "te weinig antwoorden" in page
    assert "5,0" not in page and "1,0" not in page
    for audience in ("facilitator", "manager"):
        section = progress_section(trajectory, audience=audience)
        assert section["overall"].mean(Topic.INTENTION) is None
        assert section["findings"] == []


def test_remarks_stay_hidden_below_three_people_and_never_carry_names(
    facilitator_client, trajectory, partner
):

    pulse = services.pulse_create(trajectory=trajectory, title="Opmerkingen", open_now=True)
    persons = people(partner, 3)
    services.response_submit(
        pulse=pulse, participant=persons[0], answers=answers(remark="Geheime opmerking")
    )
    services.response_submit(pulse=pulse, participant=persons[1], answers=answers())
    url = f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/"
    assert "Geheime opmerking" not in facilitator_client.get(url).content.decode()
    services.response_submit(pulse=pulse, participant=persons[2], answers=answers())
    page = facilitator_client.get(url).content.decode()
    assert "Geheime opmerking" in page
    assert persons[0].name not in page
    assert Pulse.objects.get(pk=pulse.pk).responses.count() == 3


def test_managers_never_see_remarks(manager_client, trajectory, partner):

    pulse = services.pulse_create(trajectory=trajectory, title="Opmerkingen", open_now=True)
    for person in people(partner, 3):
        services.response_submit(
            pulse=pulse, participant=person, answers=answers(remark="Alleen voor de begeleider")
        )
    page = manager_client.get(f"/t/{trajectory.pk}/gezondheid/pulsen/{pulse.pk}/").content.decode()
    assert "Alleen voor de begeleider" not in page

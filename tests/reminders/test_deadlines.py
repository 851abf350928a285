"""Closing dates: the facilitator sets them; pages say what is due and overdue, per partner."""

import datetime

import pytest
from django.utils import timezone

from health.models import Pulse
from improvements.models import ImprovementPackage, Position, Proposal
from interests.models import InterestRound
from reminders.deadlines import DEADLINES, due_state
from tests import factories
from workshops.models import ActionItem

from .conftest import open_round, submit_interests

DAY = datetime.timedelta(days=1)


def _url(obj):
    from reminders.deadlines import edit_url

    return edit_url(obj)


@pytest.fixture
def objects(trajectory):
    round = open_round(trajectory, closes_in=None)
    proposal = Proposal.objects.create(trajectory=trajectory, title="Eén loket")
    package = ImprovementPackage.objects.create(trajectory=trajectory, title="Pakket 2027")
    package.proposals.set([proposal])
    pulse = Pulse.objects.create(trajectory=trajectory, title="Puls", status=Pulse.Status.OPEN)
    return {"ronde": round, "voorstel": proposal, "pakket": package, "puls": pulse}


@pytest.mark.parametrize("kind", list(DEADLINES))
def test_the_facilitator_sets_changes_and_clears_a_closing_date(
    facilitator_client, objects, kind, today
):
    obj = objects[kind]
    field = DEADLINES[kind].field
    page = facilitator_client.get(_url(obj))
    assert page.status_code == 200
    assert 'type="date"' in page.content.decode()

    response = facilitator_client.post(_url(obj), {"due_on": (today + 3 * DAY).isoformat()})
    assert response.status_code == 302
    assert response["Location"] == obj.get_absolute_url()
    obj.refresh_from_db()
    assert getattr(obj, field) == today + 3 * DAY

    facilitator_client.post(_url(obj), {"due_on": ""})
    obj.refresh_from_db()
    assert getattr(obj, field) is None


@pytest.mark.parametrize("kind", list(DEADLINES))
def test_a_date_in_the_past_is_refused_with_a_clear_message(
    facilitator_client, objects, kind, today
):
    obj = objects[kind]
    response = facilitator_client.post(_url(obj), {"due_on": (today - DAY).isoformat()})
    assert response.status_code == 422
    html = response.content.decode()
    assert "een sluitingsdatum kan niet in het verleden liggen" in html
    assert 'aria-invalid="true"' in html
    obj.refresh_from_db()
    assert getattr(obj, DEADLINES[kind].field) is None


def test_a_passed_date_may_stay_when_the_form_is_saved_again(facilitator_client, objects, today):
    round = objects["ronde"]
    InterestRound.objects.filter(pk=round.pk).update(closes_on=today - 2 * DAY)
    response = facilitator_client.post(_url(round), {"due_on": (today - 2 * DAY).isoformat()})
    assert response.status_code == 302


@pytest.mark.parametrize("value", ["31-02-2027", "<script>alert(1)</script>", "9" * 300])
def test_nonsense_is_refused_and_escaped(facilitator_client, objects, value):
    response = facilitator_client.post(_url(objects["ronde"]), {"due_on": value})
    assert response.status_code == 422
    assert "<script>alert" not in response.content.decode()


def test_a_closed_pulse_or_adopted_package_asks_no_date(facilitator_client, objects):
    pulse = objects["puls"]
    Pulse.objects.filter(pk=pulse.pk).update(status=Pulse.Status.CLOSED)
    response = facilitator_client.post(_url(pulse), {"due_on": ""}, follow=True)
    assert "er valt geen datum in te stellen" in response.content.decode()


def test_managers_and_participants_may_not_set_dates(
    manager_client, client, objects, participant, today
):
    url = _url(objects["ronde"])
    assert manager_client.post(url, {"due_on": today.isoformat()}).status_code == 403
    factories.login_participant(client, participant)
    assert client.post(url, {"due_on": today.isoformat()}).status_code == 403
    objects["ronde"].refresh_from_db()
    assert objects["ronde"].closes_on is None


def test_another_trajectorys_round_is_not_found(facilitator_client, trajectory, other_trajectory):
    theirs = open_round(other_trajectory)
    url = f"/t/{trajectory.pk}/termijnen/ronde/{theirs.pk}/"
    assert facilitator_client.post(url, {"due_on": ""}).status_code == 404


def test_a_round_is_created_with_a_closing_date(facilitator_client, trajectory, today):
    from interests.forms import RoundForm

    key = RoundForm().initial.get("submission_key") or RoundForm()["submission_key"].value()
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/belangen/rondes/nieuw/",
        {
            "title": "Ronde voorjaar",
            "phase": trajectory.phase,
            "min_per_partner": 3,
            "closes_on": (today + 5 * DAY).isoformat(),
            "submission_key": key,
        },
    )
    assert response.status_code == 302
    assert InterestRound.objects.get(title="Ronde voorjaar").closes_on == today + 5 * DAY


def test_a_pulse_created_with_a_past_date_is_refused(facilitator_client, trajectory, today):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/gezondheid/pulsen/nieuw/",
        {"title": "Puls winter", "closes_on": (today - DAY).isoformat(), "open_now": "on"},
    )
    assert response.status_code == 422
    assert not Pulse.objects.filter(title="Puls winter").exists()


# --- what the pages show ---------------------------------------------------------------------


def test_the_round_page_names_the_partners_behind_and_when_it_closes(
    facilitator_client, trajectory, partner, today
):
    ahead = factories.make_partner(trajectory, "Woonstichting Vooruit")
    round = open_round(trajectory, closes_in=2, asked=2)
    submit_interests(round, ahead, 2)
    submit_interests(round, partner, 1)
    html = facilitator_client.get(round.get_absolute_url()).content.decode()
    behind = html[html.index('class="behind"') :][:600]
    assert "1 partner heeft minder belangen ingevoerd dan gevraagd" in behind
    assert partner.name in behind and ahead.name not in behind
    assert f'<time datetime="{(today + 2 * DAY).isoformat()}">' in behind
    assert "nog 2 dagen" in behind


def test_the_package_page_lists_missing_positions_per_partner(
    facilitator_client, trajectory, partner, today
):
    other = factories.make_partner(trajectory, "Woonstichting Vooruit")
    proposal = Proposal.objects.create(trajectory=trajectory, title="Eén loket")
    package = ImprovementPackage.objects.create(
        trajectory=trajectory, title="Pakket", positions_due_on=today
    )
    package.proposals.set([proposal])
    Position.objects.create(proposal=proposal, partner=other, stance="supports", mandate="agreed")
    html = facilitator_client.get(package.get_absolute_url()).content.decode()
    missing = html[html.index("Standpunten die nog ontbreken") :][:800]
    assert partner.name in missing and other.name not in missing
    assert "uiterlijk vandaag" in missing


def test_the_pulse_page_shows_answers_per_partner_and_its_date(
    facilitator_client, trajectory, participant, today
):
    pulse = Pulse.objects.create(
        trajectory=trajectory, title="Puls", status=Pulse.Status.OPEN, closes_on=today - DAY
    )
    html = facilitator_client.get(pulse.get_absolute_url()).content.decode()
    assert "0 van 1 vertegenwoordigers hebben geantwoord" in html
    assert "verlopen sinds" in html and "⚠" in html


def test_the_participant_sees_the_dates_of_their_own_work(client, trajectory, participant, today):
    open_round(trajectory, closes_in=1)
    ActionItem.objects.create(
        trajectory=trajectory,
        title="Huurcontract",
        owner_partner=participant.partner,
        due_date=today - 3 * DAY,
    )
    factories.login_participant(client, participant)
    welcome = client.get(f"/t/{trajectory.pk}/welkom/").content.decode()
    assert "uiterlijk morgen" in welcome  # the round
    assert "was uiterlijk" in welcome  # the action item, as before
    intake = client.get(f"/t/{trajectory.pk}/belangen/").content.decode()
    assert "uiterlijk morgen" in intake
    assert "Datum wijzigen" not in intake and "Datum instellen" not in intake


@pytest.mark.parametrize(
    ("days", "overdue", "today_", "soon"),
    [
        (-1, True, False, False),
        (0, False, True, True),
        (2, False, False, True),
        (3, False, False, False),
    ],
)
def test_due_state(days, overdue, today_, soon):
    state = due_state(timezone.localdate() + datetime.timedelta(days=days))
    assert (state.is_overdue, state.is_today, state.is_soon) == (overdue, today_, soon)


def _open_pulse_page_queries(client, trajectory, *, partners: int, today):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(partners):
        partner = factories.make_partner(trajectory, f"Partner {n}")
        for i in range(3):
            factories.make_participant(partner, f"Vertegenwoordiger {n}-{i}")
    pulse = Pulse.objects.create(
        trajectory=trajectory,
        title=f"Puls {partners}",
        status=Pulse.Status.OPEN,
        closes_on=today,
    )
    url = pulse.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_open_pulse_page_takes_as_many_queries_for_2_and_12_partners(
    client, facilitator, trajectory, other_trajectory, today
):
    client.force_login(facilitator)
    small = _open_pulse_page_queries(client, trajectory, partners=2, today=today)
    client.force_login(other_trajectory.facilitator)
    large = _open_pulse_page_queries(client, other_trajectory, partners=12, today=today)
    assert small == large


def test_a_proposal_asking_positions_by_a_date_is_on_the_welcome_page_until_answered(
    client, trajectory, participant, today
):
    proposal = Proposal.objects.create(
        trajectory=trajectory, title="Eén aanspreekpunt per wijk", positions_due_on=today + DAY
    )
    Proposal.objects.create(
        trajectory=trajectory, title="Lang geleden gevraagd", positions_due_on=today - 40 * DAY
    )
    factories.login_participant(client, participant)
    welcome = client.get(f"/t/{trajectory.pk}/welkom/").content.decode()
    now = welcome[welcome.index('id="now-heading"') : welcome.index("</section>")]
    assert "Eén aanspreekpunt per wijk" in now and "uiterlijk morgen" in now
    assert f"/verbeteringen/voorstellen/{proposal.pk}/" in now
    assert "Lang geleden gevraagd" not in now
    Position.objects.create(
        proposal=proposal, partner=participant.partner, stance="supports", mandate="agreed"
    )
    welcome = client.get(f"/t/{trajectory.pk}/welkom/").content.decode()
    assert "Eén aanspreekpunt per wijk" not in welcome[: welcome.index("</section>")]


def test_the_health_pages_show_an_open_pulses_date(
    client, facilitator_client, trajectory, participant, today
):
    Pulse.objects.create(
        trajectory=trajectory, title="Puls najaar", status=Pulse.Status.OPEN, closes_on=today
    )
    factories.login_participant(client, participant)
    for page in (client, facilitator_client):
        html = page.get(f"/t/{trajectory.pk}/gezondheid/").content.decode()
        assert f'<time datetime="{today.isoformat()}">' in html and "uiterlijk vandaag" in html


def test_simultaneous_submits_of_a_date_end_with_that_date(
    postgres, transactional_db, facilitator, today
):
    from django.test import Client

    from tests.concurrency import post_together

    trajectory = factories.make_trajectory("Gelijktijdig", facilitator=facilitator)
    round = open_round(trajectory, closes_in=None)
    clients = []
    for _ in range(3):
        client = Client()
        client.force_login(facilitator)
        clients.append(client)
    due_on = (today + 4 * DAY).isoformat()
    statuses = post_together(clients, _url(round), {"due_on": due_on})
    assert statuses == [302, 302, 302]
    round.refresh_from_db()
    assert round.closes_on == today + 4 * DAY


def test_the_overview_block_shows_when_the_open_round_closes(facilitator_client, trajectory, today):
    open_round(trajectory, closes_in=2)
    html = facilitator_client.get(f"/t/{trajectory.pk}/").content.decode()
    block = html[html.index('id="interests-summary-heading"') :][:1500]
    assert f'<time datetime="{(today + 2 * DAY).isoformat()}">' in block

import re

import pytest

from coconnect.stale import StaleEdit
from interests.models import InterestRound, Theme
from tests.workshops.conftest import add_item, make_workshop
from workshops import services
from workshops.models import AgendaItem, VoteOption, Workshop

pytestmark = pytest.mark.django_db


def _url(workshop, path=""):
    return f"/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/{path}"


def test_facilitator_plans_a_workshop(facilitator_client, trajectory):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/bijeenkomsten/nieuw/",
        {
            "title": "Tweede sessie",
            "starts_at": "2030-03-04T13:30",
            "place": "Het Wijkhuis",
            "video_url": "",
        },
    )
    workshop = Workshop.objects.get()
    assert response.status_code == 302 and response["Location"] == workshop.get_absolute_url()
    assert workshop.trajectory == trajectory and workshop.is_planned


def test_a_workshop_needs_a_place_or_a_video_link(facilitator_client, trajectory):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/bijeenkomsten/nieuw/",
        {"title": "Nergens", "starts_at": "2030-03-04T13:30"},
    )
    assert response.status_code == 422
    assert "plaats, een videolink" in response.content.decode()
    assert "Nergens" in response.content.decode()
    assert not Workshop.objects.exists()


def test_too_long_title_is_refused_with_the_text_kept(facilitator_client, trajectory):
    title = "Ø" * 201
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/bijeenkomsten/nieuw/",
        {"title": title, "starts_at": "2030-03-04T13:30", "place": "Hier"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert (
        title in html
        and 'aria-invalid="true"' in html
        and 'aria-describedby="id_title_error"' in html
    )


def test_adding_items_puts_them_at_the_end(facilitator_client, workshop):
    for title in ("Check-in", "Belangen"):
        facilitator_client.post(
            _url(workshop, "agenda/toevoegen/"),
            {
                "new-kind": "check_in",
                "new-title": title,
                "new-timebox_minutes": 10,
                "new-dots_per_participant": 3,
            },
        )
    assert list(workshop.items.values_list("title", "position")) == [
        ("Check-in", 1),
        ("Belangen", 2),
    ]


def test_bad_timebox_and_dots_are_refused_with_a_clear_message(facilitator_client, workshop):
    response = facilitator_client.post(
        _url(workshop, "agenda/toevoegen/"),
        {
            "new-kind": "dot_voting",
            "new-title": "Stemmen <b>nu</b>",
            "new-timebox_minutes": 0,
            "new-dots_per_participant": 99,
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Stemmen &lt;b&gt;nu&lt;/b&gt;" in html  # kept, and escaped
    assert html.count('aria-invalid="true"') >= 2
    assert not workshop.items.exists()


def test_unknown_kind_is_refused(facilitator_client, workshop):
    response = facilitator_client.post(
        _url(workshop, "agenda/toevoegen/"),
        {
            "new-kind": "karaoke",
            "new-title": "Zingen",
            "new-timebox_minutes": 5,
            "new-dots_per_participant": 3,
        },
    )
    assert response.status_code == 422 and not workshop.items.exists()


def test_items_move_up_and_down(facilitator_client, workshop):
    first = add_item(workshop, title="Een")
    second = add_item(workshop, title="Twee")
    third = add_item(workshop, title="Drie")
    facilitator_client.post(_url(workshop, f"agenda/{third.pk}/verplaatsen/"), {"direction": "up"})
    assert list(workshop.items.order_by("position").values_list("title", flat=True)) == [
        "Een",
        "Drie",
        "Twee",
    ]
    facilitator_client.post(_url(workshop, f"agenda/{first.pk}/verplaatsen/"), {"direction": "up"})
    assert list(workshop.items.order_by("position").values_list("title", flat=True)) == [
        "Een",
        "Drie",
        "Twee",
    ]
    facilitator_client.post(
        _url(workshop, f"agenda/{first.pk}/verplaatsen/"), {"direction": "down"}
    )
    assert list(workshop.items.order_by("position").values_list("title", flat=True)) == [
        "Drie",
        "Een",
        "Twee",
    ]
    assert second.pk in workshop.items.values_list("pk", flat=True)


def test_editing_an_item_saves_it_and_bumps_the_version(facilitator_client, workshop):
    item = add_item(workshop, title="Oud")
    workshop.refresh_from_db()
    before = workshop.version
    response = facilitator_client.post(
        _url(workshop, f"agenda/{item.pk}/"),
        {
            "kind": "check_out",
            "title": "Nieuw",
            "timebox_minutes": 15,
            "dots_per_participant": 3,
            "notes": "",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    workshop.refresh_from_db()
    assert (item.title, item.kind, item.timebox_minutes) == ("Nieuw", "check_out", 15)
    assert item.version == 2
    assert workshop.version == before + 1


def _edit(item, **changes):
    return {
        "kind": item.kind,
        "title": item.title,
        "timebox_minutes": item.timebox_minutes,
        "dots_per_participant": item.dots_per_participant,
        "notes": item.notes,
        "version": item.version,
        **changes,
    }


def test_a_stale_item_form_is_not_saved_and_keeps_what_was_typed(facilitator_client, workshop):
    item = add_item(workshop, title="Oud")
    form_page = facilitator_client.get(_url(workshop, f"agenda/{item.pk}/")).content.decode()
    assert f'name="version" value="{item.version}"' in form_page
    meanwhile = _edit(item, title="Intussen elders opgeslagen")
    assert (
        facilitator_client.post(_url(workshop, f"agenda/{item.pk}/"), meanwhile).status_code == 302
    )

    response = facilitator_client.post(
        _url(workshop, f"agenda/{item.pk}/"), _edit(item, title="Mijn nieuwe titel")
    )
    html = response.content.decode()
    assert response.status_code == 409  # someone else saved first
    assert "Mijn nieuwe titel" in html  # what was typed is kept
    assert str(StaleEdit.message) in html.replace("&#x27;", "'")
    assert "Intussen elders opgeslagen" in html  # and what was saved meanwhile is shown
    assert 'name="version" value="2"' in html
    item.refresh_from_db()
    assert item.title == "Intussen elders opgeslagen"
    # The re-rendered form carries the current version: saving again overwrites knowingly.
    again = facilitator_client.post(
        _url(workshop, f"agenda/{item.pk}/"), _edit(item, title="Mijn nieuwe titel")
    )
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.title == "Mijn nieuwe titel"


def test_a_change_elsewhere_in_the_workshop_does_not_make_an_item_form_stale(
    facilitator_client, workshop
):
    item = add_item(workshop, title="Oud")
    services.agenda_item_add(workshop=workshop, kind="check_out", title="Intussen toegevoegd")
    response = facilitator_client.post(
        _url(workshop, f"agenda/{item.pk}/"), _edit(item, title="Nieuw")
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Nieuw"


def test_copying_an_earlier_agenda_brings_items_and_options(
    facilitator_client, trajectory, workshop
):
    earlier = make_workshop(trajectory, title="Vorige keer", status=Workshop.Status.CLOSED)
    add_item(earlier, title="Check-in")
    voting = add_item(earlier, AgendaItem.Kind.DOT_VOTING, "Stemmen", dots_per_participant=5)
    services.option_add(item=voting, label="Wonen")
    add_item(workshop, title="Al aanwezig")
    response = facilitator_client.post(
        _url(workshop, "agenda/kopieren/"), {"source": earlier.pk}, follow=True
    )
    assert "2 agendapunten zijn gekopieerd" in response.content.decode()
    titles = list(workshop.items.order_by("position").values_list("title", flat=True))
    assert titles == ["Al aanwezig", "Check-in", "Stemmen"]
    copied = workshop.items.get(title="Stemmen")
    assert copied.dots_per_participant == 5
    assert list(copied.options.values_list("label", flat=True)) == ["Wonen"]
    assert earlier.items.count() == 2


def test_copying_from_another_trajectory_is_refused(facilitator_client, workshop, other_trajectory):
    foreign = make_workshop(other_trajectory, title="Elders")
    add_item(foreign, title="Geheim punt")
    response = facilitator_client.post(
        _url(workshop, "agenda/kopieren/"), {"source": foreign.pk}, follow=True
    )
    assert not workshop.items.exists()
    assert "Kies een eerdere bijeenkomst" in response.content.decode()


def test_options_from_contributions_of_an_earlier_item(
    facilitator_client, live_workshop, participant
):
    check_in = live_workshop.current_item
    services.contribution_add(item=check_in, participant=participant, text="Meer woningen")
    voting = live_workshop.items.get(kind=AgendaItem.Kind.DOT_VOTING)
    facilitator_client.post(
        _url(live_workshop, f"agenda/{voting.pk}/opties/"), {"from_item": check_in.pk}
    )
    facilitator_client.post(
        _url(live_workshop, f"agenda/{voting.pk}/opties/"), {"from_item": check_in.pk}
    )
    assert VoteOption.objects.filter(item=voting, label="Meer woningen").count() == 1


def test_an_empty_option_is_refused(facilitator_client, live_workshop):
    voting = live_workshop.items.get(kind=AgendaItem.Kind.DOT_VOTING)
    before = voting.options.count()
    response = facilitator_client.post(
        _url(live_workshop, f"agenda/{voting.pk}/opties/"), {"label": ""}, follow=True
    )
    assert voting.options.count() == before
    assert "korte omschrijving" in response.content.decode()


def test_facilitator_records_attendance(
    facilitator_client, live_workshop, participant, second_participant
):
    facilitator_client.post(
        _url(live_workshop, "aanwezigheid/"), {"participants": [participant.pk]}
    )
    assert list(live_workshop.attendances.values_list("participant", flat=True)) == [participant.pk]
    facilitator_client.post(
        _url(live_workshop, "aanwezigheid/"), {"participants": [second_participant.pk]}
    )
    assert list(live_workshop.attendances.values_list("participant", flat=True)) == [
        second_participant.pk
    ]


def test_attendance_with_someone_from_another_trajectory_is_refused(
    facilitator_client, live_workshop, other_trajectory
):
    response = facilitator_client.post(
        _url(live_workshop, "aanwezigheid/"),
        {"participants": [other_trajectory.participant.pk]},
        follow=True,
    )
    assert not live_workshop.attendances.exists()
    assert "kies personen uit de lijst" in response.content.decode()


def test_agreement_and_action_item_with_owner_and_due_date(
    facilitator_client, live_workshop, participant
):
    facilitator_client.post(
        _url(live_workshop, "afspraken/"), {"agreement-text": "We delen de wachtlijst"}
    )
    agreement = live_workshop.agreements.get()
    response = facilitator_client.post(
        _url(live_workshop, "acties/"),
        {
            "action-title": "Wachtlijst opvragen",
            "action-owner": f"person:{participant.pk}",
            "action-due_date": "2030-05-01",
            "action-agreement": agreement.pk,
        },
    )
    assert response.status_code == 302
    action = live_workshop.action_items.get()
    assert action.owner_participant == participant and action.owner_partner == participant.partner
    assert str(action.due_date) == "2030-05-01" and action.agreement == agreement
    assert action.trajectory_id == live_workshop.trajectory_id


def test_action_item_owned_by_another_trajectorys_partner_is_refused(
    facilitator_client, live_workshop, other_trajectory
):
    partner = other_trajectory.participant.partner
    response = facilitator_client.post(
        _url(live_workshop, "acties/"),
        {"action-title": "Stiekem", "action-owner": f"partner:{partner.pk}"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "geldige keuze" in html and "Stiekem" in html
    assert not live_workshop.action_items.exists()


def test_too_long_agreement_is_refused_in_the_htmx_console_and_kept(
    facilitator_client, live_workshop
):
    text = "Afspraak " * 300
    response = facilitator_client.post(
        _url(live_workshop, "afspraken/"), {"agreement-text": text}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422  # htmx swaps it: the form shows its error
    assert 'aria-invalid="true"' in response.content.decode()
    assert text.strip() in response.content.decode()
    assert not live_workshop.agreements.exists()


def test_a_double_submitted_agreement_is_recorded_once(facilitator_client, live_workshop):
    html = facilitator_client.get(_url(live_workshop, "regie/")).content.decode()
    key = re.search(r'name="agreement-submission_key" value="([0-9a-f-]{36})"', html).group(1)
    for _ in range(2):
        facilitator_client.post(
            _url(live_workshop, "afspraken/"),
            {"agreement-text": "Eén afspraak", "agreement-submission_key": key},
        )
    assert live_workshop.agreements.count() == 1


def test_a_double_submitted_note_without_javascript_is_added_once(
    participant_client, live_workshop
):
    html = participant_client.get(_url(live_workshop, "live/")).content.decode()
    # The form's own key (coconnect/once.py SubmissionKeyMixin): a UUID.
    key = re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)
    for _ in range(2):
        participant_client.post(
            _url(live_workshop, "live/bijdrage/"),
            {
                "text": "Dubbel geklikt",
                "item": live_workshop.current_item_id,
                "submission_key": key,
            },
        )
    assert live_workshop.current_item.contributions.count() == 1


def test_the_themes_of_the_round_become_options_once_each(facilitator_client, workshop):
    round_ = InterestRound.objects.create(
        trajectory=workshop.trajectory, title="Ronde", phase=workshop.trajectory.phase
    )
    for name in ("Wonen", "Begeleiding"):
        Theme.objects.create(trajectory=workshop.trajectory, round=round_, name=name)
    voting = add_item(workshop, AgendaItem.Kind.DOT_VOTING, "Stemmen", interest_round=round_)
    services.option_add(item=voting, label="Eigen optie")
    for _ in range(2):
        response = facilitator_client.post(
            _url(workshop, f"agenda/{voting.pk}/opties/"), {"from_themes": "1"}
        )
        assert response.status_code == 302
    assert list(voting.options.order_by("position").values_list("label", "source_type")) == [
        ("Eigen optie", ""),
        ("Begeleiding", "interests.theme"),
        ("Wonen", "interests.theme"),
    ]

import uuid

import pytest

from audit.models import AuditEntry
from interests import services
from interests.models import Interest, InterestRound
from tests import factories

from .conftest import make_interest

pytestmark = pytest.mark.django_db


def _data(**extra):
    return {
        "statement": "Snel een woning",
        "why": "Wachtlijst",
        "success": "",
        "contribution": "",
        "weight": "must",
        "tier": "named",
        **extra,
    }


# --- life cycle ---------------------------------------------------------------------------------


def test_round_moves_from_draft_to_open_to_closed_to_revealed(trajectory, facilitator):
    round = services.round_create(trajectory=trajectory, title="Ronde", by=facilitator)
    assert round.status == InterestRound.Status.DRAFT
    round = services.round_open(round=round, by=facilitator)
    assert round.status == "open" and round.opened_at
    round = services.round_close(round=round, by=facilitator)
    assert round.status == "closed" and round.closed_at
    round = services.round_reveal(round=round, by=facilitator)
    assert round.status == "revealed" and round.revealed_at and round.revealed_by == facilitator
    actions = list(
        AuditEntry.objects.filter(details__round=round.pk).values_list("action", flat=True)
    )
    assert sorted(actions) == ["interests_revealed", "round_closed", "round_opened"]


def test_reveal_twice_changes_nothing(open_round, facilitator):
    first = services.round_reveal(round=open_round, by=facilitator)
    second = services.round_reveal(round=open_round, by=facilitator)
    assert first.revealed_at == second.revealed_at
    assert AuditEntry.objects.filter(action="interests_revealed").count() == 1


def test_a_round_in_preparation_cannot_be_revealed(trajectory, facilitator):
    round = services.round_create(trajectory=trajectory, title="Ronde", by=facilitator)
    with pytest.raises(services.InterestsError):
        services.round_reveal(round=round, by=facilitator)


def test_only_one_round_is_open_at_a_time(trajectory, open_round, facilitator):
    second = services.round_create(trajectory=trajectory, title="Tweede", by=facilitator)
    with pytest.raises(services.InterestsError):
        services.round_open(round=second, by=facilitator)


def test_facilitator_opens_closes_and_reveals_through_the_page(
    facilitator_client, trajectory, open_round
):
    base = f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}"
    assert facilitator_client.post(f"{base}/sluiten/").status_code == 302
    response = facilitator_client.post(f"{base}/onthullen/", follow=True)
    assert "revealed" == InterestRound.objects.get(pk=open_round.pk).status
    assert response.status_code == 200


def test_facilitator_prepares_a_new_round_and_bad_input_is_kept(facilitator_client, trajectory):
    url = f"/t/{trajectory.pk}/belangen/rondes/nieuw/"
    response = facilitator_client.post(
        url, {"title": "x" * 201, "phase": "design", "min_per_partner": 3}
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
    assert "x" * 201 in response.content.decode()
    response = facilitator_client.post(
        url, {"title": "Ronde ontwerpfase", "phase": "design", "min_per_partner": 4}
    )
    assert response.status_code == 302
    assert InterestRound.objects.get(title="Ronde ontwerpfase").min_per_partner == 4


def test_double_submit_of_a_new_round_prepares_it_once(facilitator_client, trajectory):
    page = facilitator_client.get(f"/t/{trajectory.pk}/belangen/").content.decode()
    assert 'type="hidden" name="submission_key"' in page
    url = f"/t/{trajectory.pk}/belangen/rondes/nieuw/"
    payload = {
        "title": "Ronde ontwerpfase",
        "phase": "design",
        "min_per_partner": 3,
        "submission_key": str(uuid.uuid4()),
    }
    first = facilitator_client.post(url, payload)
    second = facilitator_client.post(url, payload)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert InterestRound.objects.count() == 1


def test_earlier_rounds_stay_readable(
    participant_client, trajectory, open_round, participant, facilitator
):
    make_interest(open_round, participant, "Belang uit de eerste ronde")
    services.round_reveal(round=open_round, by=facilitator)
    newer = services.round_create(trajectory=trajectory, title="Tweede ronde", by=facilitator)
    services.round_open(round=newer, by=facilitator)
    index = participant_client.get(f"/t/{trajectory.pk}/belangen/").content.decode()
    assert "Tweede ronde" in index and f"rondes/{open_round.pk}/" in index
    old = participant_client.get(
        f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/"
    ).content.decode()
    assert "Belang uit de eerste ronde" in old


# --- intake -------------------------------------------------------------------------------------


def test_participant_enters_an_interest_as_draft_then_submits(
    participant_client, trajectory, open_round, participant
):
    url = f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/belangen/nieuw/"
    response = participant_client.post(
        url, {**_data(), "submission_key": uuid.uuid4(), "action": "draft"}
    )
    assert response.status_code == 302
    interest = Interest.objects.get()
    assert (
        interest.status == "draft"
        and interest.author == participant
        and interest.partner == participant.partner
    )
    edit = f"/t/{trajectory.pk}/belangen/belang/{interest.pk}/"
    response = participant_client.post(
        edit,
        {
            **_data(statement="Snel een eigen woning"),
            "version": interest.version,
            "action": "submit",
        },
    )
    assert response.status_code == 302
    interest.refresh_from_db()
    assert (
        interest.status == "submitted"
        and interest.statement == "Snel een eigen woning"
        and interest.version == 2
    )


def test_double_submit_saves_the_interest_once(participant_client, trajectory, open_round):
    url = f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/belangen/nieuw/"
    payload = {**_data(), "submission_key": str(uuid.uuid4()), "action": "submit"}
    participant_client.post(url, payload)
    response = participant_client.post(url, payload, follow=True)
    assert Interest.objects.count() == 1
    assert (
        "niet twee keer" in response.content.decode()
        or "not added twice" in response.content.decode()
    )


def test_colleagues_of_the_same_partner_see_and_edit_each_others_entries(
    client, trajectory, open_round, participant
):
    colleague = factories.make_participant(participant.partner, "Collega Cor")
    interest = make_interest(open_round, participant, "Belang van Anouk")
    factories.login_participant(client, colleague)
    assert "Belang van Anouk" in client.get(f"/t/{trajectory.pk}/belangen/").content.decode()
    response = client.post(
        f"/t/{trajectory.pk}/belangen/belang/{interest.pk}/",
        {**_data(statement="Aangevuld door Cor"), "version": interest.version},
    )
    assert response.status_code == 302
    interest.refresh_from_db()
    assert (
        interest.statement == "Aangevuld door Cor"
        and interest.last_edited_by == colleague
        and interest.author == participant
    )


def test_another_partner_cannot_open_or_edit_an_entry(
    client, trajectory, open_round, participant, other_participant
):
    interest = make_interest(open_round, participant, "Alleen voor de gemeente")
    factories.login_participant(client, other_participant)
    url = f"/t/{trajectory.pk}/belangen/belang/{interest.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {**_data(statement="Gekaapt"), "version": 1}).status_code == 404
    assert client.post(f"{url}verwijderen/").status_code == 404
    interest.refresh_from_db()
    assert interest.statement == "Alleen voor de gemeente"


def test_closed_round_refuses_edits_and_keeps_the_text(
    participant_client, trajectory, open_round, participant, facilitator
):
    interest = make_interest(open_round, participant, "Oorspronkelijke tekst")
    services.round_close(round=open_round, by=facilitator)
    typed = "Nieuwe tekst die niet verloren mag gaan"
    response = participant_client.post(
        f"/t/{trajectory.pk}/belangen/belang/{interest.pk}/",
        {**_data(statement=typed), "version": interest.version},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert typed in html
    assert "gesloten" in html or "closed" in html
    interest.refresh_from_db()
    assert interest.statement == "Oorspronkelijke tekst"


def test_closed_round_refuses_new_entries_and_keeps_the_text(
    participant_client, trajectory, open_round, facilitator
):
    services.round_close(round=open_round, by=facilitator)
    typed = "Een belang na sluiting"
    response = participant_client.post(
        f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/belangen/nieuw/",
        {**_data(statement=typed), "submission_key": uuid.uuid4()},
    )
    assert response.status_code == 409
    assert typed in response.content.decode()
    assert not Interest.objects.exists()


def test_stale_form_keeps_my_text_and_shows_the_saved_version(
    client, trajectory, open_round, participant
):
    colleague = factories.make_participant(participant.partner, "Collega Cor")
    interest = make_interest(open_round, participant, "Eerste versie")
    services.interest_save(
        round=open_round,
        partner=participant.partner,
        by=colleague,
        interest=interest,
        version=interest.version,
        data=_data(statement="Versie van Cor"),
    )
    factories.login_participant(client, participant)
    mine = "Mijn versie, getypt op een oud formulier"
    response = client.post(
        f"/t/{trajectory.pk}/belangen/belang/{interest.pk}/",
        {**_data(statement=mine), "version": interest.version},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert mine in html and "Versie van Cor" in html
    interest.refresh_from_db()
    assert interest.statement == "Versie van Cor"
    # Saving again from that page (it now carries the current version) goes through.
    response = client.post(
        f"/t/{trajectory.pk}/belangen/belang/{interest.pk}/",
        {**_data(statement=mine), "version": interest.version},
    )
    assert response.status_code == 302


def test_too_long_statement_is_refused_with_the_text_kept(
    participant_client, trajectory, open_round
):
    long_text = "lang " * 80
    response = participant_client.post(
        f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/belangen/nieuw/",
        {**_data(statement=long_text), "why": "mijn uitleg", "submission_key": uuid.uuid4()},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        'aria-invalid="true"' in html
        and 'aria-describedby="id_statement_helptext id_statement_error"' in html
    )
    assert long_text.strip() in html and "mijn uitleg" in html
    assert not Interest.objects.exists()


def test_missing_weight_and_tier_are_refused(participant_client, trajectory, open_round):
    response = participant_client.post(
        f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/belangen/nieuw/",
        {"statement": "Iets", "weight": "heel erg", "tier": ""},
    )
    assert response.status_code == 422
    assert not Interest.objects.exists()


def test_html_and_unicode_are_stored_as_typed_and_escaped_on_output(
    participant_client, trajectory, open_round, facilitator
):
    statement = "<script>alert('x')</script> Zorg & wonen — één thuis 🏠"
    participant_client.post(
        f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/belangen/nieuw/",
        {**_data(statement=statement), "submission_key": uuid.uuid4(), "action": "submit"},
    )
    assert Interest.objects.get().statement == statement
    services.round_reveal(round=open_round, by=facilitator)
    for url in (f"/t/{trajectory.pk}/belangen/", f"/t/{trajectory.pk}/belangen/kaart/"):
        html = participant_client.get(url).content.decode()
        assert "<script>alert" not in html
        assert (
            "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Zorg &amp; wonen — één thuis 🏠"
            in html
        )


def test_participant_removes_an_own_draft(participant_client, trajectory, open_round, participant):
    interest = make_interest(open_round, participant, submit=False)
    response = participant_client.post(
        f"/t/{trajectory.pk}/belangen/belang/{interest.pk}/verwijderen/"
    )
    assert response.status_code == 302
    assert not Interest.objects.exists()


# --- tiers --------------------------------------------------------------------------------------


def test_facilitator_raises_a_tier_only_after_confirming(
    facilitator_client, trajectory, open_round, participant, facilitator
):
    interest = make_interest(open_round, participant, tier="facilitator")
    url = f"/t/{trajectory.pk}/belangen/belang/{interest.pk}/zichtbaarheid/"
    page = facilitator_client.get(url).content.decode()
    assert 'name="confirmed"' in page
    response = facilitator_client.post(url, {"tier": "named"})
    assert response.status_code == 422
    interest.refresh_from_db()
    assert interest.tier == "facilitator"
    response = facilitator_client.post(url, {"tier": "anonymous", "confirmed": "on"})
    assert response.status_code == 302
    interest.refresh_from_db()
    assert interest.tier == "anonymous"
    event = AuditEntry.objects.get(action="tier_changed")
    assert (event.actor, event.details["from"], event.details["to"], event.subject_id) == (
        facilitator,
        "facilitator",
        "anonymous",
        interest.pk,
    )
    assert (event.subject_type, event.partner_id) == ("interests.interest", interest.partner_id)
    page = facilitator_client.get(f"/t/{trajectory.pk}/belangen/").content.decode()
    assert f"({Interest.Tier.FACILITATOR.label} → {Interest.Tier.ANONYMOUS.label})" in page


def test_a_tier_is_never_lowered(trajectory, open_round, participant, facilitator):
    interest = make_interest(open_round, participant, tier="named")
    with pytest.raises(services.InterestsError):
        services.tier_raise(interest=interest, tier="facilitator", by=facilitator, confirmed=True)


def test_participants_and_managers_cannot_raise_tiers(
    participant_client, trajectory, open_round, participant
):
    interest = make_interest(open_round, participant, tier="facilitator")
    url = f"/t/{trajectory.pk}/belangen/belang/{interest.pk}/zichtbaarheid/"
    assert participant_client.post(url, {"tier": "named", "confirmed": "on"}).status_code == 403
    interest.refresh_from_db()
    assert interest.tier == "facilitator"


# --- overview -----------------------------------------------------------------------------------


def test_round_page_counts_what_is_missing_per_partner(
    facilitator_client, trajectory, open_round, participant, other_participant
):
    make_interest(open_round, participant, "Een")
    make_interest(open_round, participant, "Twee", submit=False)
    html = facilitator_client.get(f"/t/{trajectory.pk}/belangen/").content.decode()
    progress = html[html.index('id="progress-heading"') : html.index('id="incoming"')]
    gemeente = progress[progress.index(participant.partner.name) :]
    assert gemeente[:200].count("<td>1</td>") == 2  # one submitted, one draft
    overview = facilitator_client.get(f"/t/{trajectory.pk}/").content.decode()
    assert (
        f"{participant.partner.name}: 2" in overview
        and f"{other_participant.partner.name}: 3" in overview
    )


def test_edit_page_of_a_closed_round_sends_back_with_a_message(
    participant_client, trajectory, open_round, participant, facilitator
):
    interest = make_interest(open_round, participant)
    services.round_close(round=open_round, by=facilitator)
    response = participant_client.get(
        f"/t/{trajectory.pk}/belangen/belang/{interest.pk}/", follow=True
    )
    assert response.redirect_chain[0][1] == 302
    assert "gesloten" in response.content.decode()


def test_round_page_rows_show_author_partner_and_the_tier_link_escaped(
    client, trajectory, open_round, participant, facilitator, manager
):
    """Each incoming row is written in one pass (selectors.incoming_rows): the facilitator sees
    who entered it and a link to make a closed interest more open; stored text stays text."""
    named = make_interest(open_round, participant, '<script>alert("x")</script> & meer')
    closed = make_interest(
        open_round, participant, "Alleen voor u", tier=Interest.Tier.FACILITATOR, why="é" * 200
    )
    url = f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/"
    client.force_login(facilitator)
    html = client.get(url).content.decode()
    row = html[html.index(f'id="incoming-{named.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; meer" in row
    assert "<script>" not in row
    assert f"<td>{participant.name}</td>" in row and participant.partner.name in row
    assert "tier-raise" not in row  # named already
    row = html[html.index(f'id="incoming-{closed.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f'href="/t/{trajectory.pk}/belangen/belang/{closed.pk}/zichtbaarheid/"' in row
    assert "tier-raise" in row and "é" * 159 + "…" in row and "é" * 160 not in row
    services.round_reveal(round=open_round, by=facilitator)
    client.force_login(manager)
    html = client.get(url).content.decode()
    assert "Alleen voor u" not in html and "tier-raise" not in html
    assert f"<td>{participant.name}</td>" not in html  # no "entered by" for others

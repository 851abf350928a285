import re
import uuid

import pytest

from audit.models import AuditEntry
from interests import services
from interests.models import Fact, Interest, InterestLink, Theme
from tests import factories

from .conftest import make_interest

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def revealed(open_round, participant, other_participant, facilitator):
    a = make_interest(open_round, participant, "Woningen voor uitstroom")
    b = make_interest(open_round, other_participant, "Spreiding over de wijk")
    services.round_reveal(round=open_round, by=facilitator)
    return open_round, a, b


def test_facilitator_creates_a_theme_with_htmx_and_gets_the_board_back(
    facilitator_client, trajectory, revealed
):
    round, a, b = revealed
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/nieuw/",
        {"name": "Wonen"},
        headers=HX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"') and "<html" not in html
    assert "Wonen" in html
    assert Theme.objects.get().name == "Wonen"


def test_without_javascript_the_board_redirects_back(facilitator_client, trajectory, revealed):
    round, a, b = revealed
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/nieuw/", {"name": "Wonen"}
    )
    assert response.status_code == 302 and response["Location"].endswith(
        f"/rondes/{round.pk}/themas/"
    )


def test_duplicate_or_empty_theme_names_are_refused_with_a_message(
    facilitator_client, trajectory, revealed, facilitator
):
    round, a, b = revealed
    services.theme_create(round=round, name="Wonen", by=facilitator)
    url = f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/nieuw/"
    for name in ("wonen", "   ", "x" * 121):
        response = facilitator_client.post(url, {"name": name}, headers=HX)
        assert response.status_code == 422
        assert 'class="message message--error"' in response.content.decode()
        # The name field says it is the one to correct, and points at the message.
        assert 'aria-invalid="true" aria-describedby="board-status"' in response.content.decode()
    assert Theme.objects.count() == 1
    response = facilitator_client.post(url, {"name": "wonen"}, headers=HX)
    assert 'value="wonen"' in response.content.decode()  # what was typed comes back


def test_move_rename_classify_and_merge(facilitator_client, trajectory, revealed, facilitator):
    round, a, b = revealed
    t = trajectory.pk
    wonen = services.theme_create(round=round, name="Wonen", by=facilitator)
    zorg = services.theme_create(round=round, name="Zorg", by=facilitator)
    facilitator_client.post(
        f"/t/{t}/belangen/belang/{a.pk}/verplaatsen/", {"theme": wonen.pk}, headers=HX
    )
    facilitator_client.post(
        f"/t/{t}/belangen/belang/{b.pk}/verplaatsen/", {"theme": zorg.pk}, headers=HX
    )
    facilitator_client.post(
        f"/t/{t}/belangen/themas/{wonen.pk}/naam/", {"name": "Uitstroomwoningen"}, headers=HX
    )
    response = facilitator_client.post(
        f"/t/{t}/belangen/themas/{wonen.pk}/classificeren/",
        {"classification": "conflicting", "rationale": "Spreiding botst met tempo"},
        headers=HX,
    )
    assert "badge--conflicting" in response.content.decode()
    wonen.refresh_from_db()
    assert (wonen.name, wonen.classification, wonen.rationale, wonen.classified_by) == (
        "Uitstroomwoningen",
        "conflicting",
        "Spreiding botst met tempo",
        facilitator,
    )
    facilitator_client.post(
        f"/t/{t}/belangen/themas/{zorg.pk}/samenvoegen/", {"into": wonen.pk}, headers=HX
    )
    assert list(Theme.objects.values_list("name", flat=True)) == ["Uitstroomwoningen"]
    assert set(Interest.objects.values_list("theme_id", flat=True)) == {wonen.pk}
    facilitator_client.post(
        f"/t/{t}/belangen/belang/{a.pk}/verplaatsen/", {"theme": ""}, headers=HX
    )
    a.refresh_from_db()
    assert a.theme is None


def test_bad_classification_is_refused(facilitator_client, trajectory, revealed, facilitator):
    round, a, b = revealed
    theme = services.theme_create(round=round, name="Wonen", by=facilitator)
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/belangen/themas/{theme.pk}/classificeren/",
        {"classification": "heel-erg", "rationale": ""},
        headers=HX,
    )
    assert response.status_code == 422
    theme.refresh_from_db()
    assert theme.classification == "unclassified"


def test_pairwise_links_with_a_note(facilitator_client, trajectory, revealed):
    round, a, b = revealed
    url = f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/koppelingen/nieuw/"
    response = facilitator_client.post(
        url,
        {"first": b.pk, "second": a.pk, "kind": "conflicting", "note": "Tempo tegenover spreiding"},
        headers=HX,
    )
    assert response.status_code == 200 and "Tempo tegenover spreiding" in response.content.decode()
    link = InterestLink.objects.get()
    assert (link.first, link.second, link.kind) == (a, b, "conflicting")
    facilitator_client.post(
        url, {"first": a.pk, "second": b.pk, "kind": "compatible", "note": ""}, headers=HX
    )
    assert InterestLink.objects.get().kind == "compatible"
    assert (
        facilitator_client.post(
            url, {"first": a.pk, "second": a.pk, "kind": "compatible"}, headers=HX
        ).status_code
        == 422
    )


def test_removing_a_link_is_recorded_in_the_audit_trail(
    facilitator_client, trajectory, revealed, facilitator
):
    round, a, b = revealed
    link = services.link_create(first=a, second=b, kind="conflicting", note="", by=facilitator)
    url = f"/t/{trajectory.pk}/belangen/koppelingen/{link.pk}/verwijderen/"
    assert facilitator_client.post(url, headers=HX).status_code == 200
    assert not InterestLink.objects.exists()
    event = AuditEntry.objects.get(action=AuditEntry.Action.LINK_REMOVED)
    assert (event.details["round"], event.subject_id, event.actor) == (round.pk, a.pk, facilitator)
    html = facilitator_client.get(f"/t/{trajectory.pk}/belangen/").content.decode()
    assert a.statement in html[html.index('id="audit-heading"') :]
    assert "(Strijdig)" in html[html.index('id="audit-heading"') :]


def test_map_is_labelled_by_classification_not_colour_alone(
    participant_client, trajectory, revealed, facilitator
):
    round, a, b = revealed
    theme = services.theme_create(round=round, name="Wonen", by=facilitator)
    services.interest_move(interest=a, theme=theme)
    services.theme_classify(theme=theme, classification="common", rationale="", by=facilitator)
    html = participant_client.get(f"/t/{trajectory.pk}/belangen/kaart/").content.decode()
    assert 'class="badge badge--common"' in html
    assert str(Theme.Classification.COMMON.label) in html


def test_map_filters_by_weight_and_classification(
    facilitator_client, trajectory, open_round, participant, facilitator
):
    make_interest(open_round, participant, "Moet-belang", weight="must")
    nice = make_interest(open_round, participant, "Leuk-belang", weight="nice")
    theme = services.theme_create(round=open_round, name="Conflictthema", by=facilitator)
    services.interest_move(interest=nice, theme=theme)
    services.theme_classify(theme=theme, classification="conflicting", rationale="", by=facilitator)
    base = f"/t/{trajectory.pk}/belangen/kaart/?ronde={open_round.pk}"
    html = facilitator_client.get(f"{base}&gewicht=must").content.decode()
    assert "Moet-belang" in html and "Leuk-belang" not in html
    html = facilitator_client.get(f"{base}&klasse=conflicting", headers=HX).content.decode()
    assert "Leuk-belang" in html and "Moet-belang" not in html
    html = facilitator_client.get(f"{base}&gewicht=<script>&klasse=x&ronde=abc").content.decode()
    assert "Moet-belang" in html and "<script>" not in html


def test_projector_view_uses_large_type(facilitator_client, trajectory, revealed):
    html = facilitator_client.get(f"/t/{trajectory.pk}/belangen/kaart/?groot=1").content.decode()
    assert 'class="map-large"' in html


def test_csv_export_neutralises_spreadsheet_formulas(
    facilitator_client, trajectory, open_round, participant
):
    make_interest(open_round, participant, '=HYPERLINK("http://evil")')
    text = facilitator_client.get(
        f"/t/{trajectory.pk}/belangen/rondes/{open_round.pk}/export.csv"
    ).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


# --- facts --------------------------------------------------------------------------------------


def test_facilitator_records_a_fact_finding_question_everyone_reads(
    facilitator_client, participant, trajectory, revealed, facilitator, client
):
    round, a, b = revealed
    theme = services.theme_create(round=round, name="Wonen", by=facilitator)
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/belangen/feiten/nieuw/",
        {
            "question": "Hoeveel bewoners zijn klaar voor uitstroom?",
            "known": "48 volgens de telling",
            "sources": "Telling 1 sept",
            "status": "disputed",
            "theme": theme.pk,
        },
    )
    assert response.status_code == 302
    fact = Fact.objects.get()
    assert (fact.status, fact.theme) == ("disputed", theme)

    factories.login_participant(client, participant)
    html = client.get(f"/t/{trajectory.pk}/belangen/feiten/").content.decode()
    assert "Hoeveel bewoners zijn klaar voor uitstroom?" in html and "badge--warn" in html


def test_fact_form_refuses_bad_input_and_stale_edits_keeping_the_text(
    facilitator_client, trajectory
):
    url = f"/t/{trajectory.pk}/belangen/feiten/nieuw/"
    response = facilitator_client.post(
        url, {"question": "", "known": "wat ik typte", "status": "open"}
    )
    assert response.status_code == 422 and "wat ik typte" in response.content.decode()
    fact = services.fact_save(trajectory=trajectory, data={"question": "Vraag", "status": "open"})
    services.fact_save(
        trajectory=trajectory,
        fact=fact,
        version=1,
        data={"question": "Vraag (bijgewerkt)", "status": "agreed"},
    )
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/belangen/feiten/{fact.pk}/",
        {"question": "Mijn oude versie", "status": "open", "version": 1},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Mijn oude versie" in html and "Vraag (bijgewerkt)" in html
    fact.refresh_from_db()
    assert fact.question == "Vraag (bijgewerkt)"


def test_fact_theme_of_another_trajectory_is_refused(
    facilitator_client, trajectory, other_trajectory
):
    round = services.round_create(trajectory=other_trajectory, title="Elders", by=None)
    foreign = services.theme_create(round=round, name="Elders", by=None)
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/belangen/feiten/nieuw/",
        {"question": "Vraag", "status": "open", "theme": foreign.pk},
    )
    assert response.status_code == 422
    assert not Fact.objects.exists()


def test_new_and_edit_fact_pages_have_their_own_titles(facilitator_client, trajectory):
    fact = services.fact_save(
        trajectory=trajectory, data={"question": "Hoeveel?", "status": "open"}
    )
    base = f"/t/{trajectory.pk}/belangen/feiten/"
    titles = [
        re.search(r"<title>(.*?)</title>", facilitator_client.get(url).content.decode(), re.S)
        .group(1)
        .strip()
        for url in (f"{base}nieuw/", f"{base}{fact.pk}/")
    ]
    assert titles[0] != titles[1]
    assert titles[0].startswith("Nieuwe vraag") and "Hoeveel?" in titles[1]


def test_double_submit_of_a_new_question_saves_it_once(facilitator_client, trajectory):
    url = f"/t/{trajectory.pk}/belangen/feiten/nieuw/"
    assert 'type="hidden" name="submission_key"' in facilitator_client.get(url).content.decode()
    payload = {"question": "Hoeveel?", "status": "open", "submission_key": str(uuid.uuid4())}
    assert facilitator_client.post(url, payload).status_code == 302
    assert facilitator_client.post(url, payload).status_code == 302
    assert Fact.objects.count() == 1

import uuid

import pytest
from django.test import Client
from django.utils import translation

from improvements.models import ImprovementKind, Position, Proposal
from improvements.selectors import kinds_for
from interests.models import Interest, InterestRound
from tests import factories
from tests.improvements.helpers import make_proposal, take_position

pytestmark = pytest.mark.django_db


def _url(trajectory, rest=""):
    return f"/t/{trajectory.pk}/verbeteringen/{rest}"


def test_every_trajectory_starts_with_the_eight_kinds_of_improvement(trajectory):
    with translation.override("en"):
        names = [k.name for k in kinds_for(trajectory)]
    assert len(names) == 8
    assert names[0] == "Sneller"  # Dutch is the default language
    assert kinds_for(trajectory) and ImprovementKind.objects.count() == 8


def test_participant_adds_a_proposal_for_their_own_partner(
    participant_client, trajectory, partner, participant
):
    other = factories.make_partner(trajectory, "GGZ Oost")
    kind = kinds_for(trajectory)[0]
    response = participant_client.post(
        _url(trajectory, "voorstellen/nieuw/"),
        {
            "title": "Eén intake",
            "description": "Bewoners vertellen hun verhaal één keer.",
            "kinds": [kind.pk],
            "effort": "medium",
            "cost": "low",
            "who_does_what": "GGZ levert de intaker",
            f"gain_{partner.pk}": "much",
            f"gain_note_{partner.pk}": "Minder dubbele intakes",
            # A participant cannot pretend to speak for another organisation.
            "proposer_partner": other.pk,
            f"gain_{other.pk}": "none",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()
    assert proposal.proposer_partner == partner
    assert proposal.proposer_level == participant.level
    assert proposal.origin == "participant"
    assert list(proposal.kinds.all()) == [kind]
    gain = proposal.gains.get()
    assert (gain.partner, gain.level, gain.note) == (partner, "much", "Minder dubbele intakes")


def test_facilitator_names_the_proposer_and_level(facilitator_client, trajectory, partner):
    facilitator_client.post(
        _url(trajectory, "voorstellen/nieuw/"),
        {
            "title": "Wachtlijst delen",
            "effort": "small",
            "cost": "low",
            "proposer_partner": partner.pk,
            "proposer_level": "board",
        },
    )
    proposal = Proposal.objects.get()
    assert (proposal.proposer_partner, proposal.proposer_level) == (partner, "board")
    assert proposal.origin == "facilitator"


def test_double_submit_creates_one_proposal(participant_client, trajectory):
    data = {"title": "Buddy", "effort": "small", "cost": "low", "submission_key": str(uuid.uuid4())}
    first = participant_client.post(_url(trajectory, "voorstellen/nieuw/"), data)
    second = participant_client.post(_url(trajectory, "voorstellen/nieuw/"), data, follow=True)
    assert first.status_code == 302
    assert Proposal.objects.count() == 1
    assert "al toegevoegd" in second.content.decode()


def test_too_long_title_is_refused_and_nothing_typed_is_lost(participant_client, trajectory):
    response = participant_client.post(
        _url(trajectory, "voorstellen/nieuw/"),
        {
            "title": "x" * 201,
            "description": "Mijn uitleg blijft staan",
            "effort": "small",
            "cost": "low",
        },
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert not Proposal.objects.exists()
    assert "Mijn uitleg blijft staan" in body
    assert "niet meer dan 200 tekens" in body
    assert 'aria-invalid="true"' in body and "id_title_error" in body


def test_missing_title_is_explained(participant_client, trajectory):
    response = participant_client.post(
        _url(trajectory, "voorstellen/nieuw/"), {"effort": "small", "cost": "low"}
    )
    assert response.status_code == 422
    assert "Dit veld is verplicht" in response.content.decode()


def test_html_and_unicode_are_kept_and_escaped(facilitator_client, trajectory):
    title = "<script>alert('x')</script> Één loket — 🏠"
    facilitator_client.post(
        _url(trajectory, "voorstellen/nieuw/"), {"title": title, "effort": "small", "cost": "low"}
    )
    proposal = Proposal.objects.get()
    assert proposal.title == title
    for page in ("", f"voorstellen/{proposal.pk}/", "draagvlak/"):
        body = facilitator_client.get(_url(trajectory, page)).content.decode()
        assert "<script>alert" not in body
        assert "&lt;script&gt;" in body
        assert "Één loket — 🏠" in body


def test_unknown_kind_from_another_trajectory_is_refused(
    facilitator_client, trajectory, other_trajectory
):
    foreign = kinds_for(other_trajectory)[0]
    response = facilitator_client.post(
        _url(trajectory, "voorstellen/nieuw/"),
        {"title": "Iets", "effort": "small", "cost": "low", "kinds": [foreign.pk]},
    )
    assert response.status_code == 422
    assert not Proposal.objects.exists()


def test_participant_of_another_partner_may_not_edit_a_proposal(client, trajectory, partner):
    proposal = make_proposal(trajectory, proposer_partner=partner)
    colleague_partner = factories.make_partner(trajectory, "Woonstichting De Linie")
    factories.login_participant(client, factories.make_participant(colleague_partner, "Sem"))
    assert client.get(_url(trajectory, f"voorstellen/{proposal.pk}/bewerken/")).status_code == 403
    assert (
        client.post(
            _url(trajectory, f"voorstellen/{proposal.pk}/bewerken/"), {"title": "Weg"}
        ).status_code
        == 403
    )
    proposal.refresh_from_db()
    assert proposal.title != "Weg"


def test_participant_takes_the_position_of_their_own_partner(
    participant_client, trajectory, partner
):
    proposal = make_proposal(trajectory)
    response = participant_client.post(
        _url(trajectory, f"voorstellen/{proposal.pk}/standpunt/"),
        {"stance": "conditions", "text": "Mits de huurtoeslag blijft", "mandate": "board"},
    )
    assert response.status_code == 302
    position = Position.objects.get()
    assert (position.partner, position.stance, position.text) == (
        partner,
        "conditions",
        "Mits de huurtoeslag blijft",
    )


def test_participant_cannot_take_the_position_of_another_partner(participant_client, trajectory):
    other = factories.make_partner(trajectory, "Woonstichting De Linie")
    proposal = make_proposal(trajectory)
    response = participant_client.post(
        _url(trajectory, f"voorstellen/{proposal.pk}/standpunt/"),
        {"partner": other.pk, "stance": "objects", "text": "Nee", "mandate": "agreed"},
    )
    assert response.status_code == 403
    assert not Position.objects.exists()


def test_objection_without_words_is_refused_with_a_clear_message(participant_client, trajectory):
    proposal = make_proposal(trajectory)
    response = participant_client.post(
        _url(trajectory, f"voorstellen/{proposal.pk}/standpunt/"),
        {"stance": "objects", "text": "  ", "mandate": "agreed"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 422  # htmx swaps 422 in place (static/js/app.js)
    assert not Position.objects.exists()
    assert 'id="positions"' in body and "<html" not in body
    assert "Schrijf het bezwaar op" in body


def test_a_stale_position_sent_by_htmx_comes_back_in_place_as_a_conflict(
    participant_client, trajectory, partner
):
    proposal = make_proposal(trajectory)
    take_position(proposal, partner, "supports")  # a colleague saved meanwhile
    response = participant_client.post(
        _url(trajectory, f"voorstellen/{proposal.pk}/standpunt/"),
        {"stance": "objects", "text": "Te duur", "mandate": "agreed", "version": 0},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 409  # htmx swaps 409 in place as well
    assert 'id="positions"' in body and "<html" not in body
    assert "Te duur" in body
    assert Position.objects.get().stance == "supports"


def test_stale_position_form_keeps_the_typed_text_and_shows_the_newer_position(
    client, trajectory, partner, participant
):
    proposal = make_proposal(trajectory)
    colleague = factories.make_participant(partner, "Joris")
    factories.login_participant(client, colleague)
    url = _url(trajectory, f"voorstellen/{proposal.pk}/standpunt/")
    client.post(url, {"stance": "supports", "mandate": "agreed", "version": ""})
    # Anouk opened the form before Joris saved; she posts based on "no position yet".
    client.logout()
    factories.login_participant(client, participant)
    client.post(url, {"stance": "supports", "mandate": "agreed"})  # refresh nothing: same content
    position = Position.objects.get()
    response = client.post(
        url, {"stance": "objects", "text": "Wij twijfelen nog", "mandate": "consult", "version": 0}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Wij twijfelen nog" in body
    assert "Joris" in body
    position.refresh_from_db()
    assert position.stance == "supports"


def test_proposal_detail_shows_history_to_everyone(
    manager_client, trajectory, partner, participant
):
    proposal = make_proposal(trajectory)
    take_position(proposal, partner, "undecided", mandate="consult", participant=participant)
    take_position(proposal, partner, "supports", participant=participant)
    body = manager_client.get(_url(trajectory, f"voorstellen/{proposal.pk}/")).content.decode()
    assert "Kan nog niet beslissen" in body and "Steunt" in body
    assert body.count("Anouk de Vries") >= 2


def test_served_interests_follow_the_interest_tier_rule(
    facilitator_client, trajectory, partner, participant
):
    other = factories.make_partner(trajectory, "GGZ Oost")
    round_ = InterestRound.objects.create(
        trajectory=trajectory, title="Ronde 1", phase="exploration", status="revealed"
    )
    hidden = Interest.objects.create(
        round=round_,
        partner=other,
        statement="Alleen voor de procesbegeleider",
        tier="facilitator",
        status="submitted",
    )
    anonymous = Interest.objects.create(
        round=round_,
        partner=other,
        statement="Gedeeld zonder naam",
        tier="anonymous",
        status="submitted",
    )
    proposal = make_proposal(trajectory)
    proposal.interests.set([hidden, anonymous])
    url = _url(trajectory, f"voorstellen/{proposal.pk}/")
    facilitator_view = facilitator_client.get(url).content.decode()
    assert "Alleen voor de procesbegeleider" in facilitator_view and "GGZ Oost" in facilitator_view
    client = factories.login_participant(Client(), participant)
    participant_view = client.get(url).content.decode()
    assert "Gedeeld zonder naam" in participant_view
    assert "Alleen voor de procesbegeleider" not in participant_view
    assert "(GGZ Oost)" not in participant_view
    # Editing as the proposer's colleague keeps the link the participant could not see.
    proposal.proposer_partner = partner
    proposal.save()
    client.post(
        _url(trajectory, f"voorstellen/{proposal.pk}/bewerken/"),
        {"title": "Nieuw", "effort": "small", "cost": "low"},
    )
    assert set(proposal.interests.all()) == {hidden}


def test_fresh_form_does_not_overwrite_a_colleagues_position_saved_meanwhile(
    client, trajectory, partner, participant
):
    proposal = make_proposal(trajectory)
    url = _url(trajectory, f"voorstellen/{proposal.pk}/standpunt/")
    anouk = factories.login_participant(Client(), participant)
    page = anouk.get(_url(trajectory, f"voorstellen/{proposal.pk}/")).content.decode()
    assert 'name="version" value="0"' in page
    joris = factories.login_participant(client, factories.make_participant(partner, "Joris"))
    joris.post(url, {"stance": "supports", "mandate": "agreed", "version": 0})
    response = anouk.post(
        url, {"stance": "objects", "text": "Te duur", "mandate": "agreed", "version": 0}
    )
    assert response.status_code == 409
    assert Position.objects.get().stance == "supports"
    # Saving again from the refreshed form replaces it, and both are in the history.
    anouk.post(url, {"stance": "objects", "text": "Te duur", "mandate": "agreed", "version": 1})
    assert Position.objects.get().stance == "objects"
    assert Position.objects.get().changes.count() == 2


def test_participant_is_offered_only_the_gain_of_their_own_partner(
    participant_client, trajectory, partner
):
    other = factories.make_partner(trajectory, "GGZ Oost")
    page = participant_client.get(_url(trajectory, "voorstellen/nieuw/")).content.decode()
    assert f'name="gain_{partner.pk}"' in page
    assert f'name="gain_{other.pk}"' not in page and f'name="gain_note_{other.pk}"' not in page
    assert "Verwachte winst voor uw organisatie" in page


def test_a_forged_gain_for_another_partner_changes_nothing(participant_client, trajectory, partner):
    other = factories.make_partner(trajectory, "GGZ Oost")
    proposal = make_proposal(
        trajectory,
        proposer_partner=partner,
        gains={other.pk: ("some", "Iets minder wachten"), partner.pk: ("some", "")},
    )
    response = participant_client.post(
        _url(trajectory, f"voorstellen/{proposal.pk}/bewerken/"),
        {
            "title": proposal.title,
            "effort": "small",
            "cost": "low",
            f"gain_{partner.pk}": "much",
            f"gain_{other.pk}": "none",
            f"gain_note_{other.pk}": "Vervalst",
        },
    )
    assert response.status_code == 302
    gains = {g.partner_id: (g.level, g.note) for g in proposal.gains.all()}
    assert gains == {other.pk: ("some", "Iets minder wachten"), partner.pk: ("much", "")}


def test_the_proposal_list_counts_supporters_and_shows_only_the_own_position(client, trajectory):
    """The list counts supporting partners in the database and reads only the viewer's own
    organisation's position: another partner's stance or text never shows on it."""
    from tests.improvements.helpers import make_proposal, take_position

    ours = factories.make_partner(trajectory, name="Gemeente Rivierstad")
    theirs = factories.make_partner(trajectory, name="Woonstichting De Linge")
    third = factories.make_partner(trajectory, name="Zorggroep Oost")
    carried = make_proposal(trajectory, "Eén intake voor alle partners")
    open_ = make_proposal(trajectory, "Gezamenlijke wachtlijst")
    for partner in (ours, theirs, third):
        take_position(carried, partner, "supports")
    take_position(open_, theirs, "objects", text="Geheime bezwaren van de woonstichting")
    factories.login_participant(client, factories.make_participant(ours, "Noor"))

    html = client.get(f"/t/{trajectory.pk}/verbeteringen/").content.decode()

    first, second = html.split("Gezamenlijke wachtlijst", 1)
    assert "Alle partners steunen" in first
    assert "0 van de 3 partners steunen" in second
    assert "Standpunt innemen" in second  # ours has not taken one on the open proposal
    assert "Geheime bezwaren" not in html

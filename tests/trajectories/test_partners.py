import re

import pytest

from tests import factories
from trajectories.models import Participant, Partner

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def test_partner_added_inline_returns_the_card_and_a_fresh_form(facilitator_client, trajectory):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/partners/nieuw/",
        {"name": "Woonstichting De Linge", "kind": "housing"},
        headers=HX,
    )
    html = response.content.decode()
    partner = Partner.objects.get(trajectory=trajectory, name="Woonstichting De Linge")
    assert 'hx-swap-oob="beforeend:#partner-list"' in html
    assert f'id="partner-{partner.pk}"' in html
    assert 'id="partner-add"' in html and 'value="Woonstichting De Linge"' not in html
    assert "<html" not in html
    assert "is toegevoegd" in html  # the message, swapped into #messages


def test_partner_added_without_javascript_redirects_to_the_card(facilitator_client, trajectory):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/partners/nieuw/", {"name": "GGZ Midden", "kind": "mental_health"}
    )
    partner = Partner.objects.get(name="GGZ Midden")
    assert response.status_code == 302
    assert response["Location"] == f"/t/{trajectory.pk}/partners/#partner-{partner.pk}"


def test_partner_edit_inline_and_cancel(facilitator_client, trajectory, partner):
    url = f"/t/{trajectory.pk}/partners/{partner.pk}/bewerken/"
    form = facilitator_client.get(url, headers=HX).content.decode()
    assert f'id="partner-{partner.pk}-head"' in form and "<form" in form
    saved = facilitator_client.post(
        url, {"name": "Gemeente Rivierstad-Oost", "kind": "municipality"}, headers=HX
    )
    assert "Gemeente Rivierstad-Oost" in saved.content.decode()
    partner.refresh_from_db()
    assert partner.name == "Gemeente Rivierstad-Oost"
    card = facilitator_client.get(f"/t/{trajectory.pk}/partners/{partner.pk}/", headers=HX)
    assert f'id="partner-{partner.pk}"' in card.content.decode()


def test_partner_edit_works_as_a_whole_page_without_javascript(
    facilitator_client, trajectory, partner
):
    url = f"/t/{trajectory.pk}/partners/{partner.pk}/bewerken/"
    page = facilitator_client.get(url).content.decode()
    assert "<html" in page and 'name="name"' in page
    response = facilitator_client.post(url, {"name": "Gemeente Nieuw", "kind": "municipality"})
    assert response.status_code == 302


def test_removing_a_partner_asks_first_then_removes_everything(
    facilitator_client, trajectory, partner, participant
):
    factories.make_invite(participant)
    url = f"/t/{trajectory.pk}/partners/{partner.pk}/verwijderen/"
    confirm = facilitator_client.get(url, headers=HX).content.decode()
    assert "Ja, verwijderen" in confirm
    assert Partner.objects.filter(pk=partner.pk).exists()
    response = facilitator_client.post(url, headers=HX)
    assert response.status_code == 200
    assert not Partner.objects.filter(pk=partner.pk).exists()
    assert not Participant.objects.filter(pk=participant.pk).exists()


def test_removing_a_participant_without_javascript(facilitator_client, trajectory, participant):
    url = f"/t/{trajectory.pk}/vertegenwoordigers/{participant.pk}/verwijderen/"
    page = facilitator_client.get(url).content.decode()
    assert "<html" in page and "Ja, verwijderen" in page
    response = facilitator_client.post(url)
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=participant.pk).exists()


def test_participant_added_inline(facilitator_client, trajectory, partner):
    url = f"/t/{trajectory.pk}/partners/{partner.pk}/vertegenwoordigers/nieuw/"
    form = facilitator_client.get(url, headers=HX).content.decode()
    assert f'id="partner-{partner.pk}-add"' in form
    response = facilitator_client.post(
        url,
        {
            "name": "Jeroen Bakker",
            "email": "j.bakker@example.org",
            "level": "manager",
            "mandate": "Beslist over de inzet van wijkteams.",
        },
        headers=HX,
    )
    html = response.content.decode()
    person = Participant.objects.get(name="Jeroen Bakker")
    assert person.partner == partner and person.level == "manager"
    assert f'hx-swap-oob="beforeend:#partner-{partner.pk}-people"' in html
    assert f'id="participant-{person.pk}"' in html
    assert "Beslist over de inzet van wijkteams." in html


def test_participant_edit_inline(facilitator_client, trajectory, participant):
    url = f"/t/{trajectory.pk}/vertegenwoordigers/{participant.pk}/bewerken/"
    response = facilitator_client.post(
        url,
        {"name": "Anouk de Vries", "email": "", "level": "board", "mandate": "Alles tot € 50.000"},
        headers=HX,
    )
    participant.refresh_from_db()
    assert participant.level == "board" and participant.mandate == "Alles tot € 50.000"
    assert f'id="participant-{participant.pk}"' in response.content.decode()
    row = facilitator_client.get(
        f"/t/{trajectory.pk}/vertegenwoordigers/{participant.pk}/", headers=HX
    )
    assert "Alles tot € 50.000" in row.content.decode()


def test_manager_sees_partners_without_edit_buttons(
    manager_client, trajectory, partner, participant
):
    page = manager_client.get(f"/t/{trajectory.pk}/partners/").content.decode()
    assert partner.name in page and participant.name in page
    assert "/bewerken/" not in page
    assert "/uitnodiging/" not in page
    assert 'id="partner-add"' not in page


# --- out-of-band swaps always find their targets ------------------------------------------------

_OOB = re.compile(r'<(\w+)[^>]*?\bhx-swap-oob="([^"]*)"[^>]*>')


def _oob_targets(fragment: str) -> list[str]:
    """The ids an htmx answer swaps out of band (`true`/`delete` on an id, or `how:#id`)."""
    targets = []
    for match in _OOB.finditer(fragment):
        tag_html, how = match.group(0), match.group(2)
        if ":" in how:
            targets.append(how.split(":", 1)[1].lstrip("#"))
        else:
            targets.append(re.search(r'\bid="([^"]+)"', tag_html).group(1))
    return targets


def _ids(page: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page))


@pytest.mark.parametrize("existing", [0, 1])
def test_adding_a_partner_swaps_only_into_targets_the_page_has(
    facilitator_client, trajectory, existing
):
    for n in range(existing):
        factories.make_partner(trajectory, f"Bestaande partner {n}")
    page = facilitator_client.get(f"/t/{trajectory.pk}/partners/").content.decode()
    answer = facilitator_client.post(
        f"/t/{trajectory.pk}/partners/nieuw/", {"name": "Nieuw", "kind": "housing"}, headers=HX
    ).content.decode()
    targets = _oob_targets(answer)
    assert "partner-list" in targets
    assert set(targets) <= _ids(page), set(targets) - _ids(page)


@pytest.mark.parametrize("existing", [0, 1])
def test_adding_a_representative_swaps_only_into_targets_the_page_has(
    facilitator_client, trajectory, partner, existing
):
    for n in range(existing):
        factories.make_participant(partner, f"Bestaande vertegenwoordiger {n}")
    page = facilitator_client.get(f"/t/{trajectory.pk}/partners/").content.decode()
    answer = facilitator_client.post(
        f"/t/{trajectory.pk}/partners/{partner.pk}/vertegenwoordigers/nieuw/",
        {"name": "Nieuw", "email": "", "level": "board", "mandate": ""},
        headers=HX,
    ).content.decode()
    targets = _oob_targets(answer)
    assert f"partner-{partner.pk}-people" in targets
    assert set(targets) <= _ids(page), set(targets) - _ids(page)


def test_the_empty_notes_are_hidden_once_there_is_someone(facilitator_client, trajectory, partner):
    factories.make_participant(partner, "Iemand")
    page = facilitator_client.get(f"/t/{trajectory.pk}/partners/").content.decode()
    assert re.search(r'<p[^>]*id="partners-empty"[^>]*\bhidden', page)
    assert re.search(rf'<p[^>]*id="partner-{partner.pk}-nobody"[^>]*\bhidden', page)

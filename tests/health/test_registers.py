"""Interim changes, the risk register and the stakeholders: recording, editing and bad input."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from coconnect.stale import StaleEdit
from health import services
from health.models import InterimChange, Risk, Stakeholder
from health.selectors import risk_grid, stakeholder_grid

from .helpers import make_risk

pytestmark = pytest.mark.django_db


def change_data(partner=None, **extra):
    data = {
        "kind": "budget_cuts",
        "title": "Bezuiniging op begeleiding",
        "partner": partner.pk if partner else "",
        "occurred_on": "2026-10-01",
        "meaning_interests": "",
        "meaning_roles": "Rol gemeente verandert",
        "meaning_organisation": "",
        "meaning_financing": "8% minder",
        "meaning_legal_form": "",
        "follow_up": "interests_round",
        "follow_up_note": "",
        "follow_up_status": "todo",
    }
    data.update(extra)
    return data


def risk_data(owner=None, **extra):
    data = {
        "category": "financial",
        "title": "Tekort",
        "description": "",
        "likelihood": "4",
        "impact": "5",
        "owner": owner.pk if owner else "",
        "measures": "Raming",
        "review_on": "2026-12-01",
        "status": "open",
    }
    data.update(extra)
    return data


def stakeholder_data(partner=None, **extra):
    data = {
        "name": "Bewonerscommissie",
        "kind": "constituency",
        "power": "2",
        "interest": "3",
        "attitude": "resisting",
        "partner": partner.pk if partner else "",
        "relation": "",
        "communication": "Bewonersavond",
        "shared_concern": "on",
    }
    data.update(extra)
    return data


def test_the_facilitator_records_an_interim_change_with_its_meaning_and_follow_up(
    facilitator_client, trajectory, partner
):
    base = f"/t/{trajectory.pk}/gezondheid/veranderingen/"
    response = facilitator_client.post(f"{base}nieuw/", change_data(partner))
    assert response.status_code == 302 and response["Location"] == base
    change = InterimChange.objects.get()
    assert change.partner == partner and change.meaning_financing == "8% minder"
    page = facilitator_client.get(base).content.decode()
    assert "Bezuiniging op begeleiding" in page and "8% minder" in page
    assert "Nieuwe belangenronde openen: Nog te doen" in page
    assert f"/t/{trajectory.pk}/belangen/" in page  # the way to open a new round


def test_a_change_in_the_environment_has_no_partner(facilitator_client, trajectory):
    facilitator_client.post(
        f"/t/{trajectory.pk}/gezondheid/veranderingen/nieuw/", change_data(kind="law")
    )
    change = InterimChange.objects.get()
    assert change.partner is None
    assert (
        "omgeving"
        in facilitator_client.get(f"/t/{trajectory.pk}/gezondheid/veranderingen/").content.decode()
    )


def test_a_partner_of_another_trajectory_cannot_be_chosen(
    facilitator_client, trajectory, other_trajectory
):
    foreign = other_trajectory.partners.get()
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/gezondheid/veranderingen/nieuw/", change_data(foreign)
    )
    assert response.status_code == 422
    assert not InterimChange.objects.exists()
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/gezondheid/risicos/nieuw/", risk_data(foreign)
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "", "Dit veld is verplicht."),
        ("title", "t" * 201, "niet meer dan 200 tekens"),
        ("occurred_on", "31-31-2026", "Voer een geldige datum in."),
        ("kind", "meteor", "Selecteer een geldige keuze."),
        ("meaning_roles", "r" * 2001, "niet meer dan 2000 tekens"),
    ],
)
def test_bad_change_input_is_explained_next_to_the_field(
    facilitator_client, trajectory, field, value, message
):
    data = change_data(**{field: value})
    data["meaning_financing"] = "Bewaard"
    response = facilitator_client.post(f"/t/{trajectory.pk}/gezondheid/veranderingen/nieuw/", data)
    page = response.content.decode()
    assert response.status_code == 422
    assert message in page
    assert f'aria-describedby="id_{field}_error"' in page or f"id_{field}_error" in page
    assert 'aria-invalid="true"' in page
    assert "Bewaard" in page


def test_text_with_html_and_unicode_is_kept_and_escaped(facilitator_client, trajectory):
    text = "<script>alert(1)</script> Zoë’s “plan” ✓"
    facilitator_client.post(
        f"/t/{trajectory.pk}/gezondheid/risicos/nieuw/", risk_data(title=text, measures=text)
    )
    assert Risk.objects.get().title == text
    page = facilitator_client.get(f"/t/{trajectory.pk}/gezondheid/risicos/").content.decode()
    assert (
        "<script>alert(1)" not in page
        and "&lt;script&gt;alert(1)&lt;/script&gt; Zoë’s “plan” ✓" in page
    )


def test_a_stale_edit_is_refused_without_losing_the_text(facilitator_client, trajectory):
    risk = make_risk(trajectory)
    url = f"/t/{trajectory.pk}/gezondheid/risicos/{risk.pk}/"
    loaded = facilitator_client.get(url).content.decode()
    version = loaded.split('name="version" value="')[1].split('"')[0]
    # Someone else saves in between (through the service, as every save does).
    risk.title = "Door een ander"
    services.register_entry_save(entry=risk, fields=["title"], seen_version=int(version))
    response = facilitator_client.post(url, risk_data(title="Mijn versie", version=version))
    assert response.status_code == 409
    page = response.content.decode()
    assert str(StaleEdit.message) in page.replace("&#x27;", "'") and "Mijn versie" in page
    risk.refresh_from_db()
    assert risk.title == "Door een ander"
    # Saving again, knowingly, goes through.
    fresh = page.split('name="version" value="')[1].split('"')[0]
    facilitator_client.post(url, risk_data(title="Mijn versie", version=fresh))
    risk.refresh_from_db()
    assert risk.title == "Mijn versie"


def test_moving_a_follow_up_along_makes_an_open_edit_form_stale(facilitator_client, trajectory):
    change = InterimChange.objects.create(
        trajectory=trajectory, kind="law", title="Nieuwe wet", occurred_on=timezone.localdate()
    )
    url = f"/t/{trajectory.pk}/gezondheid/veranderingen/{change.pk}/"
    version = facilitator_client.get(url).content.decode().split('name="version" value="')[1]
    version = version.split('"')[0]
    facilitator_client.post(f"{url}vervolg/", {"follow_up_status": "done"})

    response = facilitator_client.post(url, change_data(title="Mijn tekst", version=version))

    assert response.status_code == 409
    change.refresh_from_db()
    assert (change.title, change.follow_up_status) == ("Nieuwe wet", "done")


@pytest.mark.parametrize(
    "field, value", [("likelihood", "0"), ("likelihood", "6"), ("impact", "x"), ("review_on", "")]
)
def test_risk_scores_and_review_date_are_validated(facilitator_client, trajectory, field, value):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/gezondheid/risicos/nieuw/", risk_data(**{field: value})
    )
    assert response.status_code == 422
    assert not Risk.objects.exists()


def test_the_risk_grid_counts_open_risks_by_likelihood_and_impact(facilitator_client, trajectory):
    today = timezone.localdate()
    for likelihood, impact, status in [
        (4, 5, "open"),
        (4, 5, "open"),
        (1, 1, "open"),
        (4, 5, "closed"),
    ]:
        Risk.objects.create(
            trajectory=trajectory,
            category="financial",
            title="R",
            likelihood=likelihood,
            impact=impact,
            review_on=today,
            status=status,
        )

    grid = risk_grid(Risk.objects.all())
    assert [row["impact"] for row in grid] == [5, 4, 3, 2, 1]
    assert grid[0]["cells"][3] == {"likelihood": 4, "count": 2, "severity": "high"}
    assert grid[4]["cells"][0]["count"] == 1 and grid[4]["cells"][0]["severity"] == "low"
    assert sum(c["count"] for row in grid for c in row["cells"]) == 3


def test_overdue_reviews_show_on_the_trajectory_overview(facilitator_client, trajectory, partner):
    today = timezone.localdate()
    Risk.objects.create(
        trajectory=trajectory,
        category="governance",
        title="Mandaat onduidelijk",
        likelihood=3,
        impact=3,
        owner=partner,
        review_on=today - timedelta(days=2),
    )
    Risk.objects.create(
        trajectory=trajectory,
        category="policy",
        title="Nog niet aan de beurt",
        likelihood=3,
        impact=3,
        review_on=today + timedelta(days=2),
    )
    Risk.objects.create(
        trajectory=trajectory,
        category="policy",
        title="Afgesloten",
        likelihood=3,
        impact=3,
        review_on=today - timedelta(days=9),
        status="closed",
    )
    page = facilitator_client.get(f"/t/{trajectory.pk}/").content.decode()
    assert "1 risico is aan herbeoordeling toe" in page
    assert "Mandaat onduidelijk" in page
    assert "Nog niet aan de beurt" not in page and "Afgesloten" not in page


def test_resistance_in_a_constituency_is_flagged_as_a_shared_concern(
    facilitator_client, trajectory, partner
):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/gezondheid/krachtenveld/nieuw/", stakeholder_data(partner)
    )
    assert response.status_code == 302
    stakeholder = Stakeholder.objects.get()
    assert stakeholder.shared_concern and stakeholder.partner == partner
    page = facilitator_client.get(f"/t/{trajectory.pk}/gezondheid/krachtenveld/").content.decode()
    assert "Gezamenlijke zorg" in page and "Bewonerscommissie" in page
    assert "1 gezamenlijke zorg" in facilitator_client.get(f"/t/{trajectory.pk}/").content.decode()


def test_only_resistance_can_be_a_shared_concern(facilitator_client, trajectory, partner):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/gezondheid/krachtenveld/nieuw/",
        stakeholder_data(partner, attitude="supportive"),
    )
    assert response.status_code == 422
    assert "Alleen weerstand kan als gezamenlijke zorg" in response.content.decode()
    assert not Stakeholder.objects.exists()


def test_a_constituency_needs_its_partner(facilitator_client, trajectory):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/gezondheid/krachtenveld/nieuw/", stakeholder_data()
    )
    assert response.status_code == 422
    assert "Kies de partner van wie dit de achterban is." in response.content.decode()


def test_the_database_refuses_a_shared_concern_without_resistance(trajectory):

    with pytest.raises(IntegrityError):
        Stakeholder.objects.create(
            trajectory=trajectory, name="X", attitude="neutral", shared_concern=True
        )


def test_the_stakeholder_grid_places_names_by_power_and_interest(trajectory):

    a = Stakeholder.objects.create(trajectory=trajectory, name="Raad", power=3, interest=1)
    b = Stakeholder.objects.create(trajectory=trajectory, name="Buren", power=1, interest=3)
    grid = stakeholder_grid([a, b])
    assert grid[0]["power"] == 3 and grid[0]["cells"][0]["stakeholders"] == [a]
    assert grid[2]["power"] == 1 and grid[2]["cells"][2]["stakeholders"] == [b]


def test_managers_read_the_registers_but_cannot_edit(manager_client, trajectory):
    Risk.objects.create(
        trajectory=trajectory,
        category="policy",
        title="Zichtbaar",
        likelihood=1,
        impact=1,
        review_on=timezone.localdate(),
    )
    page = manager_client.get(f"/t/{trajectory.pk}/gezondheid/risicos/").content.decode()
    assert "Zichtbaar" in page and "Risico toevoegen" not in page and "Bewerken" not in page
    assert (
        manager_client.post(
            f"/t/{trajectory.pk}/gezondheid/risicos/nieuw/", risk_data()
        ).status_code
        == 403
    )


def test_the_facilitator_removes_a_mistaken_risk_and_a_second_click_is_harmless(
    facilitator_client, trajectory
):
    risk = Risk.objects.create(
        trajectory=trajectory,
        category="policy",
        title="Vergissing",
        likelihood=1,
        impact=1,
        review_on=timezone.localdate(),
    )
    edit = facilitator_client.get(
        f"/t/{trajectory.pk}/gezondheid/risicos/{risk.pk}/"
    ).content.decode()
    url = f"/t/{trajectory.pk}/gezondheid/risicos/{risk.pk}/verwijderen/"
    assert url in edit
    response = facilitator_client.post(url, follow=True)
    assert "Het risico is verwijderd." in response.content.decode()
    assert not Risk.objects.exists()
    response = facilitator_client.post(url, follow=True)
    assert response.status_code == 200 and "Dit was al verwijderd." in response.content.decode()


def test_the_follow_up_status_moves_along_from_the_list(facilitator_client, trajectory):
    change = InterimChange.objects.create(
        trajectory=trajectory,
        kind="new_board",
        title="Nieuw bestuur",
        occurred_on=timezone.localdate(),
        follow_up="workshop",
    )
    url = f"/t/{trajectory.pk}/gezondheid/veranderingen/{change.pk}/vervolg/"
    page = facilitator_client.get(f"/t/{trajectory.pk}/gezondheid/veranderingen/").content.decode()
    assert url in page
    response = facilitator_client.post(url, {"follow_up_status": "in_progress"}, follow=True)
    assert "De stand van het vervolg is opgeslagen." in response.content.decode()
    change.refresh_from_db()
    assert change.follow_up_status == "in_progress"
    response = facilitator_client.post(url, {"follow_up_status": "<b>klaar</b>"}, follow=True)
    assert "Kies een van de standen uit de lijst" in response.content.decode()
    change.refresh_from_db()
    assert change.follow_up_status == "in_progress"

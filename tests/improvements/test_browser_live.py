"""A proposal typed on a phone in a live workshop appears on the projector without a reload."""

import pytest
from django.utils import timezone

from improvements.models import Proposal
from tests import factories
from tests.browser import sign_in
from workshops.models import AgendaItem, Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_live_proposal_appears_on_the_projector(live_server, new_page, screenshot):
    facilitator = factories.make_user("procesbegeleider")
    trajectory = factories.make_trajectory(
        "Van beschermd wonen naar een eigen thuis", facilitator=facilitator
    )
    gemeente = factories.make_partner(trajectory, "Gemeente Rivierstad")
    anouk = factories.make_participant(gemeente, "Anouk de Vries")
    workshop = Workshop.objects.create(
        trajectory=trajectory,
        title="Tweede werkbijeenkomst",
        starts_at=timezone.now(),
        status="live",
        started_at=timezone.now(),
    )
    item = AgendaItem.objects.create(
        workshop=workshop, kind="proposals", title="Verbetervoorstellen"
    )
    workshop.current_item = item
    workshop.save()
    _l, token = factories.make_invite(anouk)

    projector = new_page()
    sign_in(projector, live_server, "procesbegeleider")
    projector.goto(f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/scherm/")
    projector.wait_for_selector("text=Nog geen voorstellen")

    phone = new_page(phone=True)
    phone.goto(f"{live_server.url}/i/{token}/")
    phone.goto(f"{live_server.url}/t/{trajectory.pk}/bijeenkomsten/{workshop.pk}/live/")
    phone.fill(f"#live-{item.pk}-title", "Eén intake voor alle partners")
    phone.click("button:has-text('Voorstel toevoegen')")
    phone.wait_for_selector("text=Uw voorstel staat nu op elk scherm")
    assert Proposal.objects.get().agenda_item == item
    phone.wait_for_selector(".live-proposals >> text=Eén intake voor alle partners")
    screenshot(phone, "improvements-live-phone")

    projector.wait_for_selector(
        ".live-proposals >> text=Eén intake voor alle partners", timeout=15_000
    )
    screenshot(projector, "improvements-live-projector")

"""Two participants of different partners propose and take positions on their phones; the
facilitator composes the package, sees it carried and adopts it; a participant marks an action
done."""

import pytest

from improvements.models import ImprovementPackage, Position
from tests import factories
from tests.browser import sign_in
from tests.improvements.helpers import make_proposal, take_position
from workshops.models import ActionItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _take_position(page, stance, mandate, text=""):
    page.check(f"input[name=stance][value={stance}]")
    if text:
        page.fill("textarea[name=text]", text)
    page.check(f"input[name=mandate][value={mandate}]")
    page.click("text=Standpunt opslaan")


def test_partners_carry_a_package_and_follow_it_up(live_server, new_page, screenshot):
    facilitator = factories.make_user("procesbegeleider")
    trajectory = factories.make_trajectory(
        "Van beschermd wonen naar een eigen thuis", facilitator=facilitator
    )
    gemeente = factories.make_partner(trajectory, "Gemeente Rivierstad")
    onderdak = factories.make_partner(trajectory, "Stichting Onderdak Rivierstad", kind="shelter")
    anouk = factories.make_participant(gemeente, "Anouk de Vries", level="manager")
    fatma = factories.make_participant(onderdak, "Fatma Yilmaz", level="manager")
    _l, anouk_token = factories.make_invite(anouk)
    _l, fatma_token = factories.make_invite(fatma)
    base = f"{live_server.url}/t/{trajectory.pk}/verbeteringen"

    # Fatma proposes an improvement from her phone and supports it for her organisation.
    fatma_page = new_page(phone=True)
    fatma_page.goto(f"{live_server.url}/i/{fatma_token}/")
    fatma_page.click("nav.tabs >> text=Verbeteringen")
    fatma_page.click("text=Nieuw voorstel")
    fatma_page.fill("#id_title", "Eén uitstroomoverleg per maand")
    fatma_page.fill(
        "#id_description",
        "Corporaties, opvang en gemeente bespreken samen wie klaar is om te verhuizen.",
    )
    fatma_page.check("text=Sneller")
    fatma_page.select_option(f"#id_gain_{onderdak.pk}", "much")
    # She estimates only her own organisation's gain; the municipality speaks for itself.
    assert fatma_page.locator(f"#id_gain_{gemeente.pk}").count() == 0
    screenshot(fatma_page, "improvements-proposal-form-phone")
    fatma_page.click("text=Voorstel toevoegen")
    fatma_page.wait_for_selector(".message--success")
    _take_position(fatma_page, "supports", "agreed")
    fatma_page.wait_for_selector("#positions .stance--supports")
    screenshot(fatma_page, "improvements-proposal-phone")

    # Anouk, for the municipality, supports it with a condition.
    anouk_page = new_page(phone=True)
    anouk_page.goto(f"{live_server.url}/i/{anouk_token}/")
    anouk_page.goto(f"{base}/")
    anouk_page.click("text=Standpunt innemen")
    _take_position(anouk_page, "conditions", "board", "Mits we het na een jaar evalueren.")
    anouk_page.wait_for_selector("#positions .stance--conditions")
    assert Position.objects.count() == 2

    # The facilitator sees the matrix, composes the package, sees it carried and adopts it.
    desk = new_page()
    sign_in(desk, live_server, "procesbegeleider")
    desk.goto(f"{base}/draagvlak/")
    assert desk.locator(".support-matrix tbody tr").count() == 1
    screenshot(desk, "improvements-matrix")
    desk.goto(f"{base}/")
    desk.click("text=Pakket samenstellen")
    desk.fill("#id_title", "Verbeterpakket doorstroom 2027")
    desk.check("text=Eén uitstroomoverleg per maand")
    desk.click("text=Pakket opslaan")
    desk.wait_for_selector(".verdict--carried")
    assert "Mits we het na een jaar evalueren." in desk.inner_text("main")
    screenshot(desk, "improvements-package-carried")
    desk.click("button:has-text('Pakket vaststellen')")
    desk.wait_for_selector("text=De inhoud ligt nu vast")
    assert ImprovementPackage.objects.get().is_adopted
    desk.fill("#id_title", "Eerste overleg plannen")
    desk.select_option("#id_owner_partner", str(onderdak.pk))
    desk.click("button:has-text('Actiepunt toevoegen')")
    desk.wait_for_selector("text=Het actiepunt is toegevoegd")
    screenshot(desk, "improvements-package-adopted")

    # Fatma marks the action done in two taps from her welcome page.
    fatma_page.goto(f"{live_server.url}/t/{trajectory.pk}/welkom/")
    fatma_page.click("text=Uw actiepunten bijwerken")
    fatma_page.click("button:has-text('Afgerond melden')")
    fatma_page.wait_for_selector(".action-item--done")
    screenshot(fatma_page, "improvements-followup-phone")
    assert ActionItem.objects.get().status == "done"


def test_a_position_form_sent_back_comes_back_in_place(live_server, new_page, screenshot):
    """The position form answers 422 (errors) and 409 (a colleague saved first); htmx swaps both
    in place (static/js/app.js), and improvements.js keeps the objection's text field shown."""
    facilitator = factories.make_user("procesbegeleider")
    trajectory = factories.make_trajectory("Beschermd wonen", facilitator=facilitator)
    gemeente = factories.make_partner(trajectory, "Gemeente Rivierstad")
    anouk = factories.make_participant(gemeente, "Anouk de Vries", level="manager")
    joris = factories.make_participant(gemeente, "Joris Bakker")
    proposal = make_proposal(trajectory, "Eén uitstroomoverleg per maand")
    _l, token = factories.make_invite(anouk)
    page = new_page(phone=True)
    page.goto(f"{live_server.url}/i/{token}/")
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")

    _take_position(page, "objects", "agreed")  # an objection without words
    page.wait_for_selector("#position-form [aria-invalid=true]")
    assert page.locator("textarea[name=text]").is_visible()
    assert not page.locator("#messages .message--error").count()  # no 'that did not work'

    take_position(proposal, gemeente, "supports", participant=joris)  # Joris saves first
    page.fill("textarea[name=text]", "Te duur voor ons")
    page.click("text=Standpunt opslaan")
    page.wait_for_selector("#position-form .message--warning")
    assert "Joris Bakker" in page.locator("#position-form .message--warning").inner_text()
    assert page.locator("textarea[name=text]").input_value() == "Te duur voor ons"
    assert Position.objects.get().stance == "supports"
    screenshot(page, "improvements-position-conflict-phone")

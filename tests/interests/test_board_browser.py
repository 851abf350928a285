"""The theme board by hand in a real browser: drag and drop with a mouse and a finger, the
keyboard's move list, the live region, undo, and the page without JavaScript."""

import pytest

from interests import services
from interests.models import Interest
from tests import factories
from tests.browser import sign_in, wait_until
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STATEMENTS = ("Zestig uitstroomwoningen", "Spreiding over de wijk", "Begeleiding thuis")


@pytest.fixture
def board():
    facilitator = factories.make_user("procesbegeleider")
    trajectory = factories.make_trajectory("Beschermd wonen", facilitator=facilitator)
    partner = factories.make_partner(trajectory, "Gemeente Rivierstad")
    author = factories.make_participant(partner, "Anouk")
    round = services.round_create(trajectory=trajectory, title="Ronde", by=facilitator)
    services.round_open(round=round, by=facilitator)
    for statement in STATEMENTS:
        services.interest_save(
            round=round,
            partner=partner,
            by=author,
            data={"statement": statement, "weight": "must", "tier": "named"},
            submit=True,
        )
    services.round_reveal(round=round, by=facilitator)
    themes = {
        name: services.theme_create(round=round, name=name, by=facilitator)
        for name in ("Wonen", "Zorg")
    }
    url = f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/themas/"
    return url, themes


def _theme_of(statement):
    interest = Interest.objects.select_related("theme").get(statement=statement)
    return interest.theme.name if interest.theme else None


def _row(page, statement):
    return page.locator(".board-interest", has_text=statement)


def _center(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _open(page, live_server, url):
    sign_in(page, live_server, "procesbegeleider")
    page.goto(f"{live_server.url}{url}")
    page.locator(".board-interest__handle").first.wait_for()


def _scroll_to_themes(page):
    """Themes and the ungrouped interests below them both in view (no drag needs to scroll)."""
    page.evaluate("window.scrollTo(0, document.querySelector('.theme-grid').offsetTop - 200)")


def _viewport_shot(page, name):
    """What the screen shows at this moment (a full-page shot would lay the page out anew)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_dragging_with_the_mouse_moves_an_interest_and_undo_brings_it_back(
    live_server, new_page, screenshot, board
):
    url, themes = board
    page = new_page()
    page.set_viewport_size({"width": 1280, "height": 800})
    _open(page, live_server, url)
    _scroll_to_themes(page)
    wonen = page.locator(f"#theme-{themes['Wonen'].pk}")
    x, y = _center(_row(page, STATEMENTS[0]).locator(".board-interest__handle"))
    tx, ty = _center(wonen)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + (tx - x) * step / 10, y + (ty - y) * step / 10)
    assert "is-drop-target" in wonen.get_attribute("class")
    assert "Wonen" in page.locator(".board-ghost").inner_text()
    _viewport_shot(page, "interests-board-drag-1280")
    page.mouse.up()
    wonen.locator(".board-interest", has_text=STATEMENTS[0]).wait_for()
    assert _theme_of(STATEMENTS[0]) == "Wonen"
    assert not page.locator(".is-drop-target, .board-ghost").count()
    announce = page.locator("#board-announce")
    wait_until(page, "document.getElementById('board-announce').textContent.includes('verplaatst')")
    assert announce.inner_text() == "1 belang verplaatst naar thema Wonen."
    assert announce.get_attribute("aria-live") == "polite"
    screenshot(page, "interests-board-after-drag-1280")

    page.get_by_role("button", name="Ongedaan maken").click()
    page.locator("#column-none .board-interest", has_text=STATEMENTS[0]).wait_for()
    assert _theme_of(STATEMENTS[0]) is None
    wait_until(page, "document.getElementById('board-announce').textContent.includes('ongedaan')")
    assert "1 belang staat weer waar het stond" in announce.inner_text()


def test_dragging_one_of_the_ticked_interests_moves_them_all(live_server, new_page, board):
    url, themes = board
    page = new_page()
    _open(page, live_server, url)
    for statement in STATEMENTS[:2]:
        _row(page, statement).get_by_role("checkbox").check()
    _scroll_to_themes(page)
    zorg = page.locator(f"#theme-{themes['Zorg'].pk}")
    x, y = _center(_row(page, STATEMENTS[1]).locator(".board-interest__handle"))
    tx, ty = _center(zorg)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + (tx - x) * step / 10, y + (ty - y) * step / 10)
    assert page.locator(".board-interest.is-moving").count() == 2
    assert "2 belangen" in page.locator(".board-ghost").inner_text()
    page.mouse.up()
    zorg.locator(".board-interest").nth(1).wait_for()
    assert [_theme_of(s) for s in STATEMENTS] == ["Zorg", "Zorg", None]


def test_a_finger_drags_an_interest_to_another_theme(live_server, new_page, screenshot, board):
    url, themes = board
    services.interests_move(
        round=themes["Wonen"].round,
        interest_ids=[Interest.objects.get(statement=STATEMENTS[0]).pk],
        theme=themes["Wonen"],
        by=None,
        key=None,
    )
    page = new_page(phone=True)
    _open(page, live_server, url)
    wonen = page.locator(f"#theme-{themes['Wonen'].pk}")
    zorg = page.locator(f"#theme-{themes['Zorg'].pk}")
    wonen.scroll_into_view_if_needed()
    handle = wonen.locator(".board-interest__handle")
    # Real touch input through the browser's own input pipeline: touch-action, pointerType
    # "touch" and the implicit pointer capture of a finger all apply as on a phone.
    cdp = page.context.new_cdp_session(page)
    pointer_types = page.evaluate_handle(
        "(() => { const seen = []; document.addEventListener('pointermove',"
        " e => seen.push(e.pointerType)); return seen; })()"
    )
    x, y = _center(handle)
    tx, ty = _center(zorg.locator(".board-column"))
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        point = {"x": x + (tx - x) * step / 10, "y": y + (ty - y) * step / 10}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    assert "is-drop-target" in zorg.get_attribute("class")
    _viewport_shot(page, "interests-board-touch-drag-390")
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    zorg.locator(".board-interest", has_text=STATEMENTS[0]).wait_for()
    assert _theme_of(STATEMENTS[0]) == "Zorg"
    assert "touch" in pointer_types.json_value()
    # No sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "interests-board-390")


def test_two_interests_move_with_the_keyboard_alone_and_ctrl_z_undoes(
    live_server, new_page, screenshot, board
):
    url, themes = board
    page = new_page()
    _open(page, live_server, url)
    first = _row(page, STATEMENTS[1]).get_by_role("checkbox")  # rows are in partner, then id order
    page.locator("#selection button[type=submit]").first.focus()
    # From the bar, Tab reaches the board's rows; then only keys.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('board-interest__pick')"):
            break
    focused = page.evaluate("document.activeElement.id")
    rows = page.locator("#column-none .board-interest__pick")
    assert focused == rows.nth(0).get_attribute("id")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the row's Move handle
    assert page.evaluate("document.activeElement.className") == "board-interest__handle"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert rows.nth(0).is_checked() and rows.nth(1).is_checked()
    page.keyboard.press("m")
    listbox = page.get_by_role("listbox", name="Verplaats de 2 aangevinkte belangen naar:")
    assert listbox.evaluate("el => el === document.activeElement")
    options = listbox.get_by_role("option")
    assert options.all_inner_texts() == ["Wonen", "Zorg", "Nog niet gegroepeerd"]
    page.keyboard.press("ArrowDown")
    screenshot(page, "interests-board-keyboard-list")
    page.keyboard.press("Enter")
    zorg = page.locator(f"#theme-{themes['Zorg'].pk}")
    zorg.locator(".board-interest").nth(1).wait_for()
    moved = [s for s in STATEMENTS if _theme_of(s) == "Zorg"]
    assert len(moved) == 2
    wait_until(page, "document.getElementById('board-announce').textContent.includes('verplaatst')")
    assert page.locator("#board-announce").inner_text() == "2 belangen verplaatst naar thema Zorg."
    # Focus goes on with the interest that stayed behind, so the next one is one key away.
    stayed = next(s for s in STATEMENTS if s not in moved)
    assert page.evaluate("document.activeElement.closest('.board-interest').innerText").startswith(
        stayed
    )
    assert first  # (the locator itself was only for reading)
    page.keyboard.press("Control+z")
    page.locator("#column-none .board-interest").nth(2).wait_for()
    assert [_theme_of(s) for s in STATEMENTS] == [None, None, None]
    # Escape closes the list and gives focus back; Tab leaves it: no trap.
    page.keyboard.press("m")
    page.get_by_role("listbox").wait_for()
    page.keyboard.press("Escape")
    assert not page.get_by_role("listbox").count()
    page.keyboard.press("m")
    page.keyboard.press("Tab")
    assert not page.get_by_role("listbox").count()


def test_without_javascript_the_selection_bar_moves_and_undoes(
    live_server, chromium, screenshot, board
):
    url, themes = board
    context = chromium.new_context(
        java_script_enabled=False, locale="nl-NL", viewport={"width": 1280, "height": 800}
    )
    try:
        page = context.new_page()
        sign_in(page, live_server, "procesbegeleider")
        page.goto(f"{live_server.url}{url}")
        assert not page.locator(".board-interest__handle").count()
        assert page.locator("#board-help").is_hidden()
        _row(page, STATEMENTS[0]).get_by_role("checkbox").check()
        page.get_by_label("Verplaatsen naar thema").select_option(label="Wonen")
        page.get_by_role("button", name="Aangevinkte verplaatsen").click()
        page.wait_for_url("**?verplaatsing=*")
        assert _theme_of(STATEMENTS[0]) == "Wonen"
        assert "1 belang verplaatst naar thema Wonen." in page.locator("#board-undo").inner_text()
        screenshot(page, "interests-board-nojs-after-move")
        page.get_by_role("button", name="Ongedaan maken").click()
        page.wait_for_load_state()
        assert _theme_of(STATEMENTS[0]) is None
        assert "weer waar het stond" in page.locator("#board-undo").inner_text()
    finally:
        context.close()

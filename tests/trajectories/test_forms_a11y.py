"""Forms as screen-reader users meet them: every description found, errors reachable, no noise."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class _Elements(HTMLParser):
    """Every start tag as (tag, attrs), and the chain of open elements when it started."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "area", "col"}

    def __init__(self):
        super().__init__()
        self.elements = []
        self._open = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs, list(self._open)))
        if tag not in self.VOID:
            self._open.append((tag, attrs))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break


def _parse(html):
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def _dangling_descriptions(html):
    """aria-describedby ids that name no element of the page."""
    elements = _parse(html)
    ids = {attrs["id"] for _tag, attrs, _up in elements if attrs.get("id")}
    missing = []
    for _tag, attrs, _up in elements:
        for ref in (attrs.get("aria-describedby") or "").split():
            if ref not in ids:
                missing.append(ref)
    return missing


def _invalid_inputs(html):
    return [attrs for _tag, attrs, _up in _parse(html) if attrs.get("aria-invalid") == "true"]


@pytest.fixture
def pages(trajectory, partner, participant):
    t = trajectory.pk
    return {
        "trajectory new": ("/t/nieuw/", {"name": "", "task": "", "occasion": "start"}),
        "settings": (f"/t/{t}/instellingen/", {"name": "", "task": "", "status": "active"}),
        "partner new": (f"/t/{t}/partners/nieuw/", {"name": "", "kind": ""}),
        "participant new": (
            f"/t/{t}/partners/{partner.pk}/vertegenwoordigers/nieuw/",
            {"name": "", "email": "geen-adres", "level": ""},
        ),
        "participant edit": (
            f"/t/{t}/vertegenwoordigers/{participant.pk}/bewerken/",
            {"name": "", "email": "geen-adres", "level": ""},
        ),
        "member add": (f"/t/{t}/leden/toevoegen/", {"email": "geen-adres", "role": "manager"}),
    }


PAGES = [
    "trajectory new",
    "settings",
    "partner new",
    "participant new",
    "participant edit",
    "member add",
]


@pytest.mark.parametrize("which", PAGES)
def test_invalid_fields_point_at_their_help_and_errors_that_exist(facilitator_client, pages, which):
    url, data = pages[which]
    html = facilitator_client.post(url, data).content.decode()
    invalid = _invalid_inputs(html)
    assert invalid, "the form shows no invalid field"
    for attrs in invalid:
        described = attrs.get("aria-describedby", "").split()
        assert any(ref.endswith("_error") for ref in described), attrs
    assert _dangling_descriptions(html) == []


@pytest.mark.parametrize("which", PAGES)
def test_a_full_reload_with_errors_has_a_focusable_error_summary(facilitator_client, pages, which):
    url, data = pages[which]
    html = facilitator_client.post(url, data).content.decode()
    summaries = [attrs for _tag, attrs, _up in _parse(html) if attrs.get("id") == "error-summary"]
    assert len(summaries) == 1
    assert summaries[0].get("tabindex") == "-1"


def test_password_change_help_texts_exist_where_aria_describedby_points(facilitator_client):
    for response in (
        facilitator_client.get("/accounts/password_change/"),
        facilitator_client.post(
            "/accounts/password_change/",
            {"old_password": "fout", "new_password1": "a", "new_password2": "b"},
        ),
    ):
        html = response.content.decode()
        assert "aria-describedby" in html
        assert _dangling_descriptions(html) == []
        # Password rules are a list: never inside a paragraph (browsers split the <p>).
        for tag, _attrs, up in _parse(html):
            if tag in ("ul", "ol", "div"):
                assert "p" not in [t for t, _a in up], tag


def test_password_change_errors_have_a_focusable_summary(facilitator_client):
    html = facilitator_client.post(
        "/accounts/password_change/",
        {"old_password": "fout", "new_password1": "a", "new_password2": "b"},
    ).content.decode()
    assert 'id="error-summary"' in html
    assert _dangling_descriptions(html) == []


def test_stand_alone_representative_edit_has_no_orphan_listitem(
    facilitator_client, trajectory, participant
):
    html = facilitator_client.get(
        f"/t/{trajectory.pk}/vertegenwoordigers/{participant.pk}/bewerken/"
    ).content.decode()
    for _tag, attrs, up in _parse(html):
        if attrs.get("role") == "listitem":
            assert any(a.get("role") == "list" for _t, a in up), attrs


def test_inline_representative_edit_stays_a_listitem(facilitator_client, trajectory, participant):
    html = facilitator_client.get(
        f"/t/{trajectory.pk}/vertegenwoordigers/{participant.pk}/bewerken/",
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'role="listitem"' in html  # it replaces a row inside the list of representatives


@pytest.mark.parametrize(
    "url",
    [
        "/t/nieuw/",
        "/t/{t}/partners/",
        "/t/{t}/partners/{partner}/vertegenwoordigers/nieuw/",
        "/t/{t}/instellingen/",
    ],
)
def test_select_boxes_offer_no_dashes_as_empty_choice(facilitator_client, trajectory, partner, url):
    html = facilitator_client.get(url.format(t=trajectory.pk, partner=partner.pk)).content.decode()
    assert "---------" not in html


def test_the_representative_level_asks_for_a_choice(facilitator_client, trajectory, partner):
    html = facilitator_client.get(
        f"/t/{trajectory.pk}/partners/{partner.pk}/vertegenwoordigers/nieuw/"
    ).content.decode()
    assert '<option value="" selected>— kies —</option>' in html


def test_an_inline_form_with_errors_adds_no_second_error_summary_id(
    facilitator_client, trajectory, partner
):
    """Inline (htmx) forms are focused through data-autofocus; the page-level id stays unique
    however many inline forms show errors at once."""
    html = facilitator_client.post(
        f"/t/{trajectory.pk}/partners/nieuw/",
        {"name": "", "kind": ""},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "form-errors" in html
    assert 'id="error-summary"' not in html
    assert "data-autofocus" in html

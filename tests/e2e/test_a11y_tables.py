"""WCAG 2.1.1 and 4.1.2: a table that scrolls inside its wrapper can be reached and scrolled by
keyboard (tabindex="0") and is announced with a name (role="region" plus aria-labelledby or
aria-label). Every `.table-wrap` of every template, and every one on the rendered demo pages."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

from health.models import Pulse
from improvements.models import Proposal
from interests.models import InterestRound
from trajectories.models import Trajectory
from workshops.models import Workshop

TEMPLATES = sorted(
    path
    for path in settings.BASE_DIR.glob("**/templates/**/*.html")
    if not {".venv", "staticfiles", "node_modules"} & set(path.parts)
)
OPENING_TAG = re.compile(r"<[a-z]+\b[^>]*\bclass=\"[^\"]*\btable-wrap\b[^\"]*\"[^>]*>", re.S)


def missing_parts(attributes: dict) -> list[str]:
    problems = []
    if attributes.get("role") != "region":
        problems.append('role="region"')
    if attributes.get("tabindex") != "0":
        problems.append('tabindex="0"')
    if not (attributes.get("aria-labelledby") or attributes.get("aria-label")):
        problems.append("aria-labelledby or aria-label")
    return problems


def test_every_table_wrapper_in_the_templates_is_a_named_keyboard_stop():
    problems = []
    for path in TEMPLATES:
        text = path.read_text()
        for tag in OPENING_TAG.findall(text):
            attributes = dict(re.findall(r'([a-z-]+)="([^"]*)"', tag))
            missing = missing_parts(attributes)
            labelledby = attributes.get("aria-labelledby", "")
            if labelledby and "{" not in labelledby and f'id="{labelledby}"' not in text:
                missing.append(f"an element with id {labelledby!r} in the same template")
            if missing:
                problems.append(f"{path.relative_to(settings.BASE_DIR)}: {tag} lacks {missing}")
    assert TEMPLATES and not problems, "\n".join(problems)


class _Page(HTMLParser):
    """The table wrappers, the ids with their text, and the <time datetime> values of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.wrappers, self.times, self.texts, self._open = [], [], {}, []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "table-wrap" in (attributes.get("class") or "").split():
            self.wrappers.append(attributes)
        if tag == "time" and "datetime" in attributes:
            self.times.append(attributes["datetime"])
        if attributes.get("id"):
            self.texts[attributes["id"]] = ""
            self._open.append((tag, attributes["id"]))

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data):
        for _tag, element_id in self._open:
            self.texts[element_id] += data


def trajectory_pages(trajectory):
    """The pages of one trajectory that hold no object id: its tabs, their lists and views."""
    base = f"/t/{trajectory.pk}"
    return [
        f"{base}/",
        f"{base}/instellingen/",
        f"{base}/belangen/",
        f"{base}/belangen/kaart/",
        f"{base}/verbeteringen/",
        f"{base}/verbeteringen/draagvlak/",
        f"{base}/verbeteringen/opvolging/",
        f"{base}/gezondheid/",
        f"{base}/gezondheid/risicos/",
        f"{base}/gezondheid/krachtenveld/",
        f"{base}/rapportages/",
    ]


def demo_pages():
    call_command("load_demo", verbosity=0)
    trajectory = Trajectory.objects.get(memberships__user__username="demo")
    base = f"/t/{trajectory.pk}"
    pages = trajectory_pages(trajectory)
    pages += [
        f"{base}/belangen/rondes/{pk}/"
        for pk in InterestRound.objects.filter(trajectory=trajectory).values_list("pk", flat=True)
    ]
    pages += [
        f"{base}/bijeenkomsten/{pk}/"
        for pk in Workshop.objects.filter(trajectory=trajectory).values_list("pk", flat=True)
    ]
    pages += [
        f"{base}/verbeteringen/voorstellen/{pk}/"
        for pk in Proposal.objects.filter(trajectory=trajectory).values_list("pk", flat=True)
    ]
    pages += [
        f"{base}/gezondheid/pulsen/{pk}/"
        for pk in Pulse.objects.filter(trajectory=trajectory).values_list("pk", flat=True)
    ]
    return pages


@pytest.mark.django_db
def test_rendered_table_wrappers_are_named_and_times_are_machine_readable(client):
    pages = demo_pages()
    client.force_login(User.objects.get(username="demo"))
    problems, wrappers_seen, times_seen = [], 0, 0
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = _Page()
        page.feed(response.content.decode())
        wrappers_seen += len(page.wrappers)
        times_seen += len(page.times)
        for attributes in page.wrappers:
            missing = missing_parts(attributes)
            for element_id in attributes.get("aria-labelledby", "").split():
                if not page.texts.get(element_id, "").strip():
                    missing.append(f"a text for aria-labelledby {element_id!r}")
            if missing:
                problems.append(f"{url}: a .table-wrap lacks {missing}")
        for value in page.times:
            # A valid HTML date/time: whole seconds at most (microseconds read as garbage).
            if not re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?([+-]\d\d:\d\d|Z))?", value):
                problems.append(f"{url}: <time datetime={value!r}>")
    assert wrappers_seen >= 20 and not problems, "\n".join(problems)


def test_every_time_element_takes_its_datetime_from_the_shared_filter():
    """`|date:"c"` writes microseconds; `|machine_datetime` (coconnect/templatetags) does not."""
    problems = [
        f"{path.relative_to(settings.BASE_DIR)}: {attribute}"
        for path in TEMPLATES
        for attribute in re.findall(r'datetime="[^"]*"', path.read_text())
        if "|machine_datetime" not in attribute
    ]
    assert not problems, "\n".join(problems)

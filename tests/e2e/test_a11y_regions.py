"""Two axe-core rules in plain JavaScript, on the demo pages at desktop and phone width:
every box that scrolls is reachable by keyboard (scrollable-region-focusable, WCAG 2.1.1), and
no two named regions share a name (landmark-unique), so a screen-reader user can tell them apart.
"""

import pytest
from django.core.management import call_command

from tests.browser import sign_in_by_session
from tests.e2e.test_a11y_tables import trajectory_pages
from trajectories.models import Trajectory
from workshops import services as workshop_services
from workshops.models import Workshop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROBLEMS = """() => {
  const problems = [];
  const describe = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : "");
  const focusable = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])";
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    const scrolls = (["auto", "scroll"].includes(style.overflowX) &&
                     el.scrollWidth > el.clientWidth + 1) ||
                    (["auto", "scroll"].includes(style.overflowY) &&
                     el.scrollHeight > el.clientHeight + 1);
    if (scrolls && el.offsetParent !== null && !el.matches(focusable) &&
        !el.querySelector(focusable)) {
      problems.push("scrolls but no keyboard can reach it: " + describe(el));
    }
  }
  const name = el => el.getAttribute("aria-label") ||
    (el.getAttribute("aria-labelledby") || "").split(" ")
      .map(id => (document.getElementById(id) || {}).textContent || "").join(" ").trim();
  const seen = {};
  for (const el of document.querySelectorAll(
      "[role=region], section[aria-label], section[aria-labelledby]")) {
    if (el.offsetParent === null) continue;
    const label = name(el);
    if (label && seen[label]) problems.push(`two regions named "${label}": ` +
      describe(seen[label]) + ", " + describe(el));
    seen[label] = seen[label] || el;
  }
  return problems;
}"""


def test_scrolling_boxes_are_reachable_and_regions_have_names_of_their_own(live_server, new_page):
    call_command("load_demo", verbosity=0)
    trajectory = Trajectory.objects.get(memberships__user__username="demo")
    workshop = Workshop.objects.filter(trajectory=trajectory).order_by("starts_at").last()
    workshop_services.workshop_start(workshop=workshop)
    base = f"/t/{trajectory.pk}"
    paths = [
        "/",
        *trajectory_pages(trajectory),
        f"{base}/partners/",
        f"{base}/bijeenkomsten/{workshop.pk}/",
        f"{base}/bijeenkomsten/{workshop.pk}/regie/",
        "/rapportages/",
    ]
    problems = []
    for phone in (False, True):
        page = new_page(phone=phone)
        sign_in_by_session(page, live_server, "demo")
        for path in paths:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            width = "390px" if phone else "1280px"
            problems += [f"{path} at {width}: {p}" for p in page.evaluate(PROBLEMS)]
    assert not problems, "\n".join(problems)

"""Every trajectory-scoped URL of every app, tried by everyone who must be refused.

The victim is the demo trajectory (all apps' demo data). Outsiders are the facilitator, manager
and a participant of another trajectory, and a stranger. A second check sends the other
trajectory's own facilitator to their own trajectory's URLs carrying the victim's object ids:
an id alone must never open another trajectory's data.
"""

import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from tests import factories
from trajectories.models import Trajectory
from workshops.models import Knock

pytestmark = pytest.mark.django_db

# Which model an id in a URL points at, by kwarg name (and, for a bare `pk`, by route).
KWARG_MODELS = {
    "round_pk": "interests.InterestRound",
    "interest_pk": "interests.Interest",
    "theme_pk": "interests.Theme",
    "link_pk": "interests.InterestLink",
    "move_pk": "interests.InterestMove",
    "fact_pk": "interests.Fact",
    "workshop_pk": "workshops.Workshop",
    "item_pk": "workshops.AgendaItem",
    "option_pk": "workshops.VoteOption",
    "contribution_pk": "workshops.Contribution",
    "action_pk": "workshops.ActionItem",
    "knock_pk": "workshops.Knock",
    "proposal_pk": "improvements.Proposal",
    "kind_pk": "improvements.ImprovementKind",
    "package_pk": "improvements.ImprovementPackage",
    "pulse_pk": "health.Pulse",
    "report_pk": "reports.Report",
    "membership_pk": "trajectories.Membership",
    "partner_pk": "trajectories.Partner",
    "participant_pk": "trajectories.Participant",
}
BARE_PK_MODELS = {
    "veranderingen": "health.InterimChange",
    "risicos": "health.Risk",
    "krachtenveld": "health.Stakeholder",
}
# How each model reaches its trajectory, for picking one of the victim's objects.
TRAJECTORY_PATHS = {
    "interests.InterestRound": "trajectory",
    "interests.Interest": "round__trajectory",
    "interests.Theme": "trajectory",
    "interests.InterestLink": "round__trajectory",
    "interests.InterestMove": "round__trajectory",
    "interests.Fact": "trajectory",
    "workshops.Workshop": "trajectory",
    "workshops.AgendaItem": "workshop__trajectory",
    "workshops.VoteOption": "item__workshop__trajectory",
    "workshops.Contribution": "item__workshop__trajectory",
    "workshops.ActionItem": "trajectory",
    "workshops.Knock": "workshop__trajectory",
    "improvements.Proposal": "trajectory",
    "improvements.ImprovementKind": "trajectory",
    "improvements.ImprovementPackage": "trajectory",
    "health.Pulse": "trajectory",
    "health.InterimChange": "trajectory",
    "health.Risk": "trajectory",
    "health.Stakeholder": "trajectory",
    "reports.Report": "trajectory",
    "trajectories.Membership": "trajectory",
    "trajectories.Partner": "trajectory",
    "trajectories.Participant": "partner__trajectory",
}


def _routes(patterns=None, prefix=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


TRAJECTORY_ROUTES = sorted(r for r in _routes() if r.startswith("t/<int:trajectory_pk>/"))


def _model_for(route, kwarg):
    if kwarg == "pk":
        segment = next(s for s in BARE_PK_MODELS if f"/{s}/" in route)
        return BARE_PK_MODELS[segment]
    return KWARG_MODELS[kwarg]


def _victim_id(route, kwarg, victim):
    label = _model_for(route, kwarg)
    model = apps.get_model(label)
    path = TRAJECTORY_PATHS[label]
    obj = model.objects.filter(**{path: victim}).order_by("pk").first()
    if obj is None:
        # The demo has none: make sure no other trajectory's object could answer either.
        return 10**9
    return obj.pk


def _url(route, trajectory_pk, victim):
    def fill(match):
        converter, name = match.group(1), match.group(2)
        if name == "trajectory_pk":
            return str(trajectory_pk)
        if converter == "int":
            return str(_victim_id(route, name, victim))
        return "next" if name == "action" else "x"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


@pytest.fixture
def world(client):
    call_command("load_demo", verbosity=0)
    victim = Trajectory.objects.get(memberships__user__username="demo")
    other_facilitator = factories.make_user("outsider-facilitator")
    other_manager = factories.make_user("outsider-manager")
    other = factories.make_trajectory(
        "Buitenstaand traject", facilitator=other_facilitator, manager=other_manager
    )
    other_participant = factories.make_participant(factories.make_partner(other, "Elders BV"))
    _someone_knocks(victim)
    return {
        "victim": victim,
        "other": other,
        "other_facilitator": other_facilitator,
        "other_manager": other_manager,
        "other_participant": other_participant,
    }


def _someone_knocks(trajectory):
    """A knock waiting at the victim's first workshop, so its admit and turn-away URLs carry a
    real id (the demo has none)."""
    workshop = trajectory.workshops.order_by("pk").first()
    Knock.objects.create(
        workshop=workshop,
        partner=trajectory.partners.order_by("pk").first(),
        name="Iemand in de zaal",
        secret_hash="0" * 64,
    )


def _refusals(client, world, expect_login):
    problems = []
    for route in TRAJECTORY_ROUTES:
        url = _url(route, world["victim"].pk, world["victim"])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            status = response.status_code
            refused = status in (403, 404, 405)
            if expect_login and status == 302:
                refused = response["Location"].startswith("/accounts/login/")
            if not refused:
                problems.append(f"{method.upper()} {url} -> {status}")
    return problems


def test_strangers_are_sent_to_login_everywhere(client, world):
    assert _refusals(client, world, expect_login=True) == []


def test_facilitator_of_another_trajectory_is_refused_everywhere(client, world):
    client.force_login(world["other_facilitator"])
    assert _refusals(client, world, expect_login=False) == []


def test_manager_of_another_trajectory_is_refused_everywhere(client, world):
    client.force_login(world["other_manager"])
    assert _refusals(client, world, expect_login=False) == []


def test_participant_of_another_trajectory_is_refused_everywhere(client, world):
    factories.login_participant(client, world["other_participant"])
    assert _refusals(client, world, expect_login=False) == []


def test_another_trajectorys_ids_never_open_its_data(client, world):
    """The other trajectory's facilitator, on their own trajectory, with the victim's ids."""
    client.force_login(world["other_facilitator"])
    problems = []
    for route in TRAJECTORY_ROUTES:
        if not re.search(r"<int:(?!trajectory_pk)\w+>", route):
            continue
        url = _url(route, world["other"].pk, world["victim"])
        for method in ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status not in (403, 404, 405):
                problems.append(f"{method.upper()} {url} -> {status}")
    assert problems == []


def test_the_matrix_covers_every_app():
    prefixes = {route.split("/")[2] for route in TRAJECTORY_ROUTES if route.count("/") > 2}
    assert {
        "belangen",
        "bijeenkomsten",
        "verbeteringen",
        "gezondheid",
        "rapportages",
        "logboek",
    } <= prefixes
    assert len(TRAJECTORY_ROUTES) > 60


# Routes only the trajectory's own facilitators may use (tried with POST, which they all answer):
# its managers and participants are refused.
FACILITATOR_ONLY_ROUTES = [
    "t/<int:trajectory_pk>/rapportages/dossier/",
    "t/<int:trajectory_pk>/logboek/",
    "t/<int:trajectory_pk>/bijeenkomsten/<int:workshop_pk>/uitnodigen/",
    "t/<int:trajectory_pk>/bijeenkomsten/<int:workshop_pk>/annuleren/",
    "t/<int:trajectory_pk>/termijnen/ronde/<int:round_pk>/",
    "t/<int:trajectory_pk>/termijnen/voorstel/<int:proposal_pk>/",
    "t/<int:trajectory_pk>/termijnen/pakket/<int:package_pk>/",
    "t/<int:trajectory_pk>/termijnen/puls/<int:pulse_pk>/",
]


def test_facilitator_only_routes_refuse_the_trajectorys_own_members(client, world):
    from trajectories.models import Membership, Participant

    victim = world["victim"]
    manager = factories.make_user("victim-manager")
    Membership.objects.create(trajectory=victim, user=manager, role=Membership.Role.MANAGER)
    participant = Participant.objects.filter(partner__trajectory=victim).order_by("pk").first()
    problems = []
    for route in FACILITATOR_ONLY_ROUTES:
        assert route in TRAJECTORY_ROUTES, route
        url = _url(route, victim.pk, victim)
        client.force_login(manager)
        if (status := client.post(url).status_code) != 403:
            problems.append(f"manager POST {url} -> {status}")
        client.logout()
        factories.login_participant(client, participant)
        if (status := client.post(url).status_code) not in (403, 404):
            problems.append(f"participant POST {url} -> {status}")
        client.logout()
    assert problems == []


# The private calendar feed lives outside /t/: its token is the only key. Forged, revoked and
# unknown tokens answer 404 to everyone; managing an address needs a session of one's own.
CALENDAR_ROUTES = ["agenda/", "agenda/nieuw-adres/", "agenda/stoppen/", "agenda/<str:token>.ics"]


def test_the_calendar_routes_refuse_strangers_and_forged_tokens(client, world):
    from workshops.models import CalendarFeed

    assert set(CALENDAR_ROUTES) <= set(_routes())
    assert client.get("/agenda/").status_code == 302
    for url in ("/agenda/nieuw-adres/", "/agenda/stoppen/"):
        response = client.post(url, {"owner": "account"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not CalendarFeed.objects.exists()
    for token in ("0" * 64, CalendarFeed.token_for("forged")):
        assert client.get(f"/agenda/{token}.ics").status_code == 404


# The routes mails lead to (trajectories/mail_views.py) live outside /t/ and need no session: a
# token or a signature is their only key. Forged ones answer a refusal page (404 for an unknown
# sign-in link, 400 for a forged unsubscribe) to everyone and change nothing; the lost-link form
# answers everyone alike; the account's mail settings need an account.
MAIL_ROUTES = [
    "aanmelden/<str:token>/",
    "link-kwijt/",
    "link-kwijt/verstuurd/",
    "afmelden/<str:value>/",
    "account/",
]


def test_the_mail_routes_answer_everyone_alike_and_refuse_forged_keys(client, world):
    from trajectories.models import MailOptOut

    assert set(MAIL_ROUTES) <= set(_routes())
    participant = world["other_participant"]
    visitors = [
        ("stranger", lambda: client.logout()),
        ("facilitator", lambda: client.force_login(world["other_facilitator"])),
        ("participant", lambda: factories.login_participant(client, participant)),
    ]
    problems = []
    for who, become in visitors:
        become()
        expected = {
            ("get", "/aanmelden/forged-token/"): 404,
            ("post", "/aanmelden/forged-token/"): 404,
            ("get", "/afmelden/forged:value/"): 400,
            ("post", "/afmelden/forged:value/"): 400,
            ("get", "/link-kwijt/"): 200,
            ("get", "/link-kwijt/verstuurd/"): 200,
            ("get", "/account/"): 200 if who == "facilitator" else 302,
        }
        for (method, url), status in expected.items():
            answer = getattr(client, method)(url).status_code
            if answer != status:
                problems.append(f"{who} {method.upper()} {url} -> {answer}, expected {status}")
        client.logout()
    assert problems == []
    assert not MailOptOut.objects.exists()


# --- organisations: coordinators and portfolios ---------------------------------------------------
# A coordinator (organisations/) reads their organisation's portfolio and nothing of a trajectory
# itself: where the organisation is a partner every trajectory route refuses them (403), where it
# is not the trajectory does not exist for them (404). The portfolio routes admit only the
# organisation's coordinators (and, for the page itself, the facilitators of its trajectories).
ORGANISATION_ROUTES = sorted(r for r in _routes() if r.startswith("organisaties/"))


def _coordinator(partner, username):
    from organisations.models import Coordinator

    user = factories.make_user(username)
    Coordinator.objects.create(organisation=partner.organisation, user=user)
    return user


def _victim_partner(world):
    return world["victim"].partners.filter(kind="municipality").order_by("pk").first()


def test_a_coordinator_of_an_organisation_outside_the_trajectory_finds_nothing(client, world):
    client.force_login(_coordinator(world["other_participant"].partner, "outside-coordinator"))
    problems = []
    for route in TRAJECTORY_ROUTES:
        url = _url(route, world["victim"].pk, world["victim"])
        for method in ("get", "post"):
            if (status := getattr(client, method)(url).status_code) not in (404, 405):
                problems.append(f"{method.upper()} {url} -> {status}")
    assert problems == []


def test_a_coordinator_of_a_partner_opens_no_trajectory_page(client, world):
    from audit.models import AuditEntry

    client.force_login(_coordinator(_victim_partner(world), "partner-coordinator"))
    logged = AuditEntry.objects.count()
    problems = []
    for route in TRAJECTORY_ROUTES:
        url = _url(route, world["victim"].pk, world["victim"])
        for method in ("get", "post"):
            if (status := getattr(client, method)(url).status_code) not in (403, 404, 405):
                problems.append(f"{method.upper()} {url} -> {status}")
    assert problems == []
    assert AuditEntry.objects.count() == logged  # nothing was changed, nothing was read out


def test_the_portfolio_routes_refuse_all_but_the_organisations_coordinators(client, world):
    from reports.models import Report

    partner = _victim_partner(world)
    organisation = partner.organisation
    report = Report.objects.create(
        organisation=organisation, kind="portfolio", audience="coordinator", language="nl"
    )
    assert len(ORGANISATION_ROUTES) >= 5
    elsewhere = _coordinator(world["other_participant"].partner, "elders-coordinator")

    def url(route):
        filled = route.replace("<int:organisation_pk>", str(organisation.pk))
        return "/" + filled.replace("<int:report_pk>", str(report.pk))

    outsiders = [
        ("facilitator", lambda: client.force_login(world["other_facilitator"])),
        ("manager", lambda: client.force_login(world["other_manager"])),
        ("participant", lambda: factories.login_participant(client, world["other_participant"])),
        ("other coordinator", lambda: client.force_login(elsewhere)),
    ]
    problems = []
    for route in ORGANISATION_ROUTES:
        if route == "organisaties/":
            continue
        for method in ("get", "post"):
            client.logout()
            response = getattr(client, method)(url(route))
            if response.status_code != 405 and not response.get("Location", "").startswith(
                "/accounts/login/"
            ):
                problems.append(f"stranger {method.upper()} {url(route)} -> {response.status_code}")
            for who, become in outsiders:
                client.logout()
                become()
                response = getattr(client, method)(url(route))
                status = response.status_code
                # A participant holds no account: the portfolio asks them to sign in.
                to_login = response.get("Location", "").startswith("/accounts/login/")
                if status not in (404, 405) and not (who == "participant" and to_login):
                    problems.append(f"{who} {method.upper()} {url(route)} -> {status}")
    assert problems == []
    # The victim's own manager and participant have no portfolio either.
    from trajectories.models import Membership, Participant

    manager = Membership.objects.filter(trajectory=world["victim"], role="manager").first().user
    client.logout()
    client.force_login(manager)
    assert client.get(f"/organisaties/{organisation.pk}/").status_code == 404
    client.logout()
    factories.login_participant(client, Participant.objects.filter(partner=partner).first())
    assert client.get(f"/organisaties/{organisation.pk}/").status_code in (302, 404)
    client.logout()
    client.force_login(_coordinator(partner, "own-coordinator"))
    assert client.get(f"/organisaties/{organisation.pk}/").status_code == 200

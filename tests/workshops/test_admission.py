"""Knock and admit: someone without a personal link asks to join from the projector's QR code and
the facilitator admits or turns them away (workshops/admission.py)."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from tests.workshops.conftest import make_workshop
from trajectories.access import SESSION_INVITE_KEY
from trajectories.models import Participant, Trajectory, hash_token
from workshops import admission
from workshops.admission import SESSION_KNOCK_KEY, AdmissionError
from workshops.models import Knock, Workshop

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _join(workshop):
    return f"/doe-mee/{workshop.join_code}/"


def _wait(workshop):
    return f"/doe-mee/{workshop.join_code}/wacht/"


def _status(workshop):
    return f"/doe-mee/{workshop.join_code}/wacht/stand/"


def _console(workshop, rest=""):
    return f"/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/{rest}"


def _knock(client, workshop, partner, name="Sanne Bakker", **extra):
    data = {
        "partner": partner.pk,
        "name": name,
        "email": extra.pop("email", ""),
        "submission_key": extra.pop("key", uuid.uuid4()),
    }
    data.update(extra)
    return client.post(_join(workshop), data)


def _knock_of(client) -> Knock:
    held = client.session[SESSION_KNOCK_KEY]
    return Knock.objects.get(pk=held["knock"])


@pytest.fixture
def door(live_workshop):
    """A live workshop, open for knocks."""
    return live_workshop


@pytest.fixture
def knocker(door, partner):
    """A browser that knocked on the door and waits."""
    client = Client()
    response = _knock(client, door, partner)
    assert response.status_code == 302, response.content.decode()
    return client


# --- the knock page: what a stranger sees ----------------------------------------------------


def test_a_stranger_sees_only_the_organisations_names(client, door, partner, participant):
    other_partner = factories.make_partner(door.trajectory, "Woonstichting De Linge")
    html = client.get(_join(door)).content.decode()
    assert partner.name in html and other_partner.name in html
    for secret in (door.title, door.trajectory.name, door.place, participant.name):
        assert secret not in html
    assert 'name="name"' in html and 'name="email"' in html


@pytest.mark.parametrize(
    "shape",
    ["closed", "another_day", "closed_trajectory", "missing"],
)
def test_no_knocking_outside_the_workshops_day_or_after_it_closed(
    client, trajectory, partner, shape
):
    workshop = make_workshop(trajectory, starts_at=timezone.now() + timedelta(days=2))
    if shape == "closed":
        workshop.status = Workshop.Status.CLOSED
        workshop.starts_at = timezone.now()
        workshop.save()
    elif shape == "closed_trajectory":
        workshop.starts_at = timezone.now()
        workshop.save()
        Trajectory.objects.filter(pk=trajectory.pk).update(status=Trajectory.Status.CLOSED)
    url = "/doe-mee/ONBEKEND/" if shape == "missing" else _join(workshop)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200  # the same page whether the workshop exists or not
    assert partner.name not in html and 'name="name"' not in html
    assert "persoonlijke link" in html
    response = client.post(url, {"partner": partner.pk, "name": "Sanne Bakker"})
    assert Knock.objects.count() == 0


def test_a_workshop_planned_for_today_takes_knocks(trajectory, partner):
    workshop = make_workshop(trajectory, starts_at=timezone.now())
    assert admission.accepts_knocks(workshop)
    tomorrow = timezone.localtime() + timedelta(days=1)
    assert not admission.accepts_knocks(workshop, now=tomorrow)


def test_a_known_representative_goes_straight_in(participant_client, door):
    response = participant_client.get(_join(door))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{door.pk}/live/")


def test_a_facilitator_goes_to_the_workshop(facilitator_client, door):
    response = facilitator_client.get(_join(door))
    assert response.status_code == 302 and response["Location"] == door.get_absolute_url()


# --- knocking ---------------------------------------------------------------------------------


def test_a_knock_waits_with_only_a_hash_of_its_secret_stored(knocker, door, partner):
    knock = _knock_of(knocker)
    secret = knocker.session[SESSION_KNOCK_KEY]["secret"]
    assert len(secret) >= 40
    assert knock.secret_hash == hash_token(secret) and secret not in knock.secret_hash
    assert (knock.workshop, knock.partner, knock.name) == (door, partner, "Sanne Bakker")
    assert knock.status == Knock.Status.WAITING
    html = knocker.get(_wait(door)).content.decode()
    assert "U wacht tot de procesbegeleider u binnenlaat." in html
    assert 'role="status"' in html and 'aria-live="polite"' in html
    # Knocking again from the same browser shows the same wait, no second knock.
    assert knocker.get(_join(door))["Location"] == _wait(door)
    assert Knock.objects.count() == 1


def test_a_knock_never_rings_the_room(client, door, partner, facilitator):
    version = door.version
    _knock(client, door, partner)
    knock = Knock.objects.get()
    admission.knock_turn_away(knock=knock, by=facilitator)
    _knock(Client(), door, partner, name="Tweede Persoon")
    admission.knock_admit(knock=Knock.objects.get(name="Tweede Persoon"), by=facilitator)
    door.refresh_from_db()
    assert door.version == version


def test_a_double_submit_makes_one_knock(client, door, partner):
    key = uuid.uuid4()
    first = _knock(client, door, partner, key=key)
    second = _knock(client, door, partner, key=key)
    assert first.status_code == second.status_code == 302
    assert Knock.objects.count() == 1


def test_a_replayed_submission_key_from_another_browser_gets_nothing(client, door, partner):
    key = uuid.uuid4()
    _knock(client, door, partner, key=key)
    thief = Client()
    response = _knock(thief, door, partner, key=key, name="Iemand Anders")
    assert Knock.objects.count() == 1
    assert SESSION_KNOCK_KEY not in thief.session
    assert thief.get(response["Location"])["Location"] == _join(door)


def test_simultaneous_submits_make_one_knock(door, partner, rf):
    """create_once's guard: the second insert with the same key finds the first."""
    key = uuid.uuid4()
    Knock.objects.create(
        workshop=door, partner=partner, name="A", secret_hash="x" * 64, submission_key=key
    )
    request = rf.post("/")
    request.session = Client().session
    knock = admission.knock_create(
        request=request, workshop=door, partner=partner, name="A", key=key
    )
    assert Knock.objects.count() == 1 and knock.secret_hash == "x" * 64
    assert SESSION_KNOCK_KEY not in request.session


def test_another_trajectorys_organisation_is_refused(client, door, other_trajectory):
    elsewhere = other_trajectory.participant.partner
    response = _knock(client, door, elsewhere)
    assert response.status_code == 422
    assert "Kies een van de getoonde organisaties." in response.content.decode()
    assert Knock.objects.count() == 0
    with pytest.raises(AdmissionError):
        admission.knock_create(request=None, workshop=door, partner=elsewhere, name="X Y")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Typ uw naam."),
        ("\x07\x1b", "Typ uw naam."),
        ("x" * 101, "niet meer dan 100 tekens bevat (het zijn er nu 101)"),
        ("<b>Sanne</b>", "Een naam kan geen &lt; of &gt; bevatten."),
        ("<script>alert(1)</script>", "Een naam kan geen &lt; of &gt; bevatten."),
        ("Sanne\u202eBakker", "onzichtbare tekens"),
        ("Sanne\u200bBakker", "onzichtbare tekens"),
        ("S", "Typ uw volledige naam."),
    ],
)
def test_a_bad_name_gets_a_clear_message_and_keeps_the_choice(client, door, partner, name, message):
    response = _knock(client, door, partner, name=name)
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert 'id="error-summary"' in html
    assert f'value="{partner.pk}" id="id_partner_0" required checked' in html
    assert Knock.objects.count() == 0


def test_control_characters_leave_the_name_and_unicode_stays(client, door, partner):
    _knock(client, door, partner, name=" Zoë  \x1bÇelik-Ödegaard\t👩\u200d🌾 ")
    assert Knock.objects.get().name == "Zoë Çelik-Ödegaard 👩\u200d🌾"


def test_a_bad_email_address_gets_a_clear_message(client, door, partner):
    response = _knock(client, door, partner, email="sanne@")
    assert response.status_code == 422
    assert "Voer een geldig e-mailadres in." in response.content.decode()


def test_knocks_are_limited_per_address(door, partner, settings):
    settings.KNOCK_LIMIT_PER_ADDRESS = 2
    statuses = [_knock(Client(), door, partner, name=f"Persoon {n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert Knock.objects.count() == 2
    # Another address still gets in.
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert _knock(other, door, partner).status_code == 302


def test_knocks_are_limited_per_workshop(door, partner, settings):
    settings.KNOCK_LIMIT_PER_WORKSHOP = 2
    statuses = [
        _knock(Client(REMOTE_ADDR=f"192.0.2.{n}"), door, partner, name=f"Persoon {n}").status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    response = _knock(Client(REMOTE_ADDR="192.0.2.99"), door, partner)
    assert response.status_code == 429
    assert "vroegen te veel mensen" in response.content.decode()
    assert response["Retry-After"] == str(settings.KNOCK_LIMIT_WINDOW)


def test_an_invalid_form_does_not_count_against_the_limit(door, partner, settings):
    settings.KNOCK_LIMIT_PER_ADDRESS = 1
    _knock(Client(), door, partner, name="<x>")
    assert _knock(Client(), door, partner).status_code == 302


# --- waiting ------------------------------------------------------------------------------------


def test_the_wait_belongs_to_the_browser_that_knocked(knocker, door, partner, facilitator):
    knock = _knock_of(knocker)
    stranger = Client()
    assert stranger.get(_wait(door))["Location"] == _join(door)
    assert stranger.get(_status(door)).status_code == 204
    # A session carrying the knock's id with a guessed secret learns nothing.
    session = stranger.session
    session[SESSION_KNOCK_KEY] = {"workshop": door.pk, "knock": knock.pk, "secret": "guess"}
    session.save()
    admission.knock_admit(knock=knock, by=facilitator)
    assert stranger.get(_wait(door))["Location"] == _join(door)
    assert SESSION_INVITE_KEY not in stranger.session


def test_the_status_follows_the_knock(knocker, door, facilitator):
    response = knocker.get(_status(door))
    assert 'data-state="waiting"' in response.content.decode()
    admission.knock_admit(knock=_knock_of(knocker), by=facilitator)
    html = knocker.get(_status(door)).content.decode()
    assert 'data-state="admitted"' in html and f'data-go="{_wait(door)}"' in html
    # Asking the status takes no session: only the waiting page does.
    assert SESSION_INVITE_KEY not in knocker.session


def test_admitted_the_knocker_takes_part_as_a_new_representative(
    knocker, door, partner, participant, facilitator
):
    knock = _knock_of(knocker)
    admission.knock_admit(knock=knock, by=facilitator)
    response = knocker.get(_wait(door))
    assert response["Location"] == _console(door, "live/")
    knock.refresh_from_db()
    newcomer = knock.participant
    assert newcomer.pk != participant.pk and newcomer.partner == partner
    assert newcomer.name == "Sanne Bakker"
    assert knocker.session[SESSION_INVITE_KEY] == newcomer.invite_links.usable().get().pk
    assert SESSION_KNOCK_KEY not in knocker.session
    page = knocker.get(_console(door, "live/"))
    assert page.status_code == 200 and "Sanne Bakker" in page.content.decode()
    # The knock gave its session once; a copy of the old session data gets nothing more.
    replay = Client()
    session = replay.session
    session[SESSION_KNOCK_KEY] = {
        "workshop": door.pk,
        "knock": knock.pk,
        "secret": "not-kept",
    }
    session.save()
    assert admission.knock_claim(request=_request_with(replay), knock=knock) is None


def _request_with(client):
    class _Request:
        session = client.session

    return _Request()


def test_the_same_name_as_a_representative_never_yields_that_representative(
    door, partner, participant, facilitator
):
    client = Client()
    _knock(client, door, partner, name=participant.name)
    knock = _knock_of(client)
    assert admission.waiting_knocks(door)[0].name_taken
    admission.knock_admit(knock=knock, by=facilitator)
    client.get(_wait(door))
    knock.refresh_from_db()
    assert knock.participant_id != participant.pk
    assert client.session[SESSION_INVITE_KEY] not in set(
        participant.invite_links.values_list("pk", flat=True)
    )


def test_turned_away_the_knocker_is_told_politely_and_nothing_else(knocker, door, facilitator):
    people = Participant.objects.count()
    admission.knock_turn_away(knock=_knock_of(knocker), by=facilitator)
    html = knocker.get(_wait(door)).content.decode()
    assert "De procesbegeleider heeft u deze keer niet binnengelaten." in html
    assert Participant.objects.count() == people
    assert SESSION_INVITE_KEY not in knocker.session
    # Scanning again shows the same answer, not a new knock form.
    assert knocker.get(_join(door))["Location"] == _wait(door)


def test_a_knock_expires(knocker, door, facilitator, settings):
    knock = _knock_of(knocker)
    Knock.objects.filter(pk=knock.pk).update(
        created_at=timezone.now() - timedelta(minutes=settings.KNOCK_MINUTES, seconds=1)
    )
    assert admission.waiting_knocks(door) == []
    with pytest.raises(AdmissionError):
        admission.knock_admit(knock=knock, by=facilitator)
    assert "Uw verzoek om mee te doen is verlopen." in knocker.get(_wait(door)).content.decode()
    # The join page offers a fresh knock.
    response = knocker.get(_join(door))
    assert response.status_code == 200 and 'name="name"' in response.content.decode()


def test_old_refused_knocks_are_forgotten(door, partner, facilitator):
    old = Knock.objects.create(
        workshop=door, partner=partner, name="Oud", secret_hash="o" * 64, status="turned_away"
    )
    Knock.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    _knock(Client(), door, partner)
    assert not Knock.objects.filter(pk=old.pk).exists()


# --- the facilitator's decisions --------------------------------------------------------------


def test_admitting_is_idempotent(knocker, door, facilitator_client):
    knock = _knock_of(knocker)
    url = _console(door, f"wachtenden/{knock.pk}/toelaten/")
    people = Participant.objects.count()
    first = facilitator_client.post(url, headers=HX)
    second = facilitator_client.post(url, headers=HX)
    assert first.status_code == second.status_code == 200
    assert Participant.objects.count() == people + 1
    knock.refresh_from_db()
    assert knock.participant.invite_links.count() == 1
    assert knock.decided_by.username == "facilitator"


def test_turning_away_is_idempotent_and_an_admitted_knock_stays_admitted(
    knocker, door, partner, facilitator
):
    knock = _knock_of(knocker)
    admission.knock_turn_away(knock=knock, by=facilitator)
    admission.knock_turn_away(knock=knock, by=facilitator)
    with pytest.raises(AdmissionError):
        admission.knock_admit(knock=knock, by=facilitator)
    other = Client()
    _knock(other, door, partner, name="Tweede Persoon")
    second = _knock_of(other)
    admission.knock_admit(knock=second, by=facilitator)
    with pytest.raises(AdmissionError):
        admission.knock_turn_away(knock=second, by=facilitator)


def test_a_knock_cannot_be_decided_through_another_workshops_url(
    knocker, door, trajectory, facilitator_client, other_trajectory, client
):
    knock = _knock_of(knocker)
    elsewhere = make_workshop(trajectory, title="Andere bijeenkomst", starts_at=timezone.now())
    for action in ("toelaten", "weigeren"):
        response = facilitator_client.post(_console(elsewhere, f"wachtenden/{knock.pk}/{action}/"))
        assert response.status_code == 404
    client.force_login(other_trajectory.facilitator)
    theirs = make_workshop(other_trajectory, starts_at=timezone.now())
    assert client.post(_console(theirs, f"wachtenden/{knock.pk}/toelaten/")).status_code == 404
    knock.refresh_from_db()
    assert knock.status == Knock.Status.WAITING


@pytest.mark.parametrize("who", ["manager", "participant", "stranger"])
def test_only_the_facilitator_decides(knocker, door, who, manager, participant, client):
    knock = _knock_of(knocker)
    if who == "manager":
        client.force_login(manager)
    elif who == "participant":
        factories.login_participant(client, participant)
    for rest in (
        f"wachtenden/{knock.pk}/toelaten/",
        f"wachtenden/{knock.pk}/weigeren/",
        "wachtenden/iedereen-toelaten/",
        "wachtenden/",
    ):
        response = client.post(_console(door, rest))
        if rest == "wachtenden/":
            assert response.status_code == 405  # only read; GET is refused below
            response = client.get(_console(door, rest))
        if who == "stranger":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code in (403, 405)
    knock.refresh_from_db()
    assert knock.status == Knock.Status.WAITING


def test_admit_everyone_admits_those_still_waiting(door, partner, facilitator_client):
    clients = [Client() for _ in range(3)]
    for n, client in enumerate(clients):
        _knock(client, door, partner, name=f"Persoon {n}")
    expired, turned, _waiting = (_knock_of(c) for c in clients)
    Knock.objects.filter(pk=expired.pk).update(created_at=timezone.now() - timedelta(hours=1))
    turned.status = Knock.Status.TURNED_AWAY
    turned.save()
    response = facilitator_client.post(_console(door, "wachtenden/iedereen-toelaten/"), headers=HX)
    assert response.status_code == 200
    assert "1 persoon is toegelaten." in response.content.decode()
    assert list(Knock.objects.filter(status="admitted").values_list("name", flat=True)) == [
        "Persoon 2"
    ]
    # Without JavaScript the console comes back.
    response = facilitator_client.post(_console(door, "wachtenden/iedereen-toelaten/"))
    assert response["Location"].endswith("/regie/#knocks")


def test_an_admitted_knocker_with_an_address_gets_their_personal_link_by_mail(
    door, partner, facilitator, django_capture_on_commit_callbacks
):
    client = Client()
    _knock(client, door, partner, email="sanne@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        admission.knock_admit(knock=_knock_of(client), by=facilitator)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sanne@example.org"]
    url = next(word for word in message.body.split() if "/i/" in word)
    phone = Client()
    assert phone.get(url[url.index("/i/") :]).status_code == 302
    assert phone.session[SESSION_INVITE_KEY] == _knock_of(client).participant.invite_links.get().pk


def test_without_an_address_nothing_is_mailed(
    knocker, facilitator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admission.knock_admit(knock=_knock_of(knocker), by=facilitator)
    assert mail.outbox == []


def test_a_closed_workshop_admits_nobody(knocker, door, facilitator):
    Workshop.objects.filter(pk=door.pk).update(status=Workshop.Status.CLOSED)
    with pytest.raises(AdmissionError):
        admission.knock_admit(knock=_knock_of(knocker), by=facilitator)


# --- the console's waiting list ---------------------------------------------------------------


def test_the_console_lists_who_waits_with_names_escaped(door, partner, facilitator_client):
    Knock.objects.create(
        workshop=door, partner=partner, name="<script>alert(1)</script>", secret_hash="s" * 64
    )
    html = facilitator_client.get(_console(door, "regie/")).content.decode()
    assert "Wachtend om mee te doen" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Toelaten" in html and "Weigeren" in html


def test_the_waiting_list_answers_204_while_unchanged(knocker, door, facilitator_client):
    url = _console(door, "wachtenden/")
    first = facilitator_client.get(url, headers=HX)
    html = first.content.decode()
    assert first.status_code == 200 and "Sanne Bakker" in html
    seen = html.split("?seen=", 1)[1].split('"', 1)[0]
    assert facilitator_client.get(url + f"?seen={seen}", headers=HX).status_code == 204
    _knock(Client(), door, knocker_partner(door), name="Nieuwe Persoon")
    again = facilitator_client.get(url + f"?seen={seen}", headers=HX)
    assert again.status_code == 200 and "Nieuwe Persoon" in again.content.decode()


def knocker_partner(workshop):
    return workshop.trajectory.partners.first()


def test_the_waiting_list_stops_polling_once_the_workshop_closed(door, facilitator_client):
    Workshop.objects.filter(pk=door.pk).update(status=Workshop.Status.CLOSED)
    response = facilitator_client.get(_console(door, "wachtenden/"), headers=HX)
    assert response.status_code == 286
    assert "data-poll-url" not in response.content.decode()


def test_knocker_names_reach_neither_the_projector_nor_the_phones(
    knocker, door, facilitator_client, participant_client, facilitator
):
    for page in (
        facilitator_client.get(_console(door, "scherm/")),
        facilitator_client.get(_console(door, "scherm/"), headers=HX),
        participant_client.get(_console(door, "live/")),
        participant_client.get(_console(door, "live/"), headers=HX),
    ):
        assert "Sanne Bakker" not in page.content.decode()
    admission.knock_turn_away(knock=_knock_of(knocker), by=facilitator)
    assert "Sanne Bakker" not in facilitator_client.get(_console(door, "scherm/")).content.decode()


def _queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_waiting_list_costs_the_same_with_few_or_many_knocks(door, partner, facilitator_client):
    def counts():
        return (
            _queries(facilitator_client, _console(door, "wachtenden/"), headers=HX),
            _queries(facilitator_client, _console(door, "regie/"), headers=HX),
        )

    def add(numbers):
        for n in numbers:
            Knock.objects.create(
                workshop=door, partner=partner, name=f"Persoon {n}", secret_hash=f"{n:064d}"
            )

    add(range(1))
    small = counts()
    add(range(1, 25))
    assert counts() == small
    assert small[0] <= 6


def test_the_join_address_names_a_random_code_never_the_workshop_number(
    client, trajectory, partner
):
    from tests.workshops.conftest import add_item
    from workshops import services
    from workshops.models import JOIN_CODE_ALPHABET, AgendaItem

    first, second = make_workshop(trajectory), make_workshop(trajectory)
    add_item(first, AgendaItem.Kind.CHECK_IN, "Welkom")
    first = services.workshop_start(workshop=first)
    assert first.join_code != second.join_code
    assert len(first.join_code) == 8 and set(first.join_code) <= set(JOIN_CODE_ALPHABET)
    # The code, also typed in lower case, opens the knock page with the organisations' names.
    for code in (first.join_code, first.join_code.lower()):
        assert partner.name in client.get(f"/doe-mee/{code}/").content.decode()
    # Stepping through workshop numbers shows nothing of any workshop.
    assert partner.name not in client.get(f"/doe-mee/{first.pk}/").content.decode()

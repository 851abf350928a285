import pytest

from tests import factories
from workshops import doorbell, services
from workshops.models import AgendaItem, Contribution, DotVote, Workshop

pytestmark = pytest.mark.django_db


def _url(workshop, path=""):
    return f"/t/{workshop.trajectory_id}/bijeenkomsten/{workshop.pk}/{path}"


def _item(workshop, kind):
    return workshop.items.get(kind=kind)


async def _asgi_get(app, path: str, query: bytes = b"") -> tuple[int, bytes]:
    """One GET through an ASGI app: its status and body."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b""}

    async def send(message):
        sent.append(message)

    await app({"type": "http", "path": path, "query_string": query, "method": "GET"}, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def _run(coroutine):
    """Run an ASGI scenario in a thread of its own (the browser tests keep a loop running in this
    one), then close the database connection its sync helpers opened."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import sync_to_async
    from django.db import connections

    async def scenario():
        try:
            return await coroutine
        finally:
            await sync_to_async(connections.close_all)()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, scenario()).result()


def _go_to(workshop, kind):
    services.workshop_go(workshop=workshop, item=_item(workshop, kind))
    workshop.refresh_from_db()


# --- the console ------------------------------------------------------------------------------


def test_starting_puts_the_first_item_on_screen(facilitator_client, workshop):
    from tests.workshops.conftest import add_item

    first = add_item(workshop, AgendaItem.Kind.CHECK_IN, "Welkom", timebox_minutes=7)
    add_item(workshop, AgendaItem.Kind.CHECK_OUT, "Tot ziens")
    response = facilitator_client.post(_url(workshop, "regie/start/"))
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.is_live and workshop.current_item == first
    assert workshop.timer_seconds == 7 * 60 and not workshop.timer_running


def test_next_and_previous_walk_the_agenda_and_stop_at_the_ends(facilitator_client, live_workshop):
    kinds = [i.kind for i in live_workshop.items.order_by("position")]
    for expected in kinds[1:] + [kinds[-1]]:
        facilitator_client.post(_url(live_workshop, "regie/next/"))
        live_workshop.refresh_from_db()
        assert live_workshop.current_item.kind == expected
    facilitator_client.post(_url(live_workshop, "regie/previous/"))
    live_workshop.refresh_from_db()
    assert live_workshop.current_item.kind == kinds[1]


def test_every_change_bumps_the_version_and_announces_it(
    facilitator_client, live_workshop, django_capture_on_commit_callbacks
):
    before = live_workshop.version
    with django_capture_on_commit_callbacks(execute=True):
        facilitator_client.post(_url(live_workshop, "regie/timer-start/"))
    live_workshop.refresh_from_db()
    assert live_workshop.version == before + 1
    assert doorbell.known_version(live_workshop.live_key) == before + 1


def test_timer_pauses_with_the_time_left(facilitator_client, live_workshop):
    facilitator_client.post(_url(live_workshop, "regie/timer-start/"))
    live_workshop.refresh_from_db()
    assert live_workshop.timer_running
    facilitator_client.post(_url(live_workshop, "regie/timer-pause/"))
    live_workshop.refresh_from_db()
    assert not live_workshop.timer_running
    assert 0 < live_workshop.timer_seconds <= live_workshop.current_item.timebox_minutes * 60


def test_unknown_console_action_is_404(facilitator_client, live_workshop):
    assert facilitator_client.post(_url(live_workshop, "regie/explode/")).status_code == 404


def test_console_fragment_answers_htmx_with_the_live_region(facilitator_client, live_workshop):
    response = facilitator_client.post(
        _url(live_workshop, "regie/next/"), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="live-region"' in html and "<html" not in html


def test_closed_workshop_cannot_start_again(facilitator_client, live_workshop):
    facilitator_client.post(_url(live_workshop, "regie/close/"))
    response = facilitator_client.post(_url(live_workshop, "regie/start/"), follow=True)
    live_workshop.refresh_from_db()
    assert live_workshop.is_closed
    assert "gesloten" in response.content.decode()


# --- contributions ----------------------------------------------------------------------------


def test_participant_adds_a_contribution_that_the_projector_shows(
    participant_client, facilitator, live_workshop, client
):
    response = participant_client.post(
        _url(live_workshop, "live/bijdrage/"),
        {"text": "Ik hoop op duidelijkheid", "item": live_workshop.current_item_id},
    )
    assert response.status_code == 302
    assert Contribution.objects.get().text == "Ik hoop op duidelijkheid"
    participant_client.logout()
    participant_client.force_login(facilitator)
    assert (
        "Ik hoop op duidelijkheid"
        in participant_client.get(_url(live_workshop, "scherm/")).content.decode()
    )


def test_the_same_submission_key_twice_adds_one_contribution(participant_client, live_workshop):
    data = {
        "text": "Eén keer",
        "item": live_workshop.current_item_id,
        "submission_key": "5b0d7c1e-0f3a-4c1e-9d2b-7a6e1f2c3d4e",
    }
    answers = [
        participant_client.post(
            _url(live_workshop, "live/bijdrage/"), data, headers={"X-Live-Queue": "1"}
        ).json()
        for _ in range(2)
    ]
    assert Contribution.objects.count() == 1
    # Both answers name the one note, so the phone marks it as its own either way.
    assert answers == [{"ok": True, "id": Contribution.objects.get().pk}] * 2


def test_contribution_for_an_item_no_longer_current_is_refused_and_kept(
    participant_client, live_workshop
):
    old_item = live_workshop.current_item_id
    services.workshop_go(workshop=live_workshop, offset=1)
    response = participant_client.post(
        _url(live_workshop, "live/bijdrage/"), {"text": "Te laat getypt", "item": old_item}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Te laat getypt" in html  # nothing typed is lost
    assert "agenda" in html.lower()
    assert not Contribution.objects.exists()


def test_queued_contribution_for_a_moved_agenda_gets_a_clear_json_refusal(
    participant_client, live_workshop
):
    old_item = live_workshop.current_item_id
    services.workshop_go(workshop=live_workshop, offset=1)
    response = participant_client.post(
        _url(live_workshop, "live/bijdrage/"),
        {
            "text": "Offline getypt",
            "item": old_item,
            "submission_key": "0c9a8b7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d",
        },
        headers={"X-Live-Queue": "1"},
    )
    assert response.status_code == 409
    assert response.json()["ok"] is False and response.json()["error"]


def test_queued_contribution_that_is_too_long_gets_a_json_refusal_with_the_reason(
    participant_client, live_workshop
):
    response = participant_client.post(
        _url(live_workshop, "live/bijdrage/"),
        {
            "text": "ä" * 281,
            "item": live_workshop.current_item_id,
            "submission_key": "1d9a8b7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d",
        },
        headers={"X-Live-Queue": "1"},
    )
    assert response.status_code == 422
    assert response.json()["ok"] is False and "280" in response.json()["error"]
    assert not Contribution.objects.exists()


def test_contribution_for_a_removed_item_says_so_and_keeps_the_text(
    participant_client, live_workshop
):
    response = participant_client.post(
        _url(live_workshop, "live/bijdrage/"), {"text": "Voor een weggehaald punt", "item": 999999}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Dit agendapunt bestaat niet meer." in html
    assert "Voor een weggehaald punt" in html
    assert not Contribution.objects.exists()


def test_too_long_contribution_is_refused_with_the_text_kept(participant_client, live_workshop):
    text = "ä" * 281
    response = participant_client.post(
        _url(live_workshop, "live/bijdrage/"), {"text": text, "item": live_workshop.current_item_id}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert text in html
    assert 'aria-invalid="true"' in html
    assert not Contribution.objects.exists()


def test_empty_contribution_is_refused(participant_client, live_workshop):
    response = participant_client.post(
        _url(live_workshop, "live/bijdrage/"),
        {"text": "   ", "item": live_workshop.current_item_id},
    )
    assert response.status_code == 422
    assert not Contribution.objects.exists()


def test_script_in_a_contribution_is_shown_as_text(
    participant_client, live_workshop, facilitator, client
):
    evil = '<script>alert("x")</script> Zürich 🏠'
    participant_client.post(
        _url(live_workshop, "live/bijdrage/"), {"text": evil, "item": live_workshop.current_item_id}
    )
    client.force_login(facilitator)
    for path in ("scherm/", "regie/", ""):
        html = client.get(_url(live_workshop, path)).content.decode()
        assert "<script>alert" not in html
    html = client.get(_url(live_workshop, "scherm/")).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Zürich 🏠" in html


def test_hidden_contribution_leaves_the_room_but_stays_in_the_console(
    facilitator_client, live_workshop, participant
):
    note, _ = services.contribution_add(
        item=live_workshop.current_item, participant=participant, text="Niet passend"
    )
    facilitator_client.post(_url(live_workshop, f"bijdragen/{note.pk}/"), {"status": "hidden"})
    assert (
        "Niet passend"
        not in facilitator_client.get(_url(live_workshop, "scherm/")).content.decode()
    )
    assert "Niet passend" in facilitator_client.get(_url(live_workshop, "regie/")).content.decode()
    facilitator_client.post(_url(live_workshop, f"bijdragen/{note.pk}/"), {"status": "removed"})
    assert (
        "Niet passend" not in facilitator_client.get(_url(live_workshop, "regie/")).content.decode()
    )


def test_moderation_with_a_made_up_status_changes_nothing(
    facilitator_client, live_workshop, participant
):
    note, _ = services.contribution_add(
        item=live_workshop.current_item, participant=participant, text="Blijft"
    )
    facilitator_client.post(
        _url(live_workshop, f"bijdragen/{note.pk}/"), {"status": "deleted-forever"}
    )
    note.refresh_from_db()
    assert note.status == Contribution.Status.VISIBLE


# --- dots ------------------------------------------------------------------------------------


def test_nobody_places_more_dots_than_allowed(participant_client, live_workshop, participant):
    _go_to(live_workshop, AgendaItem.Kind.DOT_VOTING)
    option = _item(live_workshop, AgendaItem.Kind.DOT_VOTING).options.first()
    for _ in range(5):
        participant_client.post(_url(live_workshop, "live/stip/"), {"option": option.pk})
    assert DotVote.objects.filter(participant=participant).count() == 3
    response = participant_client.post(
        _url(live_workshop, "live/stip/"), {"option": option.pk}, follow=True
    )
    assert "stippen" in response.content.decode()


def test_a_dot_taken_back_can_be_placed_elsewhere(participant_client, live_workshop, participant):
    _go_to(live_workshop, AgendaItem.Kind.DOT_VOTING)
    first, second = list(_item(live_workshop, AgendaItem.Kind.DOT_VOTING).options.all())[:2]
    for _ in range(3):
        participant_client.post(_url(live_workshop, "live/stip/"), {"option": first.pk})
    participant_client.post(_url(live_workshop, "live/stip/"), {"option": first.pk, "remove": "1"})
    participant_client.post(_url(live_workshop, "live/stip/"), {"option": second.pk})
    assert DotVote.objects.filter(participant=participant, option=first).count() == 2
    assert DotVote.objects.filter(participant=participant, option=second).count() == 1


def test_dots_on_an_item_that_is_not_current_are_refused(participant_client, live_workshop):
    option = _item(live_workshop, AgendaItem.Kind.DOT_VOTING).options.first()
    participant_client.post(_url(live_workshop, "live/stip/"), {"option": option.pk})
    assert not DotVote.objects.exists()


def test_dot_on_another_trajectorys_option_is_refused(
    participant_client, live_workshop, other_trajectory
):
    from tests.workshops.conftest import add_item, make_workshop

    _go_to(live_workshop, AgendaItem.Kind.DOT_VOTING)
    foreign = add_item(make_workshop(other_trajectory), AgendaItem.Kind.DOT_VOTING, "Elders")
    foreign_option = services.option_add(item=foreign, label="Niet van u")
    participant_client.post(_url(live_workshop, "live/stip/"), {"option": foreign_option.pk})
    participant_client.post(_url(live_workshop, "live/stip/"), {"option": "abc"})
    assert not DotVote.objects.exists()


def test_results_stay_hidden_until_revealed(facilitator_client, live_workshop, participant):
    from django.test import Client

    _go_to(live_workshop, AgendaItem.Kind.DOT_VOTING)
    item = _item(live_workshop, AgendaItem.Kind.DOT_VOTING)
    option = item.options.get(label="Woningtoewijzing")
    services.dot_place(item=item, participant=participant, option=option)
    client = factories.login_participant(Client(), participant)
    assert (
        "1 stip"
        not in client.get(_url(live_workshop, "live/"))
        .content.decode()
        .split('id="participant-item"')[1]  # the shared part: item and stream, not the own part
    )
    assert "1 stip" not in facilitator_client.get(_url(live_workshop, "scherm/")).content.decode()
    assert "1 stip" in facilitator_client.get(_url(live_workshop, "regie/")).content.decode()
    facilitator_client.post(_url(live_workshop, "regie/reveal/"))
    assert "1 stip" in facilitator_client.get(_url(live_workshop, "scherm/")).content.decode()
    assert (
        "1 stip"
        in client.get(_url(live_workshop, "live/"))
        .content.decode()
        .split('id="participant-item"')[1]  # the shared part: item and stream, not the own part
    )


# --- the doorbell endpoints -------------------------------------------------------------------


def test_poll_answers_204_when_unchanged_and_the_version_otherwise(client, live_workshop):
    url = f"/live/{live_workshop.live_key}/version/"
    assert client.get(url, {"v": live_workshop.version}).status_code == 204
    response = client.get(url, {"v": live_workshop.version - 1})
    assert response.status_code == 200 and response.content.decode() == str(live_workshop.version)
    assert client.get("/live/nonexistent-key-123/version/").status_code == 404


def test_unchanged_poll_touches_no_database_once_the_version_is_known(
    client, live_workshop, django_assert_num_queries
):
    url = f"/live/{live_workshop.live_key}/version/"
    client.get(url, {"v": 0})
    client.cookies.clear()
    with django_assert_num_queries(0):
        assert client.get(url, {"v": live_workshop.version}).status_code == 204


@pytest.mark.django_db(transaction=True)
def test_asgi_poll_and_stream_without_redis(trajectory, settings):

    from tests.workshops.conftest import make_workshop
    from workshops.asgi import live_router

    settings.REDIS_URL = ""
    workshop = make_workshop(trajectory)

    async def fallback(scope, receive, send):
        raise AssertionError("Django must not be reached")

    app = live_router(fallback)

    def call(path, query=b""):
        return _asgi_get(app, path, query)

    path = f"/live/{workshop.live_key}/version/"
    assert _run(call(path, f"v={workshop.version}".encode()))[0] == 204
    assert _run(call(path, b"v=0")) == (200, str(workshop.version).encode())
    # Without Redis there is no stream: the page polls instead.
    assert _run(call(f"/live/{workshop.live_key}/events/"))[0] == 204


@pytest.mark.django_db(transaction=True)
def test_asgi_stream_rings_on_a_bump_through_redis(trajectory, settings, redis_url):
    import asyncio

    from tests.workshops.conftest import make_workshop
    from workshops.asgi import live_router

    settings.REDIS_URL = redis_url
    doorbell._redis.cache_clear()
    workshop = make_workshop(trajectory)
    app = live_router(None)
    chunks = []

    async def scenario():
        disconnect = asyncio.Event()

        async def receive():
            await disconnect.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            chunks.append(message)

        task = asyncio.create_task(
            app(
                {"type": "http", "path": f"/live/{workshop.live_key}/events/", "query_string": b""},
                receive,
                send,
            )
        )
        await asyncio.sleep(0.3)
        await asyncio.to_thread(doorbell.announce, workshop.live_key, workshop.version + 1)
        for _ in range(50):
            if any(f"data: {workshop.version + 1}".encode() in c.get("body", b"") for c in chunks):
                break
            await asyncio.sleep(0.05)
        disconnect.set()
        await asyncio.wait_for(task, 5)

    try:
        _run(scenario())
    finally:
        doorbell._redis.cache_clear()
    assert chunks[0]["status"] == 200
    body = b"".join(c.get("body", b"") for c in chunks[1:])
    assert f"event: version\ndata: {workshop.version}\n".encode() in body
    assert f"data: {workshop.version + 1}\n".encode() in body


# --- fragment cache ----------------------------------------------------------------------------


def test_three_hundred_phones_fetching_one_version_render_it_once(
    live_workshop, partner, client, monkeypatch
):
    from workshops import live_render

    renders = []
    original = live_render.render_to_string

    def counting(*args, **kwargs):
        renders.append(args[0])
        return original(*args, **kwargs)

    monkeypatch.setattr(live_render, "render_to_string", counting)
    people = [factories.make_participant(partner) for _ in range(4)]
    for person in people:
        client.cookies.clear()
        factories.login_participant(client, person)
        assert (
            client.get(_url(live_workshop, "live/"), headers={"HX-Request": "true"}).status_code
            == 200
        )
    assert renders.count("workshops/live/_participant_shared.html") == 1
    services.workshop_bump(workshop=live_workshop)
    client.get(_url(live_workshop, "live/"), headers={"HX-Request": "true"})
    assert renders.count("workshops/live/_participant_shared.html") == 2


def test_join_page_sends_a_participant_with_a_session_straight_in(
    participant_client, live_workshop, client
):
    response = participant_client.get(f"/doe-mee/{live_workshop.join_code}/")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/{live_workshop.pk}/live/"
    )


def test_join_page_tells_strangers_to_use_their_personal_link(client, live_workshop):
    response = client.get(f"/doe-mee/{live_workshop.join_code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert live_workshop.title not in html
    assert "persoonlijke" in html


def test_participant_of_another_trajectory_is_not_let_in_by_the_qr_code(
    client, live_workshop, other_trajectory
):
    factories.login_participant(client, other_trajectory.participant)
    response = client.get(f"/doe-mee/{live_workshop.join_code}/")
    assert response.status_code == 200
    assert live_workshop.title not in response.content.decode()


def test_opening_the_live_view_records_attendance(participant_client, live_workshop, participant):
    participant_client.get(_url(live_workshop, "live/"))
    assert live_workshop.attendances.filter(participant=participant).exists()


def test_console_shows_who_is_connected(
    participant_client, live_workshop, participant, facilitator, second_participant
):
    participant_client.post(_url(live_workshop, "live/hier/"))
    participant_client.logout()
    participant_client.force_login(facilitator)
    html = participant_client.get(
        _url(live_workshop, "regie/"), {"fragment": "presence"}, headers={"HX-Request": "true"}
    ).content.decode()
    mine = html.split(participant.name)[1].split("</li>")[0]
    theirs = html.split(second_participant.name)[1].split("</li>")[0]
    assert "verbonden" in mine and "niet verbonden" not in mine
    assert "niet verbonden" in theirs


def test_closed_workshop_has_no_live_actions(participant_client, live_workshop):
    services.workshop_close(workshop=live_workshop)
    response = participant_client.post(
        _url(live_workshop, "live/bijdrage/"),
        {"text": "Na afloop", "item": live_workshop.current_item_id},
    )
    assert response.status_code == 422
    assert not Contribution.objects.exists()
    assert Workshop.objects.get().is_closed


# --- the shared fragment's capability address -------------------------------------------------


def _shared_path(workshop, variant, token=None, language="nl", invite=1):
    from workshops.live_render import shared_token

    token = token or shared_token(workshop.live_key, variant, invite)
    return f"/live/{workshop.live_key}/s/{variant}/{invite}/{token}/{language}/"


def test_shared_fragment_is_served_by_its_address_without_a_session(
    client, live_workshop, participant
):
    services.contribution_add(
        item=live_workshop.current_item, participant=participant, text="Gedeeld geeltje"
    )
    link, _token = factories.make_invite(participant)
    response = client.get(
        _shared_path(live_workshop, f"partner-{participant.partner_id}", invite=link.pk), {"v": 0}
    )
    assert response.status_code == 200
    assert "Gedeeld geeltje" in response.content.decode()


def test_shared_fragment_with_another_variants_token_is_404(
    client, live_workshop, partner, other_trajectory
):
    from workshops.live_render import shared_token

    second = factories.make_partner(live_workshop.trajectory, "Tweede partner")
    token_of_first = shared_token(live_workshop.live_key, f"partner-{partner.pk}", 1)
    assert (
        client.get(_shared_path(live_workshop, f"partner-{second.pk}", token_of_first)).status_code
        == 404
    )
    assert client.get(_shared_path(live_workshop, "partner-abc")).status_code == 404
    # A partner of another trajectory, even with a valid token for it, is not a variant here.
    foreign = other_trajectory.participant.partner_id
    assert client.get(_shared_path(live_workshop, f"partner-{foreign}")).status_code == 404
    assert client.get(_shared_path(live_workshop, "projector", language="xx")).status_code == 404


def test_phone_page_hands_out_only_its_own_partners_address(
    participant_client, live_workshop, participant
):
    html = participant_client.get(_url(live_workshop, "live/")).content.decode()
    invite = participant.invite_links.usable().get().pk
    assert _shared_path(live_workshop, f"partner-{participant.partner_id}", invite=invite) in html


@pytest.mark.django_db(transaction=True)
def test_asgi_serves_a_rendered_shared_fragment_without_django(
    trajectory, partner, participant, settings
):

    from tests.workshops.conftest import add_item, make_workshop
    from workshops import live_render
    from workshops.asgi import live_router

    settings.REDIS_URL = ""
    workshop = make_workshop(trajectory)
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Welkom")
    workshop = services.workshop_start(workshop=workshop)
    workshop = Workshop.objects.select_related("current_item").get(pk=workshop.pk)
    viewer = live_render.audience_for(workshop, f"partner-{partner.pk}")
    from django.utils import translation

    with translation.override("nl"):
        html = live_render.render_shared(workshop, viewer, screen="participant")
    link, _token = factories.make_invite(participant)
    doorbell.pass_grant(link.pk)  # as Django does after checking the link
    reached_django = []

    async def django_app(scope, receive, send):
        reached_django.append(scope["path"])
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    app = live_router(django_app)
    path = _shared_path(workshop, f"partner-{partner.pk}", invite=link.pk)

    def call(query):
        return _asgi_get(app, path, query)

    assert _run(call(f"v={workshop.version}".encode())) == (200, html.encode())
    # A phone rung for an older version takes the newer fragment (never a trip to Django).
    assert _run(call(f"v={workshop.version - 1}".encode())) == (200, html.encode())
    assert reached_django == []
    assert _run(call(f"v={workshop.version + 1}".encode()))[0] == 299  # not rendered yet: Django


@pytest.mark.parametrize("kind", [AgendaItem.Kind.PROPOSALS, AgendaItem.Kind.PULSE])
def test_items_of_other_apps_render_on_all_three_screens(
    kind, facilitator, participant, live_workshop
):
    from django.test import Client

    from tests.workshops.conftest import add_item

    item = add_item(live_workshop, kind, "Van een andere app")
    services.workshop_go(workshop=live_workshop, item=item)
    console = Client()
    console.force_login(facilitator)
    phone = factories.login_participant(Client(), participant)
    for client, path in ((console, "regie/"), (console, "scherm/"), (phone, "live/")):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(_url(live_workshop, path), headers=headers)
            assert response.status_code == 200, (path, response.status_code)
            assert "Van een andere app" in response.content.decode()


# --- interests items respect the interests app's tier rule ---------------------------------------


@pytest.fixture
def interests_workshop(trajectory, facilitator, participant):
    from interests import services as interest_services
    from interests.models import Interest
    from tests.workshops.conftest import add_item, make_workshop

    round_ = interest_services.round_open(
        round=interest_services.round_create(
            trajectory=trajectory, title="Eerste ronde", by=facilitator
        ),
        by=facilitator,
    )
    other = factories.make_participant(
        factories.make_partner(trajectory, "Woningcorporatie Zuiderlicht"), "Bram"
    )
    for person, statement, tier in (
        (participant, "EIGEN-BELANG gemeente", Interest.Tier.NAMED),
        (other, "GEHEIM-BELANG corporatie", Interest.Tier.FACILITATOR),
        (other, "ANONIEM-BELANG corporatie", Interest.Tier.ANONYMOUS),
    ):
        interest_services.interest_save(
            round=round_,
            partner=person.partner,
            by=person,
            data={"statement": statement, "weight": "important", "tier": tier},
            submit=True,
        )
    theme = interest_services.theme_create(round=round_, name="Woningen")
    workshop = make_workshop(trajectory)
    add_item(workshop, AgendaItem.Kind.INTERESTS_ROUND, "Belangen op tafel", interest_round=round_)
    add_item(workshop, AgendaItem.Kind.THEMES, "Thema's", interest_round=round_)
    services.workshop_start(workshop=workshop)
    workshop.refresh_from_db()
    return workshop, round_, theme


def test_interests_round_follows_the_tier_rule_on_every_screen(
    interests_workshop, facilitator, participant
):
    from django.test import Client

    workshop, round_, _theme = interests_workshop
    console = Client()
    console.force_login(facilitator)
    phone = factories.login_participant(Client(), participant)
    # Before the reveal: the phone sees only its own partner's interest, the room nothing.
    html = phone.get(_url(workshop, "live/")).content.decode()
    assert "EIGEN-BELANG" in html and "GEHEIM-BELANG" not in html and "ANONIEM-BELANG" not in html
    html = console.get(_url(workshop, "scherm/")).content.decode()
    assert "EIGEN-BELANG" not in html and "ANONIEM-BELANG" not in html
    assert "GEHEIM-BELANG" in console.get(_url(workshop, "regie/")).content.decode()
    # The facilitator reveals from the console: shared interests appear, facilitator-only ones
    # never.
    console.post(_url(workshop, "regie/reveal-interests/"))
    round_.refresh_from_db()
    assert round_.is_revealed
    for html in (
        phone.get(_url(workshop, "live/")).content.decode(),
        console.get(_url(workshop, "scherm/")).content.decode(),
    ):
        assert "ANONIEM-BELANG" in html and "GEHEIM-BELANG" not in html
    projector = console.get(_url(workshop, "scherm/")).content.decode()
    assert "Woningcorporatie Zuiderlicht" not in projector  # the anonymous one stays anonymous


def test_facilitator_classifies_a_theme_from_the_console(interests_workshop, facilitator_client):
    workshop, _round, theme = interests_workshop
    services.workshop_go(workshop=workshop, offset=1)
    facilitator_client.post(
        _url(workshop, "regie/classify/"), {"theme": theme.pk, "classification": "compatible"}
    )
    theme.refresh_from_db()
    assert theme.classification == "compatible"
    response = facilitator_client.post(
        _url(workshop, "regie/classify/"),
        {"theme": theme.pk, "classification": "bogus"},
        follow=True,
    )
    theme.refresh_from_db()
    assert theme.classification == "compatible"
    assert response.status_code == 200


def test_an_interest_submitted_on_the_interests_pages_rings_the_live_workshop(
    interests_workshop, participant
):
    from interests import services as interest_services

    workshop, round_, _theme = interests_workshop
    before = Workshop.objects.get(pk=workshop.pk).version
    interest_services.interest_save(
        round=round_,
        partner=participant.partner,
        by=participant,
        data={"statement": "Nog een belang", "weight": "important", "tier": "named"},
        submit=True,
    )
    assert Workshop.objects.get(pk=workshop.pk).version > before


@pytest.mark.django_db(transaction=True)
def test_a_fragment_not_rendered_ahead_is_rendered_by_django_once_then_served_from_the_store(
    trajectory, partner, participant, settings
):
    """English, which no screen of this workshop was shown in yet, is not rendered ahead: the
    first English phone goes on to Django, which renders and stores it; the next is served from
    the store without reaching Django."""
    from asgiref.sync import sync_to_async
    from django.utils import translation

    from tests.workshops.conftest import add_item, make_workshop
    from workshops import live_render
    from workshops.asgi import live_router

    settings.REDIS_URL = ""
    workshop = make_workshop(trajectory)
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Welkom")
    workshop = services.workshop_start(workshop=workshop)
    workshop = Workshop.objects.select_related("trajectory", "current_item").get(pk=workshop.pk)
    link, _token = factories.make_invite(participant)
    doorbell.pass_grant(link.pk)
    key = doorbell.fragment_key(workshop.live_key, f"partner-{partner.pk}", "en")
    assert doorbell.fragment_get(key, workshop.version) is None  # not rendered ahead
    reached_django = []

    def render():
        viewer = live_render.audience_for(workshop, f"partner-{partner.pk}")
        with translation.override("en"):
            return live_render.render_shared(workshop, viewer, screen="participant")

    async def django_app(scope, receive, send):
        reached_django.append(scope["path"])
        html = await sync_to_async(render)()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": html.encode()})

    app = live_router(django_app)
    path = _shared_path(workshop, f"partner-{partner.pk}", invite=link.pk, language="en")
    query = f"v={workshop.version}".encode()
    first = _run(_asgi_get(app, path, query))
    second = _run(_asgi_get(app, path, query))
    assert reached_django == [path]
    assert first[0] == second[0] == 200
    assert b"Welkom" in first[1] and first[1] == second[1]
    assert "en" in doorbell.languages_seen(workshop.live_key)  # rendered ahead from now on


@pytest.mark.django_db(transaction=True)
def test_a_change_renders_the_rooms_fragments_before_the_room_is_rung(
    trajectory, partner, participant, settings, monkeypatch
):
    """Phones rung for a version find its fragment in the store, in every language a screen of
    the workshop was shown in, and the projector's too; a console-only change renders nothing."""
    from tests.workshops.conftest import add_item, make_workshop
    from workshops import live_render

    settings.REDIS_URL = ""
    other = factories.make_partner(trajectory, name="Woonstichting")
    workshop = make_workshop(trajectory)
    add_item(workshop, AgendaItem.Kind.CHECK_IN, "Welkom")
    add_item(workshop, AgendaItem.Kind.CHECK_OUT, "Afsluiting")
    workshop = services.workshop_start(workshop=workshop)
    doorbell.language_seen(workshop.live_key, "en")  # an English phone opened its page earlier

    def key(variant, language):
        return doorbell.fragment_key(workshop.live_key, variant, language)

    stored_when_rung = []

    def announce(live_key, version, *, room=True):
        variants = [f"partner-{partner.pk}", f"partner-{other.pk}", "projector"]
        stored_when_rung.append(
            {
                (variant, language): doorbell.fragment_get(key(variant, language), version)
                for variant in variants
                for language in ("nl", "en")
            }
        )

    monkeypatch.setattr(doorbell, "announce", announce)
    workshop = services.workshop_go(workshop=workshop, offset=1)
    [stored] = stored_when_rung
    assert all(html is not None for html in stored.values()), stored
    assert "Afsluiting" in stored[(f"partner-{other.pk}", "nl")]
    assert "Afsluiting" in stored[("projector", "en")]

    renders = []
    monkeypatch.setattr(live_render, "prerender", renders.append)
    services.workshop_bump(workshop=workshop, room=False)
    assert renders == [] and len(stored_when_rung) == 2


def test_a_fragment_served_from_redis_is_not_escaped_twice(
    participant_client, live_workshop, facilitator, client, settings, redis_url
):
    """A cache hit must give the same HTML as the first rendering (Redis returns bytes)."""
    settings.REDIS_URL = redis_url
    participant_client.post(
        _url(live_workshop, "live/bijdrage/"),
        {"text": '<b>vet</b> "Zürich"', "item": live_workshop.current_item_id},
    )
    client.force_login(facilitator)
    first = client.get(_url(live_workshop, "scherm/")).content.decode()
    again = client.get(_url(live_workshop, "scherm/")).content.decode()
    assert "&lt;b&gt;vet&lt;/b&gt; &quot;Zürich&quot;" in first
    assert "&amp;lt;" not in again
    assert first.count('class="note__text"') == again.count('class="note__text"') == 1
    assert "&lt;b&gt;vet&lt;/b&gt; &quot;Zürich&quot;" in again


def test_a_move_to_a_vote_gives_the_phones_their_dots_in_the_shared_fragment(
    client, participant_client, live_workshop, participant
):
    """The shared fragment carries a blank of the dots part (workshops.js fills in the phone's own
    dots, kept from its own answers), so a move to a vote costs no request per phone."""
    voting = _item(live_workshop, AgendaItem.Kind.DOT_VOTING)
    _go_to(live_workshop, AgendaItem.Kind.DOT_VOTING)
    option = voting.options.order_by("position", "pk").first()
    participant_client.post(_url(live_workshop, "live/stip/"), {"option": option.pk})
    page = participant_client.get(_url(live_workshop, "live/")).content.decode()
    assert _mine(page)["dots"] == {str(voting.pk): {str(option.pk): 1}}

    link, _token = factories.make_invite(participant)
    variant = f"partner-{participant.partner_id}"
    live_workshop.refresh_from_db()
    shared = client.get(
        _shared_path(live_workshop, variant, invite=link.pk), {"v": live_workshop.version}
    ).content.decode()
    assert "data-own-part" not in shared and "data-personal" not in shared
    assert f'<template id="own-blank" data-item="{voting.pk}"' in shared
    blank = shared.split('id="own-blank"', 1)[1]
    assert f'data-option="{option.pk}"' in blank and f'id="dot-add-{option.pk}"' in blank
    assert 'data-left-one="U hebt nog {n} stip"' in shared


def _mine(page):
    """What the phone's page says is this person's own (data-mine on its own part)."""
    import html
    import json
    import re

    return json.loads(html.unescape(re.search(r'data-mine="([^"]*)"', page)[1]))


def test_the_phone_page_opens_its_links_pass_so_the_first_doorbell_skips_django(
    participant_client, live_workshop
):
    from trajectories.access import SESSION_INVITE_KEY

    invite_id = participant_client.session[SESSION_INVITE_KEY]
    assert not doorbell.pass_open(invite_id)
    participant_client.get(_url(live_workshop, "live/"))
    assert doorbell.pass_open(invite_id)


def test_interests_changes_from_the_console_ring_once(interests_workshop, facilitator_client):
    workshop, _round, theme = interests_workshop
    before = Workshop.objects.get(pk=workshop.pk).version
    facilitator_client.post(_url(workshop, "regie/reveal-interests/"))
    assert Workshop.objects.get(pk=workshop.pk).version == before + 1
    services.workshop_go(workshop=workshop, offset=1)
    before = Workshop.objects.get(pk=workshop.pk).version
    facilitator_client.post(
        _url(workshop, "regie/classify/"), {"theme": theme.pk, "classification": "compatible"}
    )
    assert Workshop.objects.get(pk=workshop.pk).version == before + 1

"""A phone in the room reaches Django to post a note, place a dot or say it is still there: its
session comes from the cache, not the database (cached_db), so those requests spend their few
queries on what they change."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from workshops.models import AgendaItem


def _session_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]


def test_a_phones_requests_read_no_session_from_the_database(participant_client, live_workshop):
    base = f"/t/{live_workshop.trajectory_id}/bijeenkomsten/{live_workshop.pk}/live"
    assert participant_client.get(f"{base}/").status_code == 200  # the session is cached now
    voting = live_workshop.items.get(kind=AgendaItem.Kind.DOT_VOTING)
    live_workshop.current_item = voting
    live_workshop.save(update_fields=["current_item"])
    option = voting.options.first()

    with CaptureQueriesContext(connection) as captured:
        assert participant_client.post(f"{base}/hier/").status_code == 204
        participant_client.post(f"{base}/stip/", {"option": option.pk}, HTTP_HX_REQUEST="true")
    assert voting.dots.count() == 1
    assert _session_queries(captured) == []

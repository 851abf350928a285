"""The facilitator's audit log page: newest first, filters, pages, only the own trajectory."""

import datetime

import pytest
from django.utils import timezone

import audit
from audit.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

Action = AuditEntry.Action


def _url(trajectory, query=""):
    return f"/t/{trajectory.pk}/logboek/{query}"


def _entry(trajectory, action=Action.MEMBER_ADDED, *, at=None, **fields):
    if at is None:
        return audit.record(trajectory=trajectory, action=action, **fields)
    # An entry of the past is written whole: the log refuses to backdate one (on PostgreSQL the
    # trigger refuses any UPDATE).
    return AuditEntry.objects.create(trajectory=trajectory, action=action, at=at, **fields)


def test_facilitator_reads_the_log_newest_first(facilitator_client, trajectory, facilitator):
    now = timezone.now()
    _entry(trajectory, summary="eerste", at=now - datetime.timedelta(days=2))
    _entry(trajectory, Action.PACKAGE_ADOPTED, summary="tweede", by=facilitator)
    response = facilitator_client.get(_url(trajectory))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert html.index("tweede") < html.index("eerste")
    assert "Pakket vastgesteld" in html and "Procesbegeleider facilitator" in html
    assert 'aria-current="page">Logboek</a>' in html


def test_managers_and_participants_may_not_read_it(manager_client, trajectory, client, participant):
    assert manager_client.get(_url(trajectory)).status_code == 403
    manager_client.logout()
    factories.login_participant(client, participant)
    assert client.get(_url(trajectory)).status_code == 403


def test_another_trajectorys_entries_never_show(facilitator_client, trajectory, other_trajectory):
    _entry(trajectory, summary="van ons")
    _entry(other_trajectory, summary="van elders", partner=other_trajectory.participant.partner)
    html = facilitator_client.get(_url(trajectory)).content.decode()
    assert "van ons" in html and "van elders" not in html
    # Their partner is no filter here: "not one of the choices", and everything of ours shows.
    partner = other_trajectory.participant.partner
    response = facilitator_client.get(_url(trajectory, f"?partner={partner.pk}"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Selecteer een geldige keuze" in html and "van ons" in html
    assert "van elders" not in html and partner.name not in html
    assert facilitator_client.get(_url(other_trajectory)).status_code == 404


def test_filters_by_action_partner_and_dates(facilitator_client, trajectory, partner):
    other = factories.make_partner(trajectory, "Woonstichting")
    day = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    _entry(trajectory, Action.POSITION_TAKEN, partner=partner, summary="A", at=day)
    _entry(trajectory, Action.POSITION_TAKEN, partner=other, summary="B", at=day)
    _entry(
        trajectory,
        Action.PACKAGE_ADOPTED,
        partner=partner,
        summary="C",
        at=day - datetime.timedelta(days=3),
    )

    def shown(query):
        html = facilitator_client.get(_url(trajectory, query)).content.decode()
        html = html[html.index('id="entries-heading"') :]
        return {s for s in "ABC" if f": {s}\n" in html or f": {s}<" in html}

    assert shown("") == {"A", "B", "C"}
    assert shown("?action=position_taken") == {"A", "B"}
    assert shown(f"?partner={partner.pk}") == {"A", "C"}
    assert shown(f"?action=position_taken&partner={partner.pk}") == {"A"}
    today = day.date().isoformat()
    earlier = (day - datetime.timedelta(days=3)).date().isoformat()
    assert shown(f"?date_from={today}") == {"A", "B"}
    assert shown(f"?date_to={earlier}") == {"C"}
    assert shown(f"?date_from={earlier}&date_to={earlier}") == {"C"}


def test_bad_filters_say_what_to_correct_and_show_everything(facilitator_client, trajectory):
    _entry(trajectory, summary="blijft zichtbaar")
    for query in (
        "?date_from=2026-05-02&date_to=2026-05-01",
        "?date_from=gisteren",
        "?action=<script>",
    ):
        response = facilitator_client.get(_url(trajectory, query))
        html = response.content.decode()
        assert response.status_code == 422, query
        assert 'class="form-errors"' in html and "blijft zichtbaar" in html
        assert "<script>" not in html.split("<main", 1)[1]
    html = facilitator_client.get(
        _url(trajectory, "?date_from=2026-05-02&date_to=2026-05-01")
    ).content.decode()
    assert "De einddatum ligt voor de begindatum." in html


def test_stored_text_stays_text(facilitator_client, trajectory):
    _entry(trajectory, summary='<script>alert("x")</script> é 名前')
    html = facilitator_client.get(_url(trajectory)).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; é 名前" in html


def test_pages_of_fifty_keep_the_filters(facilitator_client, trajectory):
    AuditEntry.objects.bulk_create(
        AuditEntry(trajectory=trajectory, action=Action.INVITE_ISSUED, summary=f"regel {n}")
        for n in range(120)
    )
    _entry(trajectory, Action.MEMBER_ADDED, summary="ander soort")
    html = facilitator_client.get(_url(trajectory, "?action=invite_issued")).content.decode()
    assert html.count('class="audit-entry"') == 50
    assert "120 regels voldoen aan de filters" in html and "Pagina 1 van 3" in html
    assert 'href="?action=invite_issued&amp;page=2"' in html
    html = facilitator_client.get(_url(trajectory, "?action=invite_issued&page=3")).content.decode()
    assert html.count('class="audit-entry"') == 20 and "ander soort" not in html
    # A page number beyond the end or not a number shows a page, never an error.
    assert facilitator_client.get(_url(trajectory, "?page=99")).status_code == 200
    assert facilitator_client.get(_url(trajectory, "?page=x")).status_code == 200


@pytest.mark.parametrize("count", [3, 200])
def test_query_count_does_not_grow(
    facilitator_client, trajectory, count, django_assert_num_queries
):
    partners = [factories.make_partner(trajectory) for _ in range(min(count, 12))]
    AuditEntry.objects.bulk_create(
        AuditEntry(
            trajectory=trajectory,
            action=Action.POSITION_TAKEN,
            partner=partners[n % len(partners)],
            summary=f"regel {n}",
        )
        for n in range(count)
    )
    facilitator_client.get(_url(trajectory))
    # User, membership with trajectory, count, partners for the filter, one page (the session
    # comes from the cache).
    with django_assert_num_queries(5):
        assert facilitator_client.get(_url(trajectory)).status_code == 200
    # The chosen partner is looked up once more, to check it is one of ours.
    with django_assert_num_queries(6):
        query = f"?partner={partners[0].pk}&action=position_taken"
        assert facilitator_client.get(_url(trajectory, query)).status_code == 200

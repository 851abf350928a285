import re

import pytest
from django.utils import timezone

from reports.models import Report
from reports.services import report_build
from tests import factories
from workshops.models import Workshop

from .conftest import make_report

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def ready_report(rich_trajectory, manager):
    report = make_report(rich_trajectory, requested_by=manager)
    report_build(report_id=report.pk)
    report.refresh_from_db()
    return report


def _routes(trajectory, report):
    base = f"/t/{trajectory.pk}/rapportages/"
    return [
        ("get", base, {}),
        ("post", f"{base}bestellen/", {"language": "nl"}),
        ("get", f"{base}{report.pk}/", {}),
        ("get", f"{base}{report.pk}/download/", {}),
        ("post", f"{base}{report.pk}/opnieuw/", {}),
    ]


def _call(client, method, url, data):
    return getattr(client, method)(url, data)


def test_anonymous_visitor_is_sent_to_login_everywhere(client, ready_report):
    for method, url, data in _routes(ready_report.trajectory, ready_report):
        response = _call(client, method, url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    assert client.get("/rapportages/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["facilitator", "manager", "participant"])
def test_members_of_another_trajectory_get_404_everywhere(
    client, ready_report, other_trajectory, who
):
    if who == "participant":
        factories.login_participant(client, other_trajectory.participant)
    else:
        client.force_login(getattr(other_trajectory, who))
    for method, url, data in _routes(ready_report.trajectory, ready_report):
        assert _call(client, method, url, data).status_code == 404, url
    assert Report.objects.count() == 1


def test_participant_of_the_trajectory_is_refused_everywhere(participant_client, ready_report):
    for method, url, data in _routes(ready_report.trajectory, ready_report):
        assert _call(participant_client, method, url, data).status_code == 403, url
    # The dashboard is for accounts; a participant has none.
    assert participant_client.get("/rapportages/")["Location"].startswith("/accounts/login/")


def test_manager_reads_orders_and_downloads(manager_client, ready_report):
    base = f"/t/{ready_report.trajectory_id}/rapportages/"
    assert manager_client.get(base).status_code == 200
    assert manager_client.get(f"{base}{ready_report.pk}/").status_code == 200
    download = manager_client.get(f"{base}{ready_report.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    today = timezone.localdate(ready_report.created_at)
    assert download["Content-Disposition"] == (
        'attachment; filename="voortgangsrapportage-van-beschermd-wonen-naar-een-eigen-thuis-'
        f'{today:%Y-%m-%d}.pdf"'
    )
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert "private" in download["Cache-Control"]
    ordered = manager_client.post(f"{base}bestellen/", {"language": "en"})
    assert ordered.status_code == 302
    assert Report.objects.count() == 2


def test_facilitator_opens_every_route(facilitator_client, ready_report):
    base = f"/t/{ready_report.trajectory_id}/rapportages/"
    assert facilitator_client.get(base).status_code == 200
    assert facilitator_client.get(f"{base}{ready_report.pk}/").status_code == 200
    assert facilitator_client.get(f"{base}{ready_report.pk}/download/").status_code == 200
    ordered = facilitator_client.post(
        f"{base}bestellen/", {"kind": "progress", "language": "nl", "audience": "facilitator"}
    )
    assert ordered.status_code == 302
    ready_report.status = Report.Status.FAILED
    ready_report.save(update_fields=["status"])
    assert facilitator_client.post(f"{base}{ready_report.pk}/opnieuw/").status_code == 302
    ready_report.refresh_from_db()
    assert ready_report.status == Report.Status.QUEUED


def test_manager_never_reaches_the_facilitators_edition(
    manager_client, rich_trajectory, facilitator
):
    report = make_report(rich_trajectory, requested_by=facilitator, audience="facilitator")
    report_build(report_id=report.pk)
    base = f"/t/{rich_trajectory.pk}/rapportages/"

    assert manager_client.get(f"{base}{report.pk}/").status_code == 404
    assert manager_client.get(f"{base}{report.pk}/download/").status_code == 404
    assert f"{base}{report.pk}/" not in manager_client.get(base).content.decode()
    assert f"{base}{report.pk}/" not in manager_client.get("/rapportages/").content.decode()


def test_manager_order_is_always_a_progress_report_in_the_managers_edition(
    manager_client, rich_trajectory, manager
):
    workshop = Workshop.objects.create(
        trajectory=rich_trajectory, title="B1", starts_at=timezone.now()
    )
    response = manager_client.post(
        f"/t/{rich_trajectory.pk}/rapportages/bestellen/",
        {"kind": "session", "workshop": workshop.pk, "audience": "facilitator", "language": "nl"},
    )

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.kind, report.audience, report.workshop, report.requested_by) == (
        "progress",
        "manager",
        None,
        manager,
    )


def test_manager_retries_only_the_report_they_ordered(
    manager_client, rich_trajectory, facilitator, manager
):
    theirs = make_report(rich_trajectory, requested_by=facilitator, status="failed")
    mine = make_report(rich_trajectory, requested_by=manager, status="failed")
    base = f"/t/{rich_trajectory.pk}/rapportages/"

    assert manager_client.post(f"{base}{theirs.pk}/opnieuw/").status_code == 403
    assert manager_client.post(f"{base}{mine.pk}/opnieuw/").status_code == 302
    mine.refresh_from_db()
    assert mine.status == Report.Status.QUEUED


def test_report_of_another_trajectory_in_the_url_gives_404(
    facilitator_client, trajectory, other_trajectory
):
    foreign = make_report(other_trajectory, audience="facilitator")
    for suffix in ("", "download/"):
        url = f"/t/{trajectory.pk}/rapportages/{foreign.pk}/{suffix}"
        assert facilitator_client.get(url).status_code == 404
    assert (
        facilitator_client.post(f"/t/{trajectory.pk}/rapportages/{foreign.pk}/opnieuw/").status_code
        == 404
    )


def test_session_report_without_workshop_is_refused_with_a_clear_message(
    facilitator_client, trajectory
):
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/rapportages/bestellen/",
        {"kind": "session", "language": "en", "audience": "manager"},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "Kies de bijeenkomst waarover deze sessierapportage gaat." in page
    assert 'aria-invalid="true"' in page
    assert 'id="id_workshop_error"' in page
    # What was chosen is kept.
    assert 'value="en" required id="id_language_1" checked' in page or 'value="en" checked' in page
    assert not Report.objects.exists()


def test_workshop_of_another_trajectory_is_refused(
    facilitator_client, trajectory, other_trajectory
):
    foreign = Workshop.objects.create(
        trajectory=other_trajectory, title="Elders", starts_at=timezone.now()
    )
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/rapportages/bestellen/",
        {"kind": "session", "workshop": foreign.pk, "language": "nl", "audience": "facilitator"},
    )

    assert response.status_code == 422
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize("language", ["xx", "<script>alert(1)</script>", "n" * 500, ""])
def test_unknown_language_is_refused(manager_client, trajectory, language):
    response = manager_client.post(
        f"/t/{trajectory.pk}/rapportages/bestellen/", {"language": language}
    )

    assert response.status_code == 422
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not Report.objects.exists()


def _submission_key(page: str) -> str:
    return re.search(r'name="submission_key" value="([0-9a-f-]+)"', page)[1]


def test_double_submit_orders_one_report(manager_client, trajectory):
    form_page = manager_client.get(f"/t/{trajectory.pk}/rapportages/").content.decode()
    order = {"language": "nl", "submission_key": _submission_key(form_page)}
    url = f"/t/{trajectory.pk}/rapportages/bestellen/"
    first = manager_client.post(url, order)
    second = manager_client.post(url, order, follow=True)

    assert Report.objects.count() == 1
    assert first["Location"] == Report.objects.get().get_absolute_url()
    assert "U had deze rapportage net al aangevraagd" in second.content.decode()


def test_facilitator_can_order_a_session_report(facilitator_client, trajectory, facilitator):
    workshop = Workshop.objects.create(
        trajectory=trajectory, title="Bijeenkomst 1", starts_at=timezone.now()
    )
    response = facilitator_client.post(
        f"/t/{trajectory.pk}/rapportages/bestellen/",
        {"kind": "session", "workshop": workshop.pk, "language": "nl", "audience": "facilitator"},
    )

    report = Report.objects.get()
    assert response["Location"] == report.get_absolute_url()
    assert (report.kind, report.workshop, report.audience) == ("session", workshop, "facilitator")
    page = facilitator_client.get(
        f"/t/{trajectory.pk}/rapportages/?workshop={workshop.pk}"
    ).content.decode()
    assert f'<option value="{workshop.pk}" selected>' in page


def test_status_fragment_polls_while_pending_and_stops_when_ready(
    manager_client, rich_trajectory, manager
):
    report = make_report(rich_trajectory, requested_by=manager)
    url = report.get_absolute_url()

    pending = manager_client.get(url, headers=HTMX).content.decode()
    assert pending.lstrip().startswith('<div id="report-status"')
    assert 'hx-trigger="every 2s"' in pending
    assert f'<a href="{url}">' in pending  # a real link for pages without JavaScript
    assert "<html" not in pending

    report_build(report_id=report.pk)
    ready = manager_client.get(url, headers=HTMX).content.decode()
    assert "hx-trigger" not in ready
    assert report.get_download_url() in ready


def test_failed_report_shows_why_and_offers_a_retry(
    facilitator_client, rich_trajectory, facilitator
):
    report = make_report(
        rich_trajectory,
        requested_by=facilitator,
        status="failed",
        failure="timeout",
        error="SoftTimeLimitExceeded: <b>boom</b>",
    )

    page = facilitator_client.get(report.get_absolute_url()).content.decode()

    assert "Het maken van de rapportage duurde te lang." in page
    assert "Opnieuw proberen" in page
    assert "&lt;b&gt;boom&lt;/b&gt;" in page


def test_dashboard_lists_only_own_trajectories_with_their_reports(
    manager_client, ready_report, other_trajectory
):
    make_report(other_trajectory)

    page = manager_client.get("/rapportages/").content.decode()

    assert ready_report.trajectory.name in page
    assert ready_report.get_download_url() in page
    assert other_trajectory.name not in page
    assert "Voortgangsrapportage aanvragen" in page


def test_dashboard_order_form_orders_a_progress_report(manager_client, trajectory):
    page = manager_client.get("/rapportages/").content.decode()
    assert f'action="/t/{trajectory.pk}/rapportages/bestellen/"' in page
    assert _submission_key(page)  # a double click on the dashboard orders one report too

    manager_client.post(
        f"/t/{trajectory.pk}/rapportages/bestellen/",
        {"kind": "progress", "audience": "manager", "language": "nl"},
    )

    assert Report.objects.get().audience == "manager"


def test_trajectory_overview_shows_latest_reports(manager_client, ready_report):
    page = manager_client.get(f"/t/{ready_report.trajectory_id}/").content.decode()

    assert ready_report.get_download_url() in page


def _many_reports(trajectory, count):
    for _ in range(count):
        make_report(trajectory, status="ready", file="reports/x.pdf")


@pytest.mark.parametrize("count", [1, 30])
def test_reports_tab_query_count_does_not_grow(
    manager_client, trajectory, count, django_assert_num_queries
):
    _many_reports(trajectory, count)
    manager_client.get(f"/t/{trajectory.pk}/rapportages/")  # warm the session

    with django_assert_num_queries(3):
        assert manager_client.get(f"/t/{trajectory.pk}/rapportages/").status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_dashboard_query_count_does_not_grow(client, count, django_assert_num_queries):
    manager = factories.make_user("dashboard-manager")
    for index in range(count):
        trajectory = factories.make_trajectory(f"Traject {index}", manager=manager)
        _many_reports(trajectory, 3)
    client.force_login(manager)
    client.get("/rapportages/")

    with django_assert_num_queries(3):
        assert client.get("/rapportages/").status_code == 200


def test_retrying_a_ready_report_changes_nothing(manager_client, ready_report):
    response = manager_client.post(f"{ready_report.get_absolute_url()}opnieuw/", follow=True)

    assert "Deze rapportage hoeft niet opnieuw te worden gemaakt." in response.content.decode()
    ready_report.refresh_from_db()
    assert ready_report.status == Report.Status.READY


def test_download_of_a_lost_file_is_404_not_an_error(manager_client, ready_report):
    ready_report.file.storage.delete(ready_report.file.name)

    assert manager_client.get(ready_report.get_download_url()).status_code == 404

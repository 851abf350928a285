"""Tiers seen by a coordinator of the participant's organisation (organisations/): no page,
fragment, export or PDF shows a marker of the other partner's facilitator-only or anonymous
interests, nor names that partner next to them."""

import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from pypdf import PdfReader

from organisations.models import Coordinator
from reports.models import Report
from reports.services import report_build
from tests import factories

from .conftest import MARKER_ANON, MARKER_SECRET, OTHER_PARTNER

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def _routes(patterns=None, prefix=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


@pytest.fixture
def coordinator_client(client, participant, secrets_round):
    user = factories.make_user("coordinator")
    Coordinator.objects.create(organisation=participant.partner.organisation, user=user)
    client.force_login(user)
    return client


def _clean(body: bytes) -> bool:
    text = body.decode(errors="replace")
    return MARKER_SECRET not in text and MARKER_ANON not in text


def test_no_trajectory_page_fragment_or_export_shows_a_marker(
    coordinator_client, trajectory, secrets_round
):
    routes = [r for r in _routes() if r.startswith("t/<int:trajectory_pk>/")]
    problems = []
    for route in routes:
        url = "/" + route.replace("<int:trajectory_pk>", str(trajectory.pk))
        url = url.replace("<int:round_pk>", str(secrets_round.pk))
        if "<" in url:
            continue  # other ids: refused before any object is read (the permission matrix)
        for headers in ({}, HX):
            response = coordinator_client.get(url, headers=headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            if response.status_code not in (403, 404, 405) or not _clean(body):
                problems.append(f"{url} {headers} -> {response.status_code}")
    assert problems == []
    for export in ("csv", "xlsx"):
        url = f"/t/{trajectory.pk}/belangen/rondes/{secrets_round.pk}/export.{export}"
        assert coordinator_client.get(url).status_code in (403, 404)


def test_the_portfolio_shows_own_interests_and_no_marker(
    coordinator_client, participant, secrets_round
):
    organisation = participant.partner.organisation
    for headers in ({}, HX):
        html = coordinator_client.get(f"/organisaties/{organisation.pk}/", headers=headers)
        text = html.content.decode()
        assert "Eigen belang van de gemeente" in text
        assert MARKER_SECRET not in text and MARKER_ANON not in text and OTHER_PARTNER not in text


def test_the_portfolio_pdf_shows_no_marker(coordinator_client, participant, secrets_round):
    organisation = participant.partner.organisation
    coordinator_client.post(f"/organisaties/{organisation.pk}/rapportage/", {"language": "nl"})
    report = Report.objects.get(organisation=organisation)
    report_build(report_id=report.pk, notify=False)
    pdf = b"".join(coordinator_client.get(report.get_download_url()).streaming_content)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Eigen belang van de gemeente" in text
    assert MARKER_SECRET not in text and MARKER_ANON not in text and OTHER_PARTNER not in text

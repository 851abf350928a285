"""The dossier ZIP (reports/dossier.py): the manifest matches the database, anonymous interests
keep their organisation out of the shared edition, no e-mail address or invite token is in it,
the CSVs open in Dutch; the command and the facilitator's download."""

import csv
import io
import json
import uuid
import zipfile
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from health.models import Pulse, Risk
from improvements.models import ImprovementPackage, Position, Proposal
from interests.models import Interest, InterestRound, Theme
from reports.dossier import dossier_build
from reports.models import Report
from reports.services import report_build
from tests import factories
from trajectories.models import Participant, Partner, Trajectory
from workshops.models import ActionItem, AgendaItem, Agreement, Contribution, Workshop

pytestmark = pytest.mark.django_db

SECRET_EMAIL = "Geheim.Persoon@Voorbeeld.nl"


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _manifest(data: bytes) -> dict:
    return json.loads(_members(data)["manifest.json"])


def _rows(data: bytes, name: str) -> list[dict]:
    text = _members(data)[name].decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def world():
    """The demo trajectory (every app's data) plus an anonymous interest, a note in an anonymous
    agenda item and a representative with an e-mail address and a live invite link."""
    call_command("load_demo", verbosity=0)
    trajectory = Trajectory.objects.get(memberships__user__username="demo")
    partner = factories.make_partner(trajectory, "Stichting Verborgen Herkomst")
    person = factories.make_participant(partner, "Piet Geheim", email=SECRET_EMAIL)
    _link, token = factories.make_invite(person)
    round_ = InterestRound.objects.create(
        trajectory=trajectory, title="Ronde dossier", phase="build_up", status="revealed"
    )
    anonymous = Interest.objects.create(
        round=round_,
        partner=partner,
        author=person,
        statement="Wij willen minder wachtlijsten",
        tier=Interest.Tier.ANONYMOUS,
        status=Interest.Status.SUBMITTED,
    )
    named = Interest.objects.create(
        round=round_,
        partner=partner,
        author=person,
        statement=f"Mail mij op {SECRET_EMAIL.lower()}",
        tier=Interest.Tier.NAMED,
        status=Interest.Status.DRAFT,
    )
    workshop = Workshop.objects.create(
        trajectory=trajectory, title="Dossierbijeenkomst", starts_at=timezone.now()
    )
    item = AgendaItem.objects.create(
        workshop=workshop, position=99, kind="notes", title="Anoniem", anonymous_notes=True
    )
    note = Contribution.objects.create(
        item=item, participant=person, partner=partner, text="Een anonieme opmerking"
    )
    return {
        "trajectory": trajectory,
        "partner": partner,
        "person": person,
        "token": token,
        "anonymous": anonymous,
        "named": named,
        "note": note,
    }


def _expected(trajectory) -> dict[str, set[int]]:
    def ids(qs):
        return set(qs.values_list("pk", flat=True))

    t = trajectory
    return {
        "partner": ids(Partner.objects.filter(trajectory=t)),
        "representative": ids(Participant.objects.filter(partner__trajectory=t)),
        "interest": ids(Interest.objects.filter(round__trajectory=t)),
        "theme": ids(Theme.objects.filter(trajectory=t)),
        "workshop": ids(Workshop.objects.filter(trajectory=t)),
        "agenda_item": ids(AgendaItem.objects.filter(workshop__trajectory=t)),
        "contribution": ids(Contribution.objects.filter(item__workshop__trajectory=t)),
        "agreement": ids(Agreement.objects.filter(trajectory=t)),
        "action_item": ids(ActionItem.objects.filter(trajectory=t)),
        "proposal": ids(Proposal.objects.filter(trajectory=t)),
        "position": ids(Position.objects.filter(proposal__trajectory=t)),
        "package": ids(ImprovementPackage.objects.filter(trajectory=t)),
        "pulse": ids(Pulse.objects.filter(trajectory=t)),
        "risk": ids(Risk.objects.filter(trajectory=t)),
        "audit_entry": ids(AuditEntry.objects.filter(trajectory=t)),
    }


def test_manifest_lists_every_record_once(world):
    expected = _expected(world["trajectory"])
    data = dossier_build(world["trajectory"])
    records = _manifest(data)["records"]
    counted = Counter((r["type"], r["id"]) for r in records)
    assert max(counted.values()) == 1
    for kind, ids in expected.items():
        assert {r["id"] for r in records if r["type"] == kind} == ids, kind
    assert len(records) == sum(len(ids) for ids in expected.values())
    # Each kind's CSV has exactly the manifest's ids in its first column (pulses add lines of
    # statements under their own id).
    for kind in expected:
        file = next(r["file"] for r in records if r["type"] == kind) if expected[kind] else None
        if file:
            assert {int(row["id"]) for row in _rows(data, file)} == expected[kind], kind


def test_demo_has_data_for_most_kinds(world):
    """Guards the test above: an empty demo would make it prove nothing."""
    expected = _expected(world["trajectory"])
    assert sum(1 for ids in expected.values() if ids) >= 12


def test_labels(world):
    records = _manifest(dossier_build(world["trajectory"]))["records"]
    label = {(r["type"], r["id"]): r["label"] for r in records}
    assert label["interest", world["anonymous"].pk] == "anonymous"
    assert label["interest", world["named"].pk] == "draft"
    assert label["contribution", world["note"].pk] == "anonymous"
    assert {r["label"] for r in records if r["type"] == "representative"} == {"personal-data"}
    assert {r["label"] for r in records if r["type"] == "audit_entry"} <= {"facilitator-only"}
    for interest in Interest.objects.filter(round__trajectory=world["trajectory"]):
        if interest.tier == Interest.Tier.FACILITATOR:
            assert label["interest", interest.pk] == "facilitator-only"


def test_anonymous_interest_has_no_partner_in_shared_edition(world):
    data = dossier_build(world["trajectory"])
    manifest = _manifest(data)
    assert manifest["edition"] == "shared"
    record = next(
        r
        for r in manifest["records"]
        if r["type"] == "interest" and r["id"] == world["anonymous"].pk
    )
    assert record["partner"] is None
    row = next(r for r in _rows(data, "belangen.csv") if int(r["id"]) == world["anonymous"].pk)
    assert row["organisatie"] == ""
    note = next(r for r in _rows(data, "bijdragen.csv") if int(r["id"]) == world["note"].pk)
    assert note["organisatie"] == ""
    # The named interest of the same partner keeps it.
    named = next(r for r in _rows(data, "belangen.csv") if int(r["id"]) == world["named"].pk)
    assert named["organisatie"] == "Stichting Verborgen Herkomst"


def test_facilitators_edition_links_anonymous_interest(world):
    data = dossier_build(world["trajectory"], edition="facilitator")
    manifest = _manifest(data)
    assert manifest["edition"] == "facilitator"
    record = next(
        r
        for r in manifest["records"]
        if r["type"] == "interest" and r["id"] == world["anonymous"].pk
    )
    assert record["partner"] == {"id": world["partner"].pk, "name": world["partner"].name}
    row = next(r for r in _rows(data, "belangen.csv") if int(r["id"]) == world["anonymous"].pk)
    assert row["organisatie"] == world["partner"].name


def test_no_email_or_token_anywhere_in_shared_edition(world):
    data = dossier_build(world["trajectory"])
    emails = [
        e.lower() for e in Participant.objects.exclude(email="").values_list("email", flat=True)
    ]
    assert SECRET_EMAIL.lower() in emails
    # Each member decompressed: the ZIP's own bytes are deflated and would hide any text.
    for name, content in _members(data).items():
        text = content.decode("utf-8", errors="replace").lower()
        for secret in [*emails, world["token"].lower()]:
            assert secret not in text, (name, secret)
    assert "[verwijderd]" in _members(data)["belangen.csv"].decode("utf-8-sig")


def test_csvs_open_with_dutch_headers(world):
    data = dossier_build(world["trajectory"])
    members = _members(data)
    csvs = [n for n in members if n.endswith(".csv")]
    assert len(csvs) == 15
    for name in csvs:
        assert members[name].startswith(b"\xef\xbb\xbf"), name  # the BOM Excel needs
        headers = next(csv.reader(io.StringIO(members[name].decode("utf-8-sig")), delimiter=";"))
        assert headers[0] == "id"
    headers = next(
        csv.reader(io.StringIO(members["belangen.csv"].decode("utf-8-sig")), delimiter=";")
    )
    assert {"organisatie", "belang", "waarom", "zichtbaarheid"} <= set(headers)
    assert "LEESMIJ.txt" in members
    assert "anonymous" in members["LEESMIJ.txt"].decode("utf-8-sig")


def test_latest_progress_report_is_included(world, settings, tmp_path):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    trajectory = world["trajectory"]
    report = Report.objects.create(
        trajectory=trajectory, kind="progress", audience="manager", status="ready"
    )
    report.file.save("x.pdf", ContentFile(b"%PDF-1.7 dossier"), save=True)
    hidden = Report.objects.create(
        trajectory=trajectory,
        kind="progress",
        audience="facilitator",
        status="ready",
        created_at=timezone.now() + timedelta(minutes=1),
    )
    hidden.file.save("y.pdf", ContentFile(b"%PDF-1.7 facilitators"), save=True)
    assert _members(dossier_build(trajectory))["voortgangsrapportage.pdf"] == b"%PDF-1.7 dossier"
    facilitators = _members(dossier_build(trajectory, edition="facilitator"))
    assert facilitators["voortgangsrapportage.pdf"] == b"%PDF-1.7 facilitators"


def test_command_writes_the_file(world, tmp_path):
    out = tmp_path / "dossier.zip"
    call_command("export_dossier", str(world["trajectory"].pk), str(out), stdout=io.StringIO())
    assert _manifest(out.read_bytes())["edition"] == "shared"
    call_command(
        "export_dossier",
        str(world["trajectory"].pk),
        str(out),
        "--edition",
        "facilitator",
        stdout=io.StringIO(),
    )
    assert _manifest(out.read_bytes())["edition"] == "facilitator"


# --- ordering and downloading through the report pipeline ----------------------------------------


def _order_url(trajectory):
    return reverse("reports:dossier", args=[trajectory.pk])


def _order(client, trajectory, edition, django_capture_on_commit_callbacks, key=None):
    data = {"edition": edition, "submission_key": key or str(uuid.uuid4())}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(_order_url(trajectory), data)


def test_facilitator_orders_and_downloads(
    facilitator_client, trajectory, partner, django_capture_on_commit_callbacks
):
    response = _order(facilitator_client, trajectory, "shared", django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == report.get_absolute_url()
    assert (report.kind, report.edition, report.audience) == ("dossier", "shared", "facilitator")
    assert report.status == "ready" and report.file.name.endswith(".zip")
    assert report.pages is None and report.snapshot == {}
    page = facilitator_client.get(report.get_absolute_url())
    assert report.get_download_url().encode() in page.content
    download = facilitator_client.get(report.get_download_url())
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    assert "editie-procesbegeleider" not in download["Content-Disposition"]
    assert download["Content-Disposition"].endswith('.zip"')
    assert _manifest(b"".join(download.streaming_content))["edition"] == "shared"
    assert AuditEntry.objects.filter(
        trajectory=trajectory, action=AuditEntry.Action.REPORT_DOWNLOADED
    ).exists()


def test_facilitators_edition_is_named_so(
    facilitator_client, trajectory, django_capture_on_commit_callbacks
):
    _order(facilitator_client, trajectory, "facilitator", django_capture_on_commit_callbacks)
    report = Report.objects.get()
    assert report.edition == "facilitator"
    download = facilitator_client.get(report.get_download_url())
    assert "editie-procesbegeleider" in download["Content-Disposition"]
    assert _manifest(b"".join(download.streaming_content))["edition"] == "facilitator"


def test_double_submit_orders_once(
    facilitator_client, trajectory, django_capture_on_commit_callbacks
):
    key = str(uuid.uuid4())
    for _ in range(2):
        _order(facilitator_client, trajectory, "shared", django_capture_on_commit_callbacks, key)
    assert Report.objects.count() == 1


def test_unknown_edition_orders_nothing(
    facilitator_client, trajectory, django_capture_on_commit_callbacks
):
    response = _order(
        facilitator_client, trajectory, "<script>", django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert Report.objects.count() == 0
    page = facilitator_client.get(response["Location"])
    assert "Het dossier kon niet worden besteld" in page.content.decode()


def test_reports_page_offers_it_to_facilitators_only(
    facilitator_client, trajectory, client, manager
):
    page = facilitator_client.get(reverse("reports:index", args=[trajectory.pk]))
    assert _order_url(trajectory).encode() in page.content
    client.force_login(manager)
    page = client.get(reverse("reports:index", args=[trajectory.pk]))
    assert _order_url(trajectory).encode() not in page.content


def test_the_order_form_offers_no_dossier_as_a_pdf_kind(facilitator_client, trajectory):
    page = facilitator_client.get(reverse("reports:index", args=[trajectory.pk]))
    assert b'name="kind" value="dossier"' not in page.content


def test_manager_is_refused(manager_client, trajectory, facilitator):
    assert manager_client.post(_order_url(trajectory), {"edition": "shared"}).status_code == 403
    assert Report.objects.count() == 0


def test_manager_never_sees_a_dossier(manager_client, trajectory, facilitator, settings):
    report = Report.objects.create(
        trajectory=trajectory, kind="dossier", edition="shared", audience="facilitator"
    )
    report_build(report_id=report.pk, notify=False)
    assert manager_client.get(report.get_absolute_url()).status_code == 404
    assert manager_client.get(report.get_download_url()).status_code == 404
    page = manager_client.get(reverse("reports:index", args=[trajectory.pk]))
    assert report.get_absolute_url().encode() not in page.content


def test_a_dossier_is_for_facilitators_in_the_database(trajectory):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            trajectory=trajectory, kind="dossier", edition="shared", audience="manager"
        )


def test_participant_is_refused(participant_client, trajectory):
    response = participant_client.post(_order_url(trajectory), {"edition": "shared"})
    assert response.status_code in (403, 404)


def test_another_trajectory_is_404(facilitator_client, other_trajectory):
    response = facilitator_client.post(_order_url(other_trajectory), {"edition": "shared"})
    assert response.status_code == 404


def test_stranger_goes_to_login(client, trajectory):
    response = client.post(_order_url(trajectory), {"edition": "shared"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_query_count_does_not_grow_with_the_data(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    trajectory = world["trajectory"]
    with CaptureQueriesContext(connection) as before:
        dossier_build(trajectory)
    round_ = InterestRound.objects.filter(trajectory=trajectory).first()
    theme = Theme.objects.create(trajectory=trajectory, round=round_, name="Nieuw thema")
    Interest.objects.bulk_create(
        Interest(
            round=round_,
            partner=world["partner"],
            statement=f"Belang {i}",
            tier="named",
            theme=theme,
        )
        for i in range(40)
    )
    Contribution.objects.bulk_create(
        Contribution(item=world["note"].item, partner=world["partner"], text=f"Notitie {i}")
        for i in range(40)
    )
    for i in range(10):
        Proposal.objects.create(trajectory=trajectory, title=f"Voorstel {i}")
    with CaptureQueriesContext(connection) as after:
        dossier_build(trajectory)
    assert len(after) == len(before)


def test_audit_entry_about_anonymous_interest_names_no_one_in_shared_edition(world):
    import audit

    entry = audit.record(
        trajectory=world["trajectory"],
        action=AuditEntry.Action.INTEREST_EDITED,
        by=world["person"],
        subject=world["anonymous"],
        summary="Belang bewerkt",
    )
    assert entry.partner_id == world["partner"].pk  # the log itself knows the partner

    def row(data):
        return next(r for r in _rows(data, "logboek.csv") if int(r["id"]) == entry.pk)

    shared = dossier_build(world["trajectory"])
    assert (row(shared)["organisatie"], row(shared)["door"]) == ("", "")
    record = next(
        r for r in _manifest(shared)["records"] if (r["type"], r["id"]) == ("audit_entry", entry.pk)
    )
    assert record["partner"] is None
    full = dossier_build(world["trajectory"], edition="facilitator")
    assert row(full)["organisatie"] == world["partner"].name
    assert "Piet Geheim" in row(full)["door"]

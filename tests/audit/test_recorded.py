"""Each significant action lands in the log once, with who did it and for which partner."""

import io
import uuid

import pytest
from django.core import mail

from audit.models import AuditEntry
from interests import services as interest_services
from tests import factories
from tests.improvements.helpers import adopt, make_package, make_proposal, take_position
from tests.reports.conftest import make_report
from trajectories import services
from workshops import admission
from workshops.models import Knock

pytestmark = pytest.mark.django_db

Action = AuditEntry.Action


def _only(action):
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, (action, entries)
    return entries[0]


def test_representative_added_changed_and_removed_through_the_pages(
    facilitator_client, trajectory, partner, facilitator
):
    url = f"/t/{trajectory.pk}/partners/{partner.pk}/vertegenwoordigers/nieuw/"
    data = {"name": "Bram Smit", "email": "", "level": "professional", "mandate": ""}
    data["submission_key"] = str(uuid.uuid4())
    for _ in range(2):  # a double submit adds one, and records one
        assert facilitator_client.post(url, data).status_code == 302
    added = _only(Action.REPRESENTATIVE_ADDED)
    bram = added.subject_id
    assert (added.actor, added.partner, added.summary) == (facilitator, partner, "Bram Smit")
    assert added.actor_label == "Procesbegeleider facilitator"

    edit = f"/t/{trajectory.pk}/vertegenwoordigers/{bram}/bewerken/"
    data = {**data, "name": "Bram Smit-de Wit", "version": 1}
    del data["submission_key"]
    assert facilitator_client.post(edit, data).status_code == 302
    changed = _only(Action.REPRESENTATIVE_CHANGED)
    assert (changed.subject_id, changed.summary, changed.partner) == (
        bram,
        "Bram Smit-de Wit",
        partner,
    )

    remove = f"/t/{trajectory.pk}/vertegenwoordigers/{bram}/verwijderen/"
    assert facilitator_client.post(remove).status_code == 302
    removed = _only(Action.REPRESENTATIVE_REMOVED)
    assert (removed.subject_id, removed.partner, removed.actor) == (bram, partner, facilitator)


def test_invites_issued_mailed_and_revoked(facilitator_client, trajectory, participant):
    participant.email = "anouk@example.org"
    participant.save()
    base = f"/t/{trajectory.pk}/vertegenwoordigers/{participant.pk}/uitnodiging/"
    assert facilitator_client.post(f"{base}mailen/").status_code in (200, 302)
    assert len(mail.outbox) == 1
    issued = _only(Action.INVITE_ISSUED)
    mailed = _only(Action.INVITE_MAILED)
    for entry in (issued, mailed):
        assert entry.subject_id == participant.pk and entry.partner_id == participant.partner_id
        assert entry.actor_role == "facilitator" and entry.summary == "Anouk de Vries"
    assert facilitator_client.post(f"{base}intrekken/").status_code in (200, 302)
    revoked = _only(Action.INVITE_REVOKED)
    assert revoked.details == {"links": 1} and revoked.actor_role == "facilitator"
    # Nothing left to revoke: nothing recorded.
    facilitator_client.post(f"{base}intrekken/")
    assert AuditEntry.objects.filter(action=Action.INVITE_REVOKED).count() == 1


def test_members_added_and_removed(trajectory, facilitator):
    membership, _created = services.member_add(
        trajectory=trajectory, email="nieuw@example.org", role="manager", by=facilitator
    )
    services.member_add(
        trajectory=trajectory, email="nieuw@example.org", role="manager", by=facilitator
    )
    added = _only(Action.MEMBER_ADDED)
    assert (added.actor, added.summary, added.details) == (
        facilitator,
        "nieuw@example.org",
        {"role": "manager"},
    )
    pk = membership.pk
    services.member_remove(membership=membership, by=facilitator)
    removed = _only(Action.MEMBER_REMOVED)
    assert removed.subject_id == pk and removed.actor == facilitator


def test_interest_rounds_reveal_and_tier(trajectory, facilitator, participant):
    round = interest_services.round_create(trajectory=trajectory, title="Ronde", by=facilitator)
    interest_services.round_open(round=round, by=facilitator)
    interest = factories_interest(round, participant)
    interest_services.tier_raise(interest=interest, tier="named", by=facilitator, confirmed=True)
    interest_services.round_reveal(round=round, by=facilitator)
    interest_services.round_reveal(round=round, by=facilitator)  # twice: recorded once
    _only(Action.ROUND_OPENED)
    _only(Action.INTERESTS_REVEALED)
    tier = _only(Action.TIER_CHANGED)
    assert (tier.partner_id, tier.actor) == (participant.partner_id, facilitator)


def factories_interest(round, participant):
    from tests.interests.conftest import make_interest

    return make_interest(round, participant, "Sneller een woning", tier="facilitator")


def test_positions_taken_and_changed_and_the_package_adopted(
    trajectory, partner, participant, facilitator
):
    proposal = make_proposal(trajectory)
    take_position(proposal, partner, "supports", participant=participant)
    take_position(proposal, partner, "supports", participant=participant)  # unchanged
    take_position(proposal, partner, "objects", text="Te duur", user=facilitator)
    taken = _only(Action.POSITION_TAKEN)
    assert (taken.participant, taken.partner, taken.actor_role) == (
        participant,
        partner,
        "participant",
    )
    assert taken.actor_label == "Vertegenwoordiger Anouk de Vries"
    changed = _only(Action.POSITION_CHANGED)
    assert (changed.actor, changed.partner, changed.details["stance"]) == (
        facilitator,
        partner,
        "objects",
    )
    take_position(proposal, partner, "supports", user=facilitator)
    package = make_package(trajectory, [proposal])
    adopt(package, facilitator)
    adopted = _only(Action.PACKAGE_ADOPTED)
    assert (adopted.subject_id, adopted.actor, adopted.summary) == (
        package.pk,
        facilitator,
        "Verbeterpakket 2027",
    )


def test_knocks_admitted_and_turned_away(trajectory, partner, facilitator):
    from tests.workshops.conftest import make_workshop

    workshop = make_workshop(trajectory, status="live")
    first = Knock.objects.create(workshop=workshop, partner=partner, name="Sanne", secret_hash="a")
    second = Knock.objects.create(workshop=workshop, partner=partner, name="Piet", secret_hash="b")
    for _ in range(2):
        admission.knock_admit(knock=first, by=facilitator)
        admission.knock_turn_away(knock=second, by=facilitator)
    admitted = _only(Action.KNOCK_ADMITTED)
    turned = _only(Action.KNOCK_TURNED_AWAY)
    assert (admitted.partner, admitted.actor, admitted.summary) == (partner, facilitator, "Sanne")
    assert (turned.partner, turned.summary) == (partner, "Piet")
    # Admitting issues the newcomer's invite link, and that is recorded too.
    assert _only(Action.INVITE_ISSUED).subject_id == Knock.objects.get(pk=first.pk).participant_id


def test_exports_and_report_downloads(
    client, trajectory, facilitator, manager, participant, settings, tmp_path
):
    round = interest_services.round_create(trajectory=trajectory, title="Ronde", by=facilitator)
    factories.login_participant(client, participant)
    base = f"/t/{trajectory.pk}/belangen/rondes/{round.pk}/"
    assert client.get(f"{base}export.csv").status_code == 200
    client.force_login(facilitator)
    assert client.get(f"{base}export.xlsx").status_code == 200
    exports = AuditEntry.objects.filter(action=Action.EXPORT_DOWNLOADED).order_by("pk")
    assert [(e.actor_role, e.details["format"], e.partner_id) for e in exports] == [
        ("participant", "csv", participant.partner_id),
        ("facilitator", "xlsx", None),
    ]
    report = make_report(trajectory, requested_by=manager, status="ready")
    report.file.save("rapport.pdf", io.BytesIO(b"%PDF-1.4"), save=True)
    client.force_login(manager)
    assert client.get(report.get_download_url()).status_code == 200
    downloaded = _only(Action.REPORT_DOWNLOADED)
    assert (downloaded.actor, downloaded.actor_role, downloaded.subject_id) == (
        manager,
        "manager",
        report.pk,
    )

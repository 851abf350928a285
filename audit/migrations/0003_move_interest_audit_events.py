"""The interests app's own audit trail (interests.AuditEvent) moves into the trajectory's log.

Each event becomes one entry with the same time and account; the actor's role is read from their
membership at the time of moving, and the label is kept in Dutch, the site's language. The round
stays findable through `details["round"]`, which the round's page filters on; tier and link-kind
codes stay codes (`from`, `to`), so the page still shows them in the reader's language.
interests 0009 then removes the old table.
"""

from django.db import migrations
from django.utils.text import Truncator

ACTIONS = {
    "round_opened": "round_opened",
    "round_closed": "round_closed",
    "round_revealed": "interests_revealed",
    "tier_raised": "tier_changed",
    "link_removed": "link_removed",
}
ROLE_LABELS = {"facilitator": "Procesbegeleider", "manager": "Manager"}


def forward(apps, schema_editor):
    AuditEvent = apps.get_model("interests", "AuditEvent")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    Membership = apps.get_model("trajectories", "Membership")
    roles = {
        (trajectory_id, user_id): role
        for trajectory_id, user_id, role in Membership.objects.values_list(
            "trajectory_id", "user_id", "role"
        )
    }
    events = AuditEvent.objects.select_related("round", "interest", "by").order_by("at", "pk")
    batch = []
    for event in events.iterator(chunk_size=500):
        role, label = "", ""
        if event.by_id is not None:
            role = roles.get((event.trajectory_id, event.by_id), "")
            name = event.by.get_full_name() if hasattr(event.by, "get_full_name") else ""
            name = name or f"{event.by.first_name} {event.by.last_name}".strip()
            name = name or event.by.username
            label = f"{ROLE_LABELS.get(role, '')} {name}".strip()
        details = {"round": event.round_id}
        if event.from_value:
            details["from"] = event.from_value
        if event.to_value:
            details["to"] = event.to_value
        interest = event.interest
        batch.append(
            AuditEntry(
                trajectory_id=event.trajectory_id,
                at=event.at,
                actor_id=event.by_id,
                actor_role=role,
                actor_label=label,
                action=ACTIONS[event.action],
                partner_id=interest.partner_id if interest else None,
                subject_type="interests.interest" if interest else "interests.interestround",
                subject_id=interest.pk if interest else event.round_id,
                summary=Truncator(interest.statement).chars(120) if interest else event.round.title,
                details=details,
            )
        )
        if len(batch) >= 500:
            AuditEntry.objects.bulk_create(batch)
            batch = []
    AuditEntry.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_trigger"),
        ("interests", "0008_interest_moves"),
        ("trajectories", "0006_version_db_default"),
    ]

    # Backwards the old table comes back empty: the entries stay in the log, which refuses to
    # give them up (append-only).
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

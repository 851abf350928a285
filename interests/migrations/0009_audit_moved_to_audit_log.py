"""The interests' audit trail lives in the trajectory's audit log now (audit 0003 moved it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("interests", "0008_interest_moves"),
        ("audit", "0003_move_interest_audit_events"),
    ]

    operations = [migrations.DeleteModel(name="AuditEvent")]

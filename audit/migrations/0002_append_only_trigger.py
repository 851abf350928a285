"""On PostgreSQL the database itself refuses to change or remove audit entries.

The model refuses too (audit/models.py), but a trigger also holds against raw SQL, the shell and
any other client. It lets through only:
- a DELETE of a trajectory's entries inside the transaction deleting that trajectory
  (`coconnect.audit_purge` lists its id, set by audit/signals.py);
- an UPDATE that only clears account, representative or partner ids (SET_NULL when those rows
  are deleted), and, inside `audit.services.anonymise` (`coconnect.audit_anonymise`), one that
  also replaces `actor_label` and `summary`.
SQLite has no such trigger; there the model's refusal is the rule.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
DECLARE
    purge text[] := string_to_array(coalesce(current_setting('coconnect.audit_purge', true), ''), ',');
    anonymise text[] := string_to_array(coalesce(current_setting('coconnect.audit_anonymise', true), ''), ',');
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.trajectory_id::text = ANY(purge) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit entries are append-only: DELETE refused (entry %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.id = OLD.id
       AND NEW.trajectory_id = OLD.trajectory_id
       AND NEW.at = OLD.at
       AND NEW.action = OLD.action
       AND NEW.actor_role = OLD.actor_role
       AND NEW.subject_type = OLD.subject_type
       AND NEW.subject_id IS NOT DISTINCT FROM OLD.subject_id
       AND NEW.details = OLD.details
       AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
       AND (NEW.participant_id IS NULL OR NEW.participant_id IS NOT DISTINCT FROM OLD.participant_id)
       AND (NEW.partner_id IS NULL OR NEW.partner_id IS NOT DISTINCT FROM OLD.partner_id)
       AND ((NEW.actor_label = OLD.actor_label AND NEW.summary = OLD.summary)
            OR OLD.trajectory_id::text = ANY(anonymise))
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: UPDATE refused (entry %)', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_entry")]

    operations = [migrations.RunPython(forward, backward)]

"""Starting a trajectory becomes an account-level permission (`trajectories.add_trajectory`).

Everyone who facilitates a trajectory today keeps the ability to start one; managers and
accounts without a trajectory do not get it.
"""

from django.db import migrations


def _permission(apps):
    # Permissions are made after migrations run; on a fresh database this one makes it first.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="trajectories", model="trajectory"
    )
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type,
        codename="add_trajectory",
        defaults={"name": "Can add collaboration trajectory"},
    )
    return permission


def grant_to_facilitators(apps, schema_editor):
    User = apps.get_model("auth", "User")
    facilitators = User.objects.filter(memberships__role="facilitator").distinct()
    permission = _permission(apps)
    for user in facilitators:
        user.user_permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("trajectories", "0002_alter_invitelink_options_alter_membership_options_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_to_facilitators, migrations.RunPython.noop)]

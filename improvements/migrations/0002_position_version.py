from django.db import migrations, models


class Migration(migrations.Migration):
    """Position.revision becomes the shared Versioned.version; the numbers carry over."""

    dependencies = [
        ("improvements", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="position", old_name="revision", new_name="version"),
        migrations.AlterField(
            model_name="position",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
    ]

"""Double submits: the interest's own `form_key` becomes the project's `submission_key`.

The column is renamed, so keys stored by earlier submits are kept: a form still open in a browser
while this runs finds its interest instead of adding it twice.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("interests", "0003_versioned"),
    ]

    operations = [
        migrations.RenameField(model_name="interest", old_name="form_key", new_name="submission_key"),
        migrations.AlterField(
            model_name="interest",
            name="submission_key",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name="interest",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submission_key__isnull", False)),
                fields=("partner", "submission_key"),
                name="interests_interest_once_per_submit",
            ),
        ),
    ]

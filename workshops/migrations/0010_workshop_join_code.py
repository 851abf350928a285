from django.db import migrations, models

import workshops.models


def give_every_workshop_a_code(apps, schema_editor):
    Workshop = apps.get_model("workshops", "Workshop")
    taken = set()
    for workshop in Workshop.objects.filter(join_code__isnull=True).only("pk"):
        code = workshops.models.new_join_code()
        while code in taken:
            code = workshops.models.new_join_code()
        taken.add(code)
        Workshop.objects.filter(pk=workshop.pk).update(join_code=code)


class Migration(migrations.Migration):
    dependencies = [("workshops", "0009_agendaitem_anonymous_notes")]

    operations = [
        migrations.AddField(
            model_name="workshop",
            name="join_code",
            field=models.CharField(editable=False, max_length=8, null=True),
        ),
        migrations.RunPython(give_every_workshop_a_code, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="workshop",
            name="join_code",
            field=models.CharField(
                default=workshops.models.new_join_code, editable=False, max_length=8, unique=True
            ),
        ),
    ]

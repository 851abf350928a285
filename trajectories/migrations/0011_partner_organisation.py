"""Partner.organisation: each partner points to the organisation behind it.

Existing partners are linked by name and kind: the same name (ignoring case and surrounding
spaces) and the same kind make one organisation, whatever the trajectory. An administrator merges
or splits afterwards in the admin (organisations/admin.py).
"""

import django.db.models.deletion
from django.db import migrations, models


def link_partners(apps, schema_editor):
    Partner = apps.get_model("trajectories", "Partner")
    Organisation = apps.get_model("organisations", "Organisation")
    found = {}
    for partner in Partner.objects.filter(organisation__isnull=True).order_by("created_at", "pk"):
        key = (" ".join(partner.name.split()).casefold(), partner.kind)
        organisation = found.get(key)
        if organisation is None:
            organisation = found[key] = Organisation.objects.create(
                name=" ".join(partner.name.split()), kind=partner.kind
            )
        partner.organisation = organisation
        partner.save(update_fields=["organisation"])


def unlink_partners(apps, schema_editor):
    apps.get_model("trajectories", "Partner").objects.update(organisation=None)
    apps.get_model("organisations", "Organisation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("trajectories", "0010_mail_language_sign_in"),
    ]

    operations = [
        migrations.AddField(
            model_name="partner",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="partners",
                to="organisations.organisation",
                verbose_name="organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="partner",
            constraint=models.UniqueConstraint(
                fields=("trajectory", "organisation"),
                name="trajectories_partner_one_per_organisation",
            ),
        ),
        migrations.RunPython(link_partners, unlink_partners),
    ]

"""Trajectories made before kinds were laid down on creation get the default kinds now.

Until now the kinds were created on the first visit of a page; from now on a new trajectory gets
them when it is created (improvements/signals.py), so no page view writes. The names are the
default list as it stood when this migration was written, in the working language.
"""

from django.conf import settings
from django.db import migrations
from django.utils import translation
from django.utils.translation import gettext

DEFAULT_KINDS = [
    "Faster",
    "Better quality",
    "Cheaper",
    "More return",
    "More efficient",
    "More effective",
    "More fun",
    "Better public image",
]


def lay_down_default_kinds(apps, schema_editor):
    Trajectory = apps.get_model("trajectories", "Trajectory")
    ImprovementKind = apps.get_model("improvements", "ImprovementKind")
    without_kinds = Trajectory.objects.filter(improvement_kinds__isnull=True)
    with translation.override(settings.LANGUAGE_CODE):
        names = [gettext(name) for name in DEFAULT_KINDS]
    ImprovementKind.objects.bulk_create(
        [
            ImprovementKind(trajectory=trajectory, name=name, order=order)
            for trajectory in without_kinds
            for order, name in enumerate(names, start=1)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("improvements", "0003_proposal_once_per_submit"),
        ("trajectories", "0001_initial"),
    ]

    operations = [migrations.RunPython(lay_down_default_kinds, migrations.RunPython.noop)]

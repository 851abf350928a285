"""Adopted packages' snapshots keep codes, not labels; the clumsy default kind name goes.

Snapshots used to store the labels of effort, cost, mandate and gain in the language of whoever
adopted the package, so an English reader saw Dutch. The labels below are every label those
fields ever had (English and Dutch); anything else stays as it was written.
"""

from django.db import migrations

LABELS = {
    "effort": {
        "Small effort": "small",
        "Medium effort": "medium",
        "Large effort": "large",
        "Kleine inspanning": "small",
        "Gemiddelde inspanning": "medium",
        "Grote inspanning": "large",
    },
    "cost": {
        "Low cost": "low",
        "Medium cost": "medium",
        "High cost": "high",
        "Lage kosten": "low",
        "Gemiddelde kosten": "medium",
        "Hoge kosten": "high",
    },
    "mandate": {
        "Constituency still to be consulted": "consult",
        "Board decision needed": "board",
        "Agreed on behalf of the organisation": "agreed",
        "Achterban moet nog worden geraadpleegd": "consult",
        "Bestuursbesluit nodig": "board",
        "Namens de organisatie akkoord": "agreed",
    },
    "gain": {
        "No gain": "none",
        "Some gain": "some",
        "Much gain": "much",
        "Geen winst": "none",
        "Enige winst": "some",
        "Veel winst": "much",
    },
}


def _code(field: str, value):
    return LABELS[field].get(value, value)


def snapshot_labels_to_codes(apps, schema_editor):
    ImprovementPackage = apps.get_model("improvements", "ImprovementPackage")
    for package in ImprovementPackage.objects.exclude(frozen_content={}):
        frozen = package.frozen_content
        for item in frozen.get("proposals", []):
            for field in ("effort", "cost"):
                if field in item:
                    item[field] = _code(field, item[field])
            for position in item.get("positions", []):
                position.pop("stance_label", None)
                position.pop("mandate_label", None)
                for field in ("mandate", "gain"):
                    if field in position:
                        position[field] = _code(field, position[field])
        for decision in frozen.get("decisions", []):
            if "mandate" in decision:
                decision["mandate"] = _code("mandate", decision["mandate"])
        package.save(update_fields=["frozen_content"])


def clumsy_default_kind_renamed(apps, schema_editor):
    """ "Betere pr" was the Dutch default for "Better public image"; it is "Beter imago" now."""
    ImprovementKind = apps.get_model("improvements", "ImprovementKind")
    for kind in ImprovementKind.objects.filter(name="Betere pr"):
        taken = ImprovementKind.objects.filter(
            trajectory_id=kind.trajectory_id, name__iexact="Beter imago"
        ).exists()
        if not taken:
            kind.name = "Beter imago"
            kind.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("improvements", "0005_mandate_label"),
    ]

    operations = [
        migrations.RunPython(snapshot_labels_to_codes, migrations.RunPython.noop),
        migrations.RunPython(clumsy_default_kind_renamed, migrations.RunPython.noop),
    ]

"""Key facts of a trajectory, stored on each ready progress report and compared by the next one.

A snapshot holds codes and numbers only, never translated text, so that a Dutch report can be
compared with an English one.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from health.models import InterimChange, Risk
from improvements.models import Proposal
from interests.models import Interest, Theme
from interests.report import audience_viewer
from trajectories.models import Partner, Trajectory
from workshops.models import ActionItem, Agreement, Workshop

SNAPSHOT_VERSION = 1
COUNTED_THEMES = (
    Theme.Classification.COMMON,
    Theme.Classification.COMPATIBLE,
    Theme.Classification.CONFLICTING,
)


def _counts(trajectory: Trajectory, audience: str) -> dict[str, int]:
    """Numbers a reader tracks from report to report; keys are stable codes (see count_labels)."""
    readable = Interest.objects.visible_to(audience_viewer(trajectory, audience))
    counts = {"interests": readable.submitted().count()}
    for code, number in (
        Theme.objects.filter(trajectory=trajectory, classification__in=COUNTED_THEMES)
        .values_list("classification")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[f"themes_{code}"] = number
    open_actions = [ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS]
    counts.update(
        workshops_held=Workshop.objects.filter(
            trajectory=trajectory, status=Workshop.Status.CLOSED
        ).count(),
        agreements=Agreement.objects.filter(trajectory=trajectory).count(),
        actions_open=ActionItem.objects.filter(
            trajectory=trajectory, status__in=open_actions
        ).count(),
        proposals=Proposal.objects.filter(trajectory=trajectory).count(),
        risks=Risk.objects.filter(trajectory=trajectory).count(),
        changes=InterimChange.objects.filter(trajectory=trajectory).count(),
    )
    return counts


def collect_facts(trajectory: Trajectory, *, audience: str) -> dict:
    partners = list(
        Partner.objects.filter(trajectory=trajectory)
        .annotate(
            representatives=Count("participants"),
            with_mandate=Count("participants", filter=~Q(participants__mandate="")),
        )
        .values("pk", "name", "representatives", "with_mandate")
    )
    return {
        "version": SNAPSHOT_VERSION,
        "phase": trajectory.phase,
        "status": trajectory.status,
        "partners": {str(p["pk"]): p["name"] for p in partners},
        "representatives": sum(p["representatives"] for p in partners),
        "with_mandate": sum(p["with_mandate"] for p in partners),
        "counts": _counts(trajectory, audience),
    }


def count_labels() -> dict[str, str]:
    return {
        "representatives": _("Representatives at the table"),
        "with_mandate": _("Representatives with a recorded mandate"),
        "interests": _("Interests shared"),
        "themes_common": _("Common themes"),
        "themes_compatible": _("Compatible themes"),
        "themes_conflicting": _("Conflicting themes"),
        "workshops_held": _("Workshops held"),
        "agreements": _("Agreements"),
        "actions_open": _("Open action items"),
        "proposals": _("Improvement proposals"),
        "risks": _("Risks"),
        "changes": _("Interim changes"),
    }


def compare(previous: dict, current: dict) -> list[dict]:
    """What changed, as rows of {"label", "before", "after"} in the active language.

    Only facts present in both snapshots are compared, so a fact that appeared with a new part
    of the product does not show up as a change.
    """
    rows = []
    if previous.get("phase") != current.get("phase"):
        rows.append(
            {
                "label": _("Phase"),
                "before": _choice_label(Trajectory.Phase, previous.get("phase")),
                "after": _choice_label(Trajectory.Phase, current.get("phase")),
            }
        )
    if previous.get("status") != current.get("status"):
        rows.append(
            {
                "label": _("Status"),
                "before": _choice_label(Trajectory.Status, previous.get("status")),
                "after": _choice_label(Trajectory.Status, current.get("status")),
            }
        )
    before_partners = previous.get("partners", {})
    after_partners = current.get("partners", {})
    joined = [name for pk, name in after_partners.items() if pk not in before_partners]
    left = [name for pk, name in before_partners.items() if pk not in after_partners]
    if joined:
        rows.append(
            {"label": _("Partners joined"), "before": "", "after": ", ".join(sorted(joined))}
        )
    if left:
        rows.append({"label": _("Partners left"), "before": ", ".join(sorted(left)), "after": ""})
    labels = count_labels()
    before_counts = {**_top_counts(previous), **previous.get("counts", {})}
    after_counts = {**_top_counts(current), **current.get("counts", {})}
    for key, label in labels.items():
        if key in before_counts and key in after_counts and before_counts[key] != after_counts[key]:
            rows.append({"label": label, "before": before_counts[key], "after": after_counts[key]})
    return rows


def _top_counts(facts: dict) -> dict:
    return {k: facts[k] for k in ("representatives", "with_mandate") if k in facts}


def _choice_label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or "—"

"""The trajectory overview gathers a short summary from each app.

Each app listed in `coconnect.composition.OVERVIEW_SUMMARIES` offers a function
`trajectory_summary(viewer) -> dict | None` and a template `<app>/_trajectory_summary.html` that
receives that dict as `summary`. Returning None shows nothing. Keep each summary to a fixed number
of queries: the overview's query count must not grow with data.

A participant's welcome page leads with what they should do now (`participant_todo`), read from
these same summaries, so it costs no query of its own. The keys it reads: workshops `next`;
interests `round` and `own_missing`; health `open_pulses` (each with `answered`); improvements
`positions_wanted`, `package_asking` and `groups`.
"""

from datetime import timedelta

from django.utils import timezone

from coconnect.composition import OVERVIEW_SUMMARIES

# Action items due within this many days count as "to do now".
DUE_SOON_DAYS = 14


def trajectory_summaries(viewer) -> list[dict]:
    summaries = []
    for app, trajectory_summary in OVERVIEW_SUMMARIES:
        summary = trajectory_summary(viewer)
        if summary is not None:
            summaries.append(
                {"app": app, "template": f"{app}/_trajectory_summary.html", "data": summary}
            )
    return summaries


def participant_todo(viewer, summaries: list[dict]) -> list[dict]:
    """What this participant should do now, most urgent first: each a `kind` and its data.

    Only what the summaries already show this viewer, so nothing confidential is added here.
    """
    data = {summary["app"]: summary["data"] for summary in summaries}
    todo = []
    workshop = data.get("workshops", {}).get("next")
    if workshop is not None and workshop.is_live:
        todo.append({"kind": "live", "workshop": workshop})
    interests = data.get("interests", {})
    round_ = interests.get("round")
    if round_ is not None and round_.status == "open" and interests.get("own_missing"):
        todo.append({"kind": "interests", "round": round_, "missing": interests["own_missing"]})
    for pulse in data.get("health", {}).get("open_pulses", []):
        if not pulse.answered:
            todo.append({"kind": "pulse", "pulse": pulse})
    improvements = data.get("improvements", {})
    if improvements.get("positions_wanted"):
        todo.append(
            {
                "kind": "positions",
                "package": improvements["package_asking"],
                "proposals": improvements["positions_wanted"],
            }
        )
    for proposal in improvements.get("positions_due", []):
        todo.append({"kind": "proposal_position", "proposal": proposal})
    soon = timezone.localdate() + timedelta(days=DUE_SOON_DAYS)
    for group in improvements.get("groups", []):
        if group.partner is None or group.partner.pk != viewer.partner_id:
            continue
        due_soon = [a for a in group.open if a.due_date and a.due_date <= soon]
        if group.overdue or due_soon:
            todo.append({"kind": "actions", "overdue": group.overdue, "soon": due_soon})
    return todo

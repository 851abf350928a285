"""The trajectory overview gathers a short summary from each app.

Each app has `<app>/summary.py` with `trajectory_summary(viewer) -> dict | None` and a template
`<app>/_trajectory_summary.html` that receives that dict as `summary`. Returning None shows nothing.
Keep each summary to a fixed number of queries: the overview's query count must not grow with data.
"""

from importlib import import_module

SUMMARY_APPS = ("interests", "workshops", "improvements", "health", "reports")


def trajectory_summaries(viewer) -> list[dict]:
    summaries = []
    for app in SUMMARY_APPS:
        summary = import_module(f"{app}.summary").trajectory_summary(viewer)
        if summary is not None:
            summaries.append({"template": f"{app}/_trajectory_summary.html", "data": summary})
    return summaries

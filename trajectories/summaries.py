"""The trajectory overview gathers a short summary from each app.

Each app listed in `coconnect.composition.OVERVIEW_SUMMARIES` offers a function
`trajectory_summary(viewer) -> dict | None` and a template `<app>/_trajectory_summary.html` that
receives that dict as `summary`. Returning None shows nothing. Keep each summary to a fixed number
of queries: the overview's query count must not grow with data.
"""

from coconnect.composition import OVERVIEW_SUMMARIES


def trajectory_summaries(viewer) -> list[dict]:
    summaries = []
    for app, trajectory_summary in OVERVIEW_SUMMARIES:
        summary = trajectory_summary(viewer)
        if summary is not None:
            summaries.append({"template": f"{app}/_trajectory_summary.html", "data": summary})
    return summaries

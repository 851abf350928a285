"""How the apps fit together: every hook one app offers another is named here, once.

Trajectories, reports and workshops each gather contributions from the other apps (an overview
block, a report section, a live agenda item, demo data). They read these lists instead of
looking modules up by name, so a reader (and a static tool) sees every dependency in one place.
The contracts of the hooks are described where they are used: trajectories/summaries.py,
reports/sections.py, workshops/agenda_plugins.py and trajectories' load_demo command.
"""

from health import demo as health_demo
from health import live as health_live
from health import report as health_report
from health import summary as health_summary
from improvements import demo as improvements_demo
from improvements import live as improvements_live
from improvements import report as improvements_report
from improvements import summary as improvements_summary
from interests import demo as interests_demo
from interests import report as interests_report
from interests import summary as interests_summary
from organisations import demo as organisations_demo
from reports import demo as reports_demo
from reports import summary as reports_summary
from workshops import demo as workshops_demo
from workshops import report as workshops_report
from workshops import summary as workshops_summary

# The blocks of the trajectory overview, in the order they are shown: (app, summary function).
OVERVIEW_SUMMARIES = [
    ("interests", interests_summary.trajectory_summary),
    ("workshops", workshops_summary.trajectory_summary),
    ("improvements", improvements_summary.trajectory_summary),
    ("health", health_summary.trajectory_summary),
    ("reports", reports_summary.trajectory_summary),
]

# The sections of a progress report and of a session report, in order: (app, section function).
PROGRESS_SECTIONS = [
    ("interests", interests_report.progress_section),
    ("workshops", workshops_report.progress_section),
    ("improvements", improvements_report.progress_section),
    ("health", health_report.progress_section),
]
SESSION_SECTIONS = [
    ("workshops", workshops_report.session_section),
    ("interests", interests_report.session_section),
    ("improvements", improvements_report.session_section),
]

# Live agenda item kinds whose content another app provides: kind -> (app, its live module).
AGENDA_PLUGINS = {
    "proposals": ("improvements", improvements_live),
    "pulse": ("health", health_live),
}

# Demo data, loaded in this order after the trajectory and its partners exist.
DEMO_LOADERS = [
    ("interests", interests_demo.load),
    ("workshops", workshops_demo.load),
    ("improvements", improvements_demo.load),
    ("health", health_demo.load),
    ("reports", reports_demo.load),
    # Last: a second trajectory of the demo municipality and its coordinator (the portfolio).
    ("organisations", organisations_demo.load),
]

"""Agenda item kinds whose live content belongs to another app.

The workshops app owns the live machinery (agenda, current item, versions, SSE/polling, fragment
cache). For the kinds in `coconnect.composition.AGENDA_PLUGINS`, the content of the item comes
from the app named there. That app provides a module `<app>/live.py` with

    def live_context(item, viewer) -> dict

(a fixed number of queries, whatever the data) and three templates, each receiving
`{"item": item, "workshop": item.workshop, "viewer": viewer, **live_context(item, viewer)}`:

    <app>/live/_participant.html   what a participant sees and does on the phone
    <app>/live/_projector.html     what the room sees on the big screen
    <app>/live/_console.html       what the facilitator sees and controls

How each is rendered:

    _console.html      per request, with `request` (so `{% csrf_token %}` works)
    _participant.html  per request, with `request`, in the phone's own part; it is fetched again
                       after every bump while the item is current, and text typed in an input or
                       textarea with an `id` survives that refresh
    _projector.html    once per workshop version, without `request`, cached for every screen:
                       nothing person-specific and no forms

Its own POST views (adding a proposal, answering a pulse …) check access through
trajectories.access and, after a change, call
`workshops.services.workshop_bump(workshop=item.workshop)` so that every screen follows.
"""

from coconnect.composition import AGENDA_PLUGINS as PLUGINS


def plugin_for(kind: str):
    """The plugin app's live module for this kind, or None for kinds workshops renders itself."""
    app_and_module = PLUGINS.get(kind)
    return app_and_module[1] if app_and_module else None

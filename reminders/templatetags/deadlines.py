"""`{% load deadlines %}`: `{% due date %}` says how a closing date stands, in words."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from ..deadlines import DEADLINES, due_state, edit_url, slug_for

register = template.Library()


@register.inclusion_tag("reminders/_due.html")
def due(due_on, done=False):
    """A badge "due in N days" / "due today" / "overdue since …" with the date in <time>.

    `done`: the work is finished (or the object no longer asks anything): only the date shows.
    """
    return {"state": due_state(due_on), "done": done}


@register.simple_tag
def due_text(due_on) -> str:
    """The same words as `{% due %}`, without markup: for plain-text mails and subjects."""
    state = due_state(due_on)
    if state is None:
        return ""
    date = date_format(state.due_on, "j F")
    if state.is_overdue:
        return gettext("overdue since %(date)s") % {"date": date}
    if state.is_today:
        return gettext("due today, %(date)s") % {"date": date}
    return ngettext("due tomorrow, %(date)s", "due in %(days)s days, %(date)s", state.days) % {
        "date": date,
        "days": state.days,
    }


@register.inclusion_tag("reminders/_deadline.html", takes_context=True)
def deadline(context, obj, done=False):
    """The closing date of a round, proposal, package or pulse, with (for the facilitator) the
    link to set or change it."""
    kind = slug_for(obj)
    spec = DEADLINES[kind]
    viewer = context.get("viewer")
    return {
        "viewer": viewer,
        "object": obj,
        "kind": kind,
        "label": spec.label,
        "state": due_state(getattr(obj, spec.field)),
        "done": done or not spec.is_settable(obj),
        "edit_url": edit_url(obj)
        if viewer is not None and viewer.is_facilitator and spec.is_settable(obj)
        else "",
    }

"""`{% calendar_feed_section "participant" %}` (or "account"): the feed section for a settings page.

A settings page owned by another app shows the section with this one tag; the data and the
forms stay here (workshops/calendar_views.py).
"""

from django import template

from workshops.calendar_views import feed_section

register = template.Library()


@register.inclusion_tag("workshops/_calendar_feed.html", takes_context=True)
def calendar_feed_section(context, owner: str) -> dict:
    return {
        "section": feed_section(context["request"], owner),
        "csrf_token": context.get("csrf_token"),
    }

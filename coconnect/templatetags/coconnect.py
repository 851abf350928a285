"""Template filters every app may use: `{% load coconnect %}`."""

import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def machine_datetime(value) -> str:
    """The `datetime` attribute of a <time> element, e.g. `2026-12-01T14:33:05+01:00`.

    `|date:"c"` writes microseconds, which a valid HTML date/time string does not allow (three
    fraction digits at most), so assistive technology and parsers may reject the value. Whole
    seconds in the local time zone say all a reader needs.
    """
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""

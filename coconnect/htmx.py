"""The request type of every view: Django's request as django-htmx's middleware leaves it.

Typing a view's request as `HtmxHttpRequest` tells the reader (and a type checker) that
`request.htmx` is there: `HtmxMiddleware` sets it on every request (see settings.MIDDLEWARE).
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails

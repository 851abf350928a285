"""htmx and the answers views give: the request type and the status of a form sent back.

Typing a view's request as `HtmxHttpRequest` tells the reader (and a type checker) that
`request.htmx` is there: `HtmxMiddleware` sets it on every request (see settings.MIDDLEWARE).

A form that comes back to be corrected is not a success: it answers 422 (errors to correct) or
409 (someone else saved first, coconnect/stale.py). htmx swaps both like a success
(`htmx.config.responseHandling` in static/js/app.js), so the form shows its messages in place;
without JavaScript the browser shows the page as it would a 200.
"""

from http import HTTPStatus

from django.core.exceptions import NON_FIELD_ERRORS
from django.forms import BaseForm
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def form_status(form: BaseForm) -> int:
    """The status of a page or fragment showing `form`: 200 when blank or valid, 409 after a
    stale edit, 422 when it has errors to correct."""
    if not form.is_bound or not form.errors:
        return HTTPStatus.OK
    if form.has_error(NON_FIELD_ERRORS, code="stale"):  # VersionFormMixin.show_stale
        return HTTPStatus.CONFLICT
    return HTTPStatus.UNPROCESSABLE_ENTITY

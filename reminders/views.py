from http import HTTPStatus

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coconnect.htmx import HtmxHttpRequest, form_status
from trajectories.access import FACILITATOR, Viewer, get_object_in_trajectory, trajectory_view

from . import services
from .deadlines import DEADLINES
from .forms import DeadlineForm


@require_http_methods(["GET", "POST"])
@trajectory_view(FACILITATOR)
def deadline_edit(request: HtmxHttpRequest, viewer: Viewer, kind: str, **ids: int) -> HttpResponse:
    """Set or clear the closing date of a round, proposal, package or pulse (facilitator)."""
    deadline = DEADLINES[kind]
    obj = get_object_in_trajectory(deadline.queryset(), viewer, pk=ids[deadline.url_kwarg])
    current = getattr(obj, deadline.field)
    back = obj.get_absolute_url()
    if not deadline.is_settable(obj):
        messages.error(request, _("This no longer asks anything of the partners: no date to set."))
        return redirect(back)
    form = DeadlineForm(
        request.POST or None, current=current, label=deadline.label, initial={"due_on": current}
    )
    if request.method == "POST" and form.is_valid():
        due_on = form.cleaned_data["due_on"]
        if services.deadline_set(deadline=deadline, obj=obj, due_on=due_on):
            if due_on:
                messages.success(
                    request,
                    _("Closing date set to %(date)s.") % {"date": date_format(due_on, "j F Y")},
                )
            else:
                messages.success(request, _("The closing date is removed."))
        return redirect(back)
    return render(
        request,
        "reminders/deadline_form.html",
        {"viewer": viewer, "form": form, "object": obj, "deadline": deadline, "back": back},
        status=form_status(form) if request.method == "POST" else HTTPStatus.OK,
    )

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coconnect.htmx import HtmxHttpRequest, form_status
from trajectories.access import FACILITATOR, Viewer, trajectory_view

from .forms import LogFilterForm
from .selectors import log_entries

PAGE_SIZE = 50


# Who before how: a manager or participant is refused (403) whatever the method.
@trajectory_view(FACILITATOR)
@require_GET
def index(request: HtmxHttpRequest, viewer: Viewer) -> HttpResponse:
    """The trajectory's audit log, for its facilitators only, with filters and pages."""
    filtering = any(request.GET.get(name) for name in LogFilterForm.base_fields)
    form = LogFilterForm(request.GET if filtering else None, trajectory=viewer.trajectory)
    # Filters with a mistake are not applied: the page says what to correct and shows all.
    lookups = form.filters() if form.is_bound and form.is_valid() else {}
    page = Paginator(log_entries(viewer.trajectory, **lookups), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"viewer": viewer, "form": form, "page": page, "filtered": bool(lookups)}
    return render(request, "audit/index.html", context, status=form_status(form))

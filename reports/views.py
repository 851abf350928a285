from django.shortcuts import render
from django.views.decorators.http import require_GET

from trajectories.access import EVERYONE, MEMBERS, trajectory_view


@require_GET
@trajectory_view(*MEMBERS)
def index(request, viewer):
    return render(request, "reports/index.html", {"viewer": viewer, "active_tab": "reports"})

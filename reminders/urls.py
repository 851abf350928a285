from django.urls import path

from . import views
from .deadlines import DEADLINES

app_name = "reminders"

# One route per kind of object, with the id named as everywhere else (round_pk, pulse_pk, …):
# /t/<pk>/termijnen/ronde/<round_pk>/ and so on.
urlpatterns = [
    path(f"{kind}/<int:{spec.url_kwarg}>/", views.deadline_edit, {"kind": kind}, name=kind)
    for kind, spec in DEADLINES.items()
]

from django.urls import include, path

from . import views

live_patterns = (
    [
        path("doe-mee/<int:workshop_pk>/", views.join, name="join"),
        # Under ASGI these two are answered by workshops/asgi.py before Django is reached.
        path("live/<str:live_key>/version/", views.version, name="version"),
        path("live/<str:live_key>/events/", views.events, name="events"),
    ],
    "workshops_live",
)

urlpatterns = [path("", include(live_patterns))]

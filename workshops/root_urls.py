from django.urls import include, path

from . import views

live_patterns = (
    [
        path("doe-mee/<int:workshop_pk>/", views.join, name="join"),
        # Under ASGI these (and cached shared fragments) are answered by workshops/asgi.py before
        # Django is reached.
        path("live/<str:live_key>/version/", views.version, name="version"),
        path("live/<str:live_key>/events/", views.events, name="events"),
        path(
            "live/<str:live_key>/s/<str:variant>/<int:invite_id>/<str:token>/<str:language>/",
            views.shared,
            name="shared",
        ),
    ],
    "workshops_live",
)

urlpatterns = [path("", include(live_patterns))]

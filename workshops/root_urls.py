from django.urls import include, path

from . import admission_views, calendar_views, views

live_patterns = (
    [
        # Joining from the projector's QR code (workshops/admission.py): no account, no link.
        # Named by the workshop's join code (models.new_join_code), never by its number.
        path("doe-mee/<str:join_code>/", admission_views.join, name="join"),
        path("doe-mee/<str:join_code>/wacht/", admission_views.knock_wait, name="knock_wait"),
        path(
            "doe-mee/<str:join_code>/wacht/stand/",
            admission_views.knock_status,
            name="knock_status",
        ),
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

# The private calendar feed and its settings: outside /t/, since one feed spans trajectories.
calendar_patterns = (
    [
        path("agenda/", calendar_views.settings_page, name="settings"),
        path("agenda/nieuw-adres/", calendar_views.renew, name="renew"),
        path("agenda/stoppen/", calendar_views.stop, name="stop"),
        path("agenda/<str:token>.ics", calendar_views.feed, name="feed"),
    ],
    "calendar",
)

urlpatterns = [path("", include(live_patterns)), path("", include(calendar_patterns))]

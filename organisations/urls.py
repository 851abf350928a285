from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisaties/", views.index, name="index"),
    path("organisaties/<int:organisation_pk>/", views.portfolio, name="portfolio"),
    path(
        "organisaties/<int:organisation_pk>/rapportage/",
        views.report_order,
        name="report_order",
    ),
    path(
        "organisaties/<int:organisation_pk>/rapportages/<int:report_pk>/",
        views.report_detail,
        name="report",
    ),
    path(
        "organisaties/<int:organisation_pk>/rapportages/<int:report_pk>/download/",
        views.report_download,
        name="report_download",
    ),
    path(
        "t/<int:trajectory_pk>/partners/<int:partner_pk>/coordinatoren/",
        views.coordinator_invite,
        name="coordinator_invite",
    ),
]

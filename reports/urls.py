from django.urls import path

from . import dossier_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("bestellen/", views.order, name="order"),
    path("dossier/", dossier_views.dossier_order, name="dossier"),
    path("<int:report_pk>/", views.detail, name="detail"),
    path("<int:report_pk>/download/", views.download, name="download"),
    path("<int:report_pk>/opnieuw/", views.retry, name="retry"),
]

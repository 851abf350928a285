from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("bestellen/", views.order, name="order"),
    path("<int:report_pk>/", views.detail, name="detail"),
    path("<int:report_pk>/download/", views.download, name="download"),
    path("<int:report_pk>/opnieuw/", views.retry, name="retry"),
]

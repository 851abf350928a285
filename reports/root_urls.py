from django.urls import path

from . import views

urlpatterns = [
    path("rapportages/", views.dashboard, name="reports_dashboard"),
]

from django.urls import path

from . import views

app_name = "improvements"

urlpatterns = [
    path("", views.index, name="index"),
]

from django.urls import path

from . import views

app_name = "trajectories"

urlpatterns = [
    path("i/<str:token>/", views.invite_open, name="invite_open"),
    path("t/<int:trajectory_pk>/", views.trajectory_detail, name="detail"),
    path("t/<int:trajectory_pk>/welkom/", views.welcome, name="welcome"),
]

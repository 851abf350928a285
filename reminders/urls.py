from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("<slug:kind>/<int:pk>/", views.deadline_edit, name="deadline"),
]

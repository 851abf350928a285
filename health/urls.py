from django.urls import path

from . import views

app_name = "health"

urlpatterns = [
    path("", views.index, name="index"),
    path("pulsen/nieuw/", views.pulse_create, name="pulse_create"),
    path("pulsen/<int:pulse_pk>/", views.pulse_detail, name="pulse_detail"),
    path("pulsen/<int:pulse_pk>/status/", views.pulse_status, name="pulse_status"),
    path("pulsen/<int:pulse_pk>/invullen/", views.pulse_answer, name="pulse_answer"),
    path(
        "pulsen/<int:pulse_pk>/bevindingen/<slug:rule>/",
        views.diagnosis_decide,
        name="diagnosis_decide",
    ),
    path("agendapunt/<int:item_pk>/puls/", views.pulse_for_item, name="pulse_for_item"),
    path("veranderingen/", views.change_list, name="change_list"),
    path("veranderingen/nieuw/", views.change_edit, name="change_create"),
    path("veranderingen/<int:pk>/", views.change_edit, name="change_edit"),
    path("veranderingen/<int:pk>/vervolg/", views.change_follow_up, name="change_follow_up"),
    path(
        "veranderingen/<int:pk>/verwijderen/",
        views.register_delete,
        {"register": "change"},
        name="change_delete",
    ),
    path("risicos/", views.risk_list, name="risk_list"),
    path("risicos/nieuw/", views.risk_edit, name="risk_create"),
    path("risicos/<int:pk>/", views.risk_edit, name="risk_edit"),
    path(
        "risicos/<int:pk>/verwijderen/",
        views.register_delete,
        {"register": "risk"},
        name="risk_delete",
    ),
    path("krachtenveld/", views.stakeholder_list, name="stakeholder_list"),
    path("krachtenveld/nieuw/", views.stakeholder_edit, name="stakeholder_create"),
    path("krachtenveld/<int:pk>/", views.stakeholder_edit, name="stakeholder_edit"),
    path(
        "krachtenveld/<int:pk>/verwijderen/",
        views.register_delete,
        {"register": "stakeholder"},
        name="stakeholder_delete",
    ),
]

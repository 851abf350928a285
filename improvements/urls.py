from django.urls import path

from . import views

app_name = "improvements"

urlpatterns = [
    path("", views.index, name="index"),
    path("voorstellen/nieuw/", views.proposal_new, name="proposal_new"),
    path("voorstellen/<int:proposal_pk>/", views.proposal_detail, name="proposal"),
    path("voorstellen/<int:proposal_pk>/bewerken/", views.proposal_edit, name="proposal_edit"),
    path("voorstellen/<int:proposal_pk>/standpunt/", views.position_take, name="position_take"),
    path("draagvlak/", views.matrix, name="matrix"),
    path("soorten/", views.kinds, name="kinds"),
    path("soorten/<int:kind_pk>/archiveren/", views.kind_toggle, name="kind_toggle"),
    path("soorten/<int:kind_pk>/naam/", views.kind_rename, name="kind_rename"),
    path("pakketten/nieuw/", views.package_new, name="package_new"),
    path("pakketten/<int:package_pk>/", views.package_detail, name="package"),
    path("pakketten/<int:package_pk>/bewerken/", views.package_edit, name="package_edit"),
    path("pakketten/<int:package_pk>/vaststellen/", views.package_adopt, name="package_adopt"),
    path(
        "pakketten/<int:package_pk>/nieuwe-versie/",
        views.package_new_version,
        name="package_new_version",
    ),
    path("pakketten/<int:package_pk>/acties/", views.package_action_add, name="package_action_add"),
    path("opvolging/", views.follow_up, name="followup"),
    path("opvolging/<int:action_pk>/status/", views.action_status, name="action_status"),
    path("live/<int:item_pk>/voorstel/", views.live_proposal_add, name="live_proposal_add"),
]

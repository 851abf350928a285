from django.urls import path

from . import views

app_name = "interests"

urlpatterns = [
    path("", views.index, name="index"),
    path("rondes/nieuw/", views.round_create, name="round_create"),
    path("rondes/<int:round_pk>/", views.round_detail, name="round"),
    path(
        "rondes/<int:round_pk>/openen/",
        views.round_transition,
        {"action": "open"},
        name="round_open",
    ),
    path(
        "rondes/<int:round_pk>/sluiten/",
        views.round_transition,
        {"action": "close"},
        name="round_close",
    ),
    path(
        "rondes/<int:round_pk>/onthullen/",
        views.round_transition,
        {"action": "reveal"},
        name="round_reveal",
    ),
    path("rondes/<int:round_pk>/belangen/nieuw/", views.interest_new, name="interest_new"),
    path("rondes/<int:round_pk>/themas/", views.themes, name="themes"),
    path("rondes/<int:round_pk>/themas/nieuw/", views.theme_create, name="theme_create"),
    path("rondes/<int:round_pk>/themas/verplaatsen/", views.interests_move, name="interests_move"),
    path(
        "themas/verplaatsingen/<int:move_pk>/ongedaan-maken/",
        views.interests_move_undo,
        name="interests_move_undo",
    ),
    path("rondes/<int:round_pk>/koppelingen/nieuw/", views.link_create, name="link_create"),
    path("rondes/<int:round_pk>/export.csv", views.export_csv, name="export_csv"),
    path("rondes/<int:round_pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("belang/<int:interest_pk>/", views.interest_edit, name="interest_edit"),
    path("belang/<int:interest_pk>/verwijderen/", views.interest_delete, name="interest_delete"),
    path("belang/<int:interest_pk>/zichtbaarheid/", views.interest_tier, name="interest_tier"),
    path("belang/<int:interest_pk>/verplaatsen/", views.interest_move, name="interest_move"),
    path("themas/<int:theme_pk>/naam/", views.theme_rename, name="theme_rename"),
    path("themas/<int:theme_pk>/samenvoegen/", views.theme_merge, name="theme_merge"),
    path("themas/<int:theme_pk>/classificeren/", views.theme_classify, name="theme_classify"),
    path("koppelingen/<int:link_pk>/verwijderen/", views.link_delete, name="link_delete"),
    path("kaart/", views.interest_map_view, name="map"),
    path("feiten/", views.facts, name="facts"),
    path("feiten/nieuw/", views.fact_edit, name="fact_new"),
    path("feiten/<int:fact_pk>/", views.fact_edit, name="fact_edit"),
]

from django.urls import path

from . import admission_views, views

app_name = "workshops"

urlpatterns = [
    path("", views.index, name="index"),
    path("nieuw/", views.workshop_create, name="create"),
    path("<int:workshop_pk>/", views.workshop_detail, name="detail"),
    path("<int:workshop_pk>/bewerken/", views.workshop_edit, name="edit"),
    path("<int:workshop_pk>/uitnodigen/", views.workshop_invite, name="invite"),
    path("<int:workshop_pk>/annuleren/", views.workshop_cancel, name="cancel"),
    path("<int:workshop_pk>/agenda/toevoegen/", views.item_add, name="item_add"),
    path("<int:workshop_pk>/agenda/kopieren/", views.agenda_copy, name="agenda_copy"),
    path("<int:workshop_pk>/agenda/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("<int:workshop_pk>/agenda/<int:item_pk>/verplaatsen/", views.item_move, name="item_move"),
    path(
        "<int:workshop_pk>/agenda/<int:item_pk>/verwijderen/", views.item_delete, name="item_delete"
    ),
    path("<int:workshop_pk>/agenda/<int:item_pk>/opties/", views.option_add, name="option_add"),
    path(
        "<int:workshop_pk>/agenda/<int:item_pk>/opties/<int:option_pk>/verwijderen/",
        views.option_delete,
        name="option_delete",
    ),
    path("<int:workshop_pk>/aanwezigheid/", views.attendance_save, name="attendance"),
    path("<int:workshop_pk>/regie/", views.console, name="console"),
    path("<int:workshop_pk>/regie/<slug:action>/", views.console_action, name="console_action"),
    path("<int:workshop_pk>/wachtenden/", admission_views.knocks, name="knocks"),
    path(
        "<int:workshop_pk>/wachtenden/iedereen-toelaten/",
        admission_views.knock_admit_all,
        name="knock_admit_all",
    ),
    path(
        "<int:workshop_pk>/wachtenden/<int:knock_pk>/toelaten/",
        admission_views.knock_admit,
        name="knock_admit",
    ),
    path(
        "<int:workshop_pk>/wachtenden/<int:knock_pk>/weigeren/",
        admission_views.knock_turn_away,
        name="knock_turn_away",
    ),
    path(
        "<int:workshop_pk>/bijdragen/<int:contribution_pk>/",
        views.contribution_moderate,
        name="contribution_moderate",
    ),
    path("<int:workshop_pk>/afspraken/", views.agreement_add, name="agreement_add"),
    path("<int:workshop_pk>/acties/", views.action_add, name="action_add"),
    path("<int:workshop_pk>/scherm/", views.projector, name="projector"),
    path("<int:workshop_pk>/qr.svg", views.join_qr, name="join_qr"),
    path("<int:workshop_pk>/live/", views.participant_live, name="participant"),
    path("<int:workshop_pk>/live/bijdrage/", views.contribution_add, name="contribute"),
    path("<int:workshop_pk>/live/stip/", views.dot, name="dot"),
    path("<int:workshop_pk>/live/hier/", views.heartbeat, name="heartbeat"),
]

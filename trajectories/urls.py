from django.urls import path

from . import mail_views, views

app_name = "trajectories"

urlpatterns = [
    path("i/<str:token>/", views.invite_open, name="invite_open"),
    path("healthz/", views.healthz, name="healthz"),
    path("aanmelden/<str:token>/", mail_views.sign_in, name="sign_in"),
    path("link-kwijt/", mail_views.lost_link, name="lost_link"),
    path("link-kwijt/verstuurd/", mail_views.lost_link_sent, name="lost_link_sent"),
    path("afmelden/<str:value>/", mail_views.unsubscribe, name="unsubscribe"),
    path("account/", mail_views.account_settings, name="account_settings"),
    path("deelnemer/afmelden/", views.participant_leave, name="participant_leave"),
    path("t/nieuw/", views.trajectory_create, name="create"),
    path("t/<int:trajectory_pk>/", views.trajectory_detail, name="detail"),
    path("t/<int:trajectory_pk>/welkom/", views.welcome, name="welcome"),
    path("t/<int:trajectory_pk>/instellingen/", views.trajectory_settings, name="settings"),
    path("t/<int:trajectory_pk>/verwijderen/", views.trajectory_delete, name="delete"),
    path("t/<int:trajectory_pk>/mijn-gegevens/", views.my_data, name="my_data"),
    path("t/<int:trajectory_pk>/mijn-instellingen/", mail_views.my_settings, name="my_settings"),
    path(
        "t/<int:trajectory_pk>/mijn-gegevens/verwijderverzoek/",
        views.removal_request,
        name="removal_request",
    ),
    path("t/<int:trajectory_pk>/leden/toevoegen/", views.member_add, name="member_add"),
    path(
        "t/<int:trajectory_pk>/leden/<int:membership_pk>/verwijderen/",
        views.member_remove,
        name="member_remove",
    ),
    path("t/<int:trajectory_pk>/partners/", views.partners, name="partners"),
    path("t/<int:trajectory_pk>/partners/nieuw/", views.partner_create, name="partner_create"),
    path(
        "t/<int:trajectory_pk>/partners/<int:partner_pk>/", views.partner_card, name="partner_card"
    ),
    path(
        "t/<int:trajectory_pk>/partners/<int:partner_pk>/bewerken/",
        views.partner_edit,
        name="partner_edit",
    ),
    path(
        "t/<int:trajectory_pk>/partners/<int:partner_pk>/verwijderen/",
        views.partner_remove,
        name="partner_remove",
    ),
    path(
        "t/<int:trajectory_pk>/partners/<int:partner_pk>/vertegenwoordigers/nieuw/",
        views.participant_create,
        name="participant_create",
    ),
    path(
        "t/<int:trajectory_pk>/vertegenwoordigers/<int:participant_pk>/",
        views.participant_row,
        name="participant_row",
    ),
    path(
        "t/<int:trajectory_pk>/vertegenwoordigers/<int:participant_pk>/bewerken/",
        views.participant_edit,
        name="participant_edit",
    ),
    path(
        "t/<int:trajectory_pk>/vertegenwoordigers/<int:participant_pk>/verwijderen/",
        views.participant_remove,
        name="participant_remove",
    ),
    path(
        "t/<int:trajectory_pk>/vertegenwoordigers/<int:participant_pk>/wissen/",
        views.participant_erase,
        name="participant_erase",
    ),
    path(
        "t/<int:trajectory_pk>/vertegenwoordigers/<int:participant_pk>/uitnodiging/",
        views.invite_issue,
        name="invite_issue",
    ),
    path(
        "t/<int:trajectory_pk>/vertegenwoordigers/<int:participant_pk>/uitnodiging/intrekken/",
        views.invite_revoke,
        name="invite_revoke",
    ),
    path(
        "t/<int:trajectory_pk>/vertegenwoordigers/<int:participant_pk>/uitnodiging/mailen/",
        views.invite_mail,
        name="invite_mail",
    ),
    path(
        "t/<int:trajectory_pk>/vertegenwoordigers/<int:participant_pk>/uitnodiging/qr/",
        views.invite_qr,
        name="invite_qr",
    ),
]

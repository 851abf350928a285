from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from trajectories import views as trajectory_views

from . import oidc, security, views

urlpatterns = [
    path("", trajectory_views.home, name="home"),
    path("favicon.ico", views.favicon),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("privacy/", views.privacy_statement, name="privacy"),
    path("toegankelijkheid/", views.accessibility_statement, name="accessibility"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/password_reset/",
        security.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("oidc/authenticate/", oidc.SignInView.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", oidc.CallbackView.as_view(), name="oidc_authentication_callback"),
    path("t/<int:trajectory_pk>/belangen/", include("interests.urls")),
    path("t/<int:trajectory_pk>/bijeenkomsten/", include("workshops.urls")),
    path("t/<int:trajectory_pk>/verbeteringen/", include("improvements.urls")),
    path("t/<int:trajectory_pk>/gezondheid/", include("health.urls")),
    path("t/<int:trajectory_pk>/rapportages/", include("reports.urls")),
    path("t/<int:trajectory_pk>/logboek/", include("audit.urls")),
    path("t/<int:trajectory_pk>/termijnen/", include("reminders.urls")),
    path("", include("organisations.urls")),
    path("", include("reports.root_urls")),
    path("", include("workshops.root_urls")),
    path("", include("trajectories.urls")),
]

handler400 = "coconnect.views.bad_request"
handler403 = "coconnect.views.permission_denied"
handler404 = "coconnect.views.page_not_found"
handler500 = "coconnect.views.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

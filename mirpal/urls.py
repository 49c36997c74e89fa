from allauth.account.views import logout as account_logout
from django.contrib import admin
from django.urls import include, path

from mirpal import admin_login, headers, metrics, views

admin.site.site_header = "MIRPAL"
admin.site.site_title = "MIRPAL"

urlpatterns = [
    # First: the partners' API is the most requested, and its answers come from the cache in
    # less time than resolving the site's other prefixes took.
    path("api/v1/", include("api.router", namespace="v1")),
    path("api/", include("api.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.healthz_live, name="healthz_live"),
    path("healthz/ready", views.healthz_ready, name="healthz_ready"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("csp-report/", headers.csp_report, name="csp_report"),
    path("mail/preferences/", views.mail_preferences, name="mail_preferences"),
    path("mail/unsubscribe/<str:token>/", views.mail_unsubscribe, name="mail_unsubscribe"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("library/", include("library.urls")),
    path("events/", include("events.urls")),
    path("discussions/", include("exchange.urls")),
    path("practices/", include("practices.urls")),
    path("programme/", include("programme.urls")),
    # The admin's own log-in, log-out and password forms bypass allauth's rate limits and second
    # factor; these (unnamed, ahead of the admin's) answer at their addresses instead.
    path("secretariat/admin/login/", admin_login.admin_login),
    path("secretariat/admin/logout/", account_logout),
    path("secretariat/admin/password_change/", admin_login.admin_password_change),
    path("secretariat/admin/", admin.site.urls),
    path("secretariat/", include("panel.urls")),
    # Last: every request for another page would otherwise walk the home page's patterns first.
    path("", include("portal.urls")),
]

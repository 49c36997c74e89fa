from django.contrib import admin
from django.urls import include, path

from mirpal import views

admin.site.site_header = "MIRPAL"
admin.site.site_title = "MIRPAL"

urlpatterns = [
    path("", include("portal.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("mail/preferences/", views.mail_preferences, name="mail_preferences"),
    path("mail/unsubscribe/<str:token>/", views.mail_unsubscribe, name="mail_unsubscribe"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("library/", include("library.urls")),
    path("events/", include("events.urls")),
    path("secretariat/admin/", admin.site.urls),
    path("secretariat/", include("panel.urls")),
    path("api/v1/", include("api.router", namespace="v1")),
    path("api/", include("api.urls")),
]

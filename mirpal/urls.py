from django.contrib import admin
from django.urls import include, path

from mirpal import views

admin.site.site_header = "MIRPAL"
admin.site.site_title = "MIRPAL"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("members/", include("members.urls")),
    path("secretariat/admin/", admin.site.urls),
]

from django.urls import path

from members import views
from members.roster.urls import urlpatterns as roster_urlpatterns

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("me/", views.account, name="account"),
    path("me/profile/", views.profile_edit, name="profile_edit"),
    path("me/security/", views.security, name="security"),
    path("me/data/", views.data_export, name="data_export"),
    path("me/close/", views.account_close, name="account_close"),
    path("closed/", views.account_closed, name="account_closed"),
    path("applications/", views.applications, name="applications"),
    path("applications/decide/", views.applications_decide, name="applications_decide"),
    *roster_urlpatterns,
]

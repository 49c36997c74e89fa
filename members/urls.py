from django.urls import path

from members import roster_views, views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("me/", views.account, name="account"),
    path("me/profile/", views.profile_edit, name="profile_edit"),
    path("applications/", views.applications, name="applications"),
    path("applications/decide/", views.applications_decide, name="applications_decide"),
    path("experts/", roster_views.roster, name="experts"),
    path("experts/export.csv", roster_views.roster_export, name="experts_export"),
    path("experts/<int:pk>/", roster_views.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/photo/", roster_views.expert_photo, name="expert_photo"),
    path("experts/requests/", roster_views.expert_requests, name="expert_requests"),
    path("experts/requests/new/", roster_views.expert_request_new, name="expert_request_new"),
    path("experts/requests/queue/", roster_views.expert_request_queue, name="expert_request_queue"),
    path(
        "experts/requests/<int:pk>/",
        roster_views.expert_request_detail,
        name="expert_request_detail",
    ),
    path(
        "experts/requests/<int:pk>/transition/",
        roster_views.expert_request_transition,
        name="expert_request_transition",
    ),
    path(
        "experts/requests/<int:pk>/note/",
        roster_views.expert_request_note,
        name="expert_request_note",
    ),
]

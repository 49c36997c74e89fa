"""The expert roster's pages, part of the members app's URLs (names under "members:")."""

from django.urls import path

from members.roster import views

urlpatterns = [
    path("experts/", views.roster, name="experts"),
    path("experts/export.csv", views.roster_export, name="experts_export"),
    path("experts/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/photo/", views.expert_photo, name="expert_photo"),
    path("experts/requests/", views.expert_requests, name="expert_requests"),
    path("experts/requests/new/", views.expert_request_new, name="expert_request_new"),
    path("experts/requests/queue/", views.expert_request_queue, name="expert_request_queue"),
    path(
        "experts/requests/<int:pk>/",
        views.expert_request_detail,
        name="expert_request_detail",
    ),
    path(
        "experts/requests/<int:pk>/transition/",
        views.expert_request_transition,
        name="expert_request_transition",
    ),
    path(
        "experts/requests/<int:pk>/note/",
        views.expert_request_note,
        name="expert_request_note",
    ),
]

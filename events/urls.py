from django.urls import path

from events import views
from events.mail import views as mail_views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("past/", views.event_past, name="past"),
    path("calendar/", views.event_calendar, name="calendar"),
    path("mine/", views.my_events, name="mine"),
    path("feed/renew/", views.feed_regenerate, name="feed_regenerate"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("series/<slug:slug>/", views.series_detail, name="series"),
    path("attendance/", views.attendance_report, name="attendance_report"),
    path("answer/<str:token>/", mail_views.rsvp, name="rsvp"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/event.ics", views.event_ics, name="ics"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/cancel/", views.cancel_registration, name="cancel_registration"),
    path("<slug:slug>/attendance/", views.attendance_import, name="attendance_import"),
    path("<slug:slug>/mail/", mail_views.mail_status, name="mail_status"),
    path("<slug:slug>/mail/resend/", mail_views.mail_resend, name="mail_resend"),
]

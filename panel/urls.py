from django.urls import path

from panel import views

app_name = "panel"

urlpatterns = [
    path("", views.home, name="home"),
    path("figures/", views.figures, name="figures"),
    path("figures/<slug:slug>.csv", views.figure_csv, name="figure_csv"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("exports/", views.export, name="exports"),
    path("messages/", views.messages_list, name="messages"),
    path("messages/new/", views.message_new, name="message_new"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
]

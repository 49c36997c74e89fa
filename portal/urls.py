from django.urls import path

from portal import views

# No app_name: the names "home" and "about" are used bare across the templates.
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
]

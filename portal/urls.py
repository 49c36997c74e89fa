from django.urls import path

from portal import mine, views

# No app_name: the names "home" and "about" are used bare across the templates.
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("privacy/", views.privacy, name="privacy"),
    path("terms/", views.terms, name="terms"),
    path("partners/<int:pk>/logo/", views.supporter_logo, name="supporter_logo"),
    path("countries/", views.country_list, name="countries"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("my/", mine.my_mirpal, name="my_mirpal"),
]

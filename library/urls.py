from django.urls import path

from library import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("most-read/", views.most_read, name="most_read"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("countries/<str:code>/", views.country, name="country"),
    path("issues/", views.issues, name="issues"),
    path("issues/<int:number>/", views.issue, name="issue"),
    path("issues/<int:number>/pdf/", views.issue_pdf, name="issue_pdf"),
    path("issues/<int:number>/cover/", views.issue_cover, name="issue_cover"),
    path("articles/<int:pk>/", views.article, name="article"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
]

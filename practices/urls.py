from django.urls import path

from practices.views import cases, collections, compare, review

app_name = "practices"

urlpatterns = [
    path("", cases.case_list, name="list"),
    path("propose/", review.case_propose, name="propose"),
    path("mine/", review.cases_mine, name="mine"),
    path("compare/", compare.compare_topic, name="compare"),
    path("compare/cases/", compare.compare_cases, name="compare_cases"),
    path("collections/", collections.collection_list, name="collections"),
    path("collections/<slug:slug>/", collections.collection_detail, name="collection"),
    path("collections/<slug:slug>/pack.pdf", collections.collection_pdf, name="collection_pdf"),
    path("<slug:slug>/", cases.case_detail, name="case"),
    path("<slug:slug>/edit/", review.case_edit, name="edit"),
    path("<slug:slug>/ask/", compare.case_ask, name="ask"),
]

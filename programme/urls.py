from django.urls import path

from programme.views import polls, programme, proposals

app_name = "programme"

urlpatterns = [
    path("", programme.programme_current, name="current"),
    path("<int:year>/", programme.programme_year, name="year"),
    path("<int:year>/programme.xlsx", programme.programme_xlsx, name="year_xlsx"),
    path("proposals/", proposals.proposal_list, name="proposals"),
    path("proposals/new/", proposals.proposal_create, name="propose"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/support/", proposals.proposal_support, name="support"),
    path("proposals/<int:pk>/withdraw/", proposals.proposal_withdraw, name="withdraw"),
    path("proposals/<int:pk>/comment/", proposals.proposal_comment, name="comment"),
    path("proposals/<int:pk>/answer/", proposals.proposal_answer, name="answer"),
    path("proposals/<int:pk>/merge/", proposals.proposal_merge, name="merge"),
    path("polls/<int:pk>/", polls.poll_detail, name="poll"),
    path("polls/<int:pk>/results/", polls.poll_results, name="poll_results"),
    path("polls/<int:pk>/choose/", polls.poll_choose, name="poll_choose"),
]

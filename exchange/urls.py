from django.urls import path

from exchange.views import browse, threads
from exchange.views import follows as follow_views
from exchange.views import moderation as moderation_views

app_name = "exchange"

# Each group of pages adds its own patterns (exchange.views.threads, browse, follows, moderation).
urlpatterns = []

# exchange.views.threads: asking, one thread's page, answering and replying, marking the answer
# that helped and "this helped me", editing, and the files of threads and posts.
urlpatterns += [
    path("ask/", threads.thread_new, name="thread_new"),
    path("<int:pk>/", threads.thread, name="thread"),
    path("<int:pk>/answer/", threads.post_new, name="post_new"),
    path("<int:pk>/edit/", threads.thread_edit, name="thread_edit"),
    path("<int:pk>/unaccept/", threads.unaccept, name="unaccept"),
    path("posts/<int:pk>/", threads.post, name="post"),
    path("posts/<int:pk>/edit/", threads.post_edit, name="post_edit"),
    path("posts/<int:pk>/accept/", threads.accept, name="accept"),
    path("posts/<int:pk>/helpful/", threads.helpful, name="helpful"),
    path("attachments/<int:pk>/", threads.attachment, name="attachment"),
]

# exchange.views.browse: the lists (a topic's and a country's at clean addresses) and the people
# picker of the writing forms.
urlpatterns += [
    path("", browse.thread_list, name="list"),
    path("topics/<slug:slug>/", browse.topic, name="topic"),
    path("countries/<str:code>/", browse.country, name="country"),
    path("people/", browse.people, name="people"),
]

# exchange.views.follows: follow and unfollow (topic, country, thread), what I follow, and the
# invitation of a roster expert to answer a thread.
urlpatterns += [
    path("follow/", follow_views.follow, name="follow"),
    path("following/", follow_views.following, name="following"),
    path("<int:pk>/invite/", follow_views.invite_expert, name="invite_expert"),
]

# exchange.views.moderation: members' flags, the moderators' queue, actions and edits, and a
# resolved thread made into a library document.
urlpatterns += [
    path("<int:pk>/flag/", moderation_views.flag_thread, name="flag_thread"),
    path("posts/<int:pk>/flag/", moderation_views.flag_post, name="flag_post"),
    path("moderation/", moderation_views.queue, name="moderation"),
    path("<int:pk>/moderate/", moderation_views.moderate_thread, name="moderate_thread"),
    path("posts/<int:pk>/moderate/", moderation_views.moderate_post, name="moderate_post"),
    path(
        "<int:pk>/moderate/edit/",
        moderation_views.moderate_edit_thread,
        name="moderate_edit_thread",
    ),
    path(
        "posts/<int:pk>/moderate/edit/",
        moderation_views.moderate_edit_post,
        name="moderate_edit_post",
    ),
    path("<int:pk>/document/", moderation_views.to_document, name="to_document"),
]

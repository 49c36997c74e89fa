"""Marking the answer that helped, and "this helped me", through the buttons on the thread page."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from exchange.models import Helpful, Post, Thread
from tests.exchange.conftest import signed_in
from tests.factories.exchange import PostFactory, ThreadFactory
from tests.factories.members import ProfileFactory, SecretariatFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(asker, topic):
    return ThreadFactory(author=asker, topics=[topic])


def accept(client, post, **data):
    return client.post(reverse("exchange:accept", args=[post.pk]), data)


def helpful(client, post, on: str):
    return client.post(reverse("exchange:helpful", args=[post.pk]), {"on": on})


def test_the_asker_marks_the_answer_that_helped_and_it_comes_first(thread, asker, answerer):
    PostFactory(thread=thread, body="An earlier answer")
    later = PostFactory(thread=thread, author=answerer, body="The answer that solved it")
    client = signed_in(asker)

    page = client.get(thread.get_absolute_url()).content.decode()
    assert page.count("Mark as the answer that helped") == 2
    response = accept(client, later)

    assert response["Location"] == later.get_absolute_url()
    thread.refresh_from_db()
    assert thread.accepted_answer == later
    text = signed_in(answerer).get(thread.get_absolute_url()).content.decode()
    assert text.index("The answer that solved it") < text.index("An earlier answer")
    assert text.count("The answer that helped the asker") == 1
    assert f'class="card exchange-post exchange-accepted" id="post-{later.pk}"' in text
    assert "Mark as the answer that helped" not in text  # not the answerer's to mark

    accept(client, later, unaccept="1")
    thread.refresh_from_db()
    assert thread.accepted_answer is None


def test_another_member_may_not_mark(thread, answerer):
    post = PostFactory(thread=thread)
    assert accept(signed_in(answerer), post).status_code == 403
    unaccept = signed_in(answerer).post(reverse("exchange:unaccept", args=[thread.pk]))
    assert unaccept.status_code == 403
    thread.refresh_from_db()
    assert thread.accepted_answer is None


def test_the_secretariat_may_mark_and_a_discussion_may_be_marked(asker, topic):
    discussion = ThreadFactory(author=asker, kind="discussion", topics=[topic])
    post = PostFactory(thread=discussion)
    response = accept(signed_in(SecretariatFactory()), post)
    assert response.status_code == 302
    discussion.refresh_from_db()
    assert discussion.accepted_answer == post


def test_a_reply_cannot_be_the_answer(thread, asker):
    first = PostFactory(thread=thread)
    reply = PostFactory(thread=thread, parent=first)
    page = signed_in(asker).post(reverse("exchange:accept", args=[reply.pk]), follow=True)
    assert page.status_code == 200
    assert "Only a published answer can be marked as the one that helped." in page.content.decode()
    thread.refresh_from_db()
    assert thread.accepted_answer is None


def test_a_member_says_this_helped_me_once(thread, asker, answerer):
    post = PostFactory(thread=thread, author=answerer)
    reader = ProfileFactory().user
    client = signed_in(reader)

    assert helpful(client, post, "1").status_code == 302
    assert helpful(client, post, "1").status_code == 302  # a second click of the same button
    helpful(signed_in(asker), post, "1")

    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.helpful_count, thread.helpful_count, Helpful.objects.count()) == (2, 2, 2)
    text = client.get(thread.get_absolute_url()).content.decode()
    assert 'aria-pressed="true">This helped me · 2</button>' in text

    helpful(client, post, "0")
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.helpful_count, thread.helpful_count) == (1, 1)
    assert list(Helpful.objects.values_list("user", flat=True)) == [asker.pk]


def test_no_one_marks_their_own_answer(thread, answerer):
    post = PostFactory(thread=thread, author=answerer)
    client = signed_in(answerer)

    text = client.get(thread.get_absolute_url()).content.decode()
    assert "0 members found this helpful" in text
    assert reverse("exchange:helpful", args=[post.pk]) not in text
    assert helpful(client, post, "1").status_code == 403
    post.refresh_from_db()
    assert (post.helpful_count, Helpful.objects.count()) == (0, 0)


def test_a_reply_takes_no_helpful_mark(thread, answerer):
    reply = PostFactory(thread=thread, parent=PostFactory(thread=thread))
    helpful(signed_in(answerer), reply, "1")
    assert Helpful.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_once_give_one_mark(asker, answerer, topic):
    thread = ThreadFactory(author=asker, topics=[topic])
    post = PostFactory(thread=thread, author=answerer)
    clients = [signed_in(asker), signed_in(asker)]
    start = threading.Barrier(2)
    answers = []

    def click(client):
        start.wait()
        try:
            answers.append(helpful(client, post, "1").status_code)
        finally:
            connection.close()

    workers = [threading.Thread(target=click, args=(client,)) for client in clients]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert answers == [302, 302]
    assert Helpful.objects.count() == 1
    assert Post.objects.get(pk=post.pk).helpful_count == 1
    assert Thread.objects.get(pk=thread.pk).helpful_count == 1

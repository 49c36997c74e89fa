"""Answering and replying through the thread page's forms, and what the page then shows."""

import pytest
from django.test import Client
from django.urls import reverse

from exchange.models import Attachment, Follow, Post, Thread
from tests.exchange.conftest import answer, signed_in
from tests.factories.exchange import HelpfulFactory, PostFactory, ThreadFactory
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(asker, topic):
    return ThreadFactory(author=asker, topics=[topic], title="Seasonal workers")


def test_a_member_answers_and_everyone_sees_the_answer(thread, answerer, asker):
    response = answer(signed_in(answerer), thread, "In Moldova we register them **online**.")

    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    assert (post.author, post.parent, post.state, post.language) == (
        answerer, None, "published", "en"
    )  # fmt: skip
    assert post.body_html == "<p>In Moldova we register them <strong>online</strong>.</p>\n"
    thread.refresh_from_db()
    assert (thread.answer_count, thread.first_answer_at) == (1, post.created_at)
    assert thread.last_activity_at == post.created_at
    assert Follow.objects.filter(user=answerer, thread=thread).count() == 1

    text = signed_in(asker).get(thread.get_absolute_url()).content.decode()
    assert '<h2 id="answers-title">1 answer</h2>' in text
    assert f'id="post-{post.pk}"' in text
    assert "<p>In Moldova we register them <strong>online</strong>.</p>" in text
    assert "Ion Rusu</a></span>, Bureau for Migration, Moldova" in text


def test_the_askers_own_answer_is_not_the_first_answer(thread, asker):
    answer(signed_in(asker), thread, "An update: we found a way.")
    thread.refresh_from_db()
    assert (thread.answer_count, thread.first_answer_at) == (1, None)


def test_a_reply_sits_under_its_answer(thread, answerer, asker):
    first = PostFactory(thread=thread, author=answerer, body="Register online.")
    response = answer(signed_in(asker), thread, "Which site do you use?", parent=str(first.pk))

    reply = Post.objects.get(parent=first)
    assert response["Location"] == reply.get_absolute_url()
    thread.refresh_from_db()
    assert (thread.answer_count, thread.last_activity_at) == (1, reply.created_at)
    text = signed_in(answerer).get(thread.get_absolute_url()).content.decode()
    answer_at, reply_at = text.index(f'id="post-{first.pk}"'), text.index(f'id="post-{reply.pk}"')
    assert answer_at < reply_at < text.index('id="answer-title"')
    assert 'class="card exchange-post exchange-reply"' in text


def test_replies_go_one_level_deep(thread, answerer, asker):
    first = PostFactory(thread=thread, author=answerer)
    reply = PostFactory(thread=thread, parent=first, author=asker)
    elsewhere = PostFactory(thread=ThreadFactory())

    for parent in (reply, elsewhere):
        response = answer(signed_in(answerer), thread, "A reply to a reply", parent=str(parent.pk))
        assert response.status_code == 200
        assert (
            "You can reply only to a published answer of this thread." in response.content.decode()
        )
        assert "A reply to a reply</textarea>" in response.content.decode()
    assert Post.objects.count() == 3


def test_a_locked_thread_takes_no_answer(thread, answerer):
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    client = signed_in(answerer)

    page = client.get(thread.get_absolute_url()).content.decode()
    assert "<strong>This thread is locked.</strong>" in page
    assert 'name="body"' not in page
    response = answer(client, thread, "Let me answer anyway")
    assert response.status_code == 200
    assert "This thread is locked: it takes no new answers or replies." in response.content.decode()
    assert Post.objects.count() == 0


def test_an_empty_answer_comes_back_with_an_error(thread, answerer):
    response = answer(signed_in(answerer), thread, "")
    assert response.status_code == 200
    assert "Write your answer before sending it." in response.content.decode()
    assert Post.objects.count() == 0


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_only_approved_members_answer(thread, status):
    thread.visibility = "public"
    thread.save()
    response = answer(signed_in(ProfileFactory(status=status).user), thread)
    assert response["Location"] == reverse("members:account")
    assert Post.objects.count() == 0


def test_a_new_members_first_answer_waits_for_review(settings, thread, answerer, asker):
    settings.EXCHANGE_HOLD_FIRST_POSTS = 2
    author = signed_in(answerer)
    answer(author, thread, "My first answer")

    post = Post.objects.get()
    assert post.state == "held"
    thread.refresh_from_db()
    assert (thread.answer_count, thread.first_answer_at) == (0, None)
    own_view = author.get(thread.get_absolute_url()).content.decode()
    assert "My first answer" in own_view
    assert "Awaiting the secretariat's review: only you and the secretariat see this." in own_view
    assert "My first answer" not in signed_in(asker).get(thread.get_absolute_url()).content.decode()


def _answers(thread, count, viewer):
    for number in range(count):
        post = PostFactory(thread=thread, body=f"Answer number {number}")
        PostFactory(thread=thread, parent=post, body=f"Reply to {number}")
        Attachment.objects.create(
            post=post, kind="pdf", file=f"exchange/pdf/{number}.pdf", name="a.pdf"
        )
        if number % 2:
            HelpfulFactory(post=post, user=viewer)
    Thread.objects.filter(pk=thread.pk).update(
        accepted_answer=thread.posts.filter(parent=None).first(), answer_count=count
    )


@pytest.mark.parametrize("count", [1, 50])
def test_the_thread_page_takes_the_same_queries_for_1_and_50_answers(
    count, thread, answerer, django_assert_num_queries
):
    _answers(thread, count, answerer)
    Attachment.objects.create(thread=thread, kind="pdf", file="exchange/pdf/t.pdf", name="t.pdf")
    client = signed_in(answerer)
    client.get(thread.get_absolute_url())  # the session is read once and kept

    with django_assert_num_queries(10):
        response = client.get(thread.get_absolute_url())
    # The accepted answer and the first thirty others, each with its reply.
    assert response.content.decode().count('class="card exchange-post') == 2 * min(count, 31)
    if count > 31:
        with django_assert_num_queries(10):
            response = client.get(thread.get_absolute_url() + "?page=2")
        assert response.content.decode().count('class="card exchange-post') == 2 * (count - 31)


def test_long_threads_come_a_page_of_answers_at_a_time_and_each_post_finds_its_page(
    thread, answerer
):
    _answers(thread, 65, answerer)
    client = signed_in(answerer)
    later = list(thread.posts.filter(parent=None).order_by("created_at", "id"))

    first_page = client.get(thread.get_absolute_url()).content.decode()
    assert "Answers 1–31 of 65" in first_page  # the accepted answer and thirty others
    assert f'id="post-{later[30].pk}"' in first_page  # the 30th after the accepted one
    assert f'id="post-{later[31].pk}"' not in first_page
    assert 'rel="next" href="?page=2#answers-title"' in first_page
    third_page = client.get(thread.get_absolute_url() + "?page=3").content.decode()
    assert "Answers 62–65 of 65" in third_page
    second_page = client.get(thread.get_absolute_url() + "?page=2").content.decode()
    assert "Answers 32–61 of 65" in second_page
    assert 'rel="prev" href="?page=2#answers-title"' in third_page
    assert 'rel="next"' not in third_page

    reply = later[40].replies.get()
    response = client.get(reply.get_absolute_url())
    assert response["Location"] == f"{thread.get_absolute_url()}?page=2#post-{reply.pk}"
    assert f'id="post-{reply.pk}"' in client.get(response["Location"]).content.decode()
    response = client.get(later[0].get_absolute_url())  # the accepted answer: always page 1
    assert response["Location"] == f"{thread.get_absolute_url()}#post-{later[0].pk}"


def test_a_reply_form_opens_under_the_answer_it_is_for_only(thread, answerer):
    first, second = PostFactory(thread=thread), PostFactory(thread=thread)
    address = f"{thread.get_absolute_url()}?reply={second.pk}"
    text = signed_in(answerer).get(address).content.decode()
    assert f'id="reply-{second.pk}"' in text
    assert f'id="reply-{first.pk}"' not in text
    assert f'href="?reply={first.pk}#reply-{first.pk}"' in text
    assert text.count('name="parent"') == 1


def test_a_reply_with_an_error_comes_back_open_under_its_answer(thread, answerer, asker):
    first = PostFactory(thread=thread, author=answerer)
    response = answer(signed_in(asker), thread, "", parent=str(first.pk))

    text = response.content.decode()
    assert response.status_code == 200
    assert f'<div class="exchange-reply-form" id="reply-{first.pk}">' in text
    assert text.index(f'id="post-{first.pk}"') < text.index("Write your answer before sending it.")
    assert Post.objects.count() == 1


def test_a_post_address_sends_a_reader_who_may_not_read_the_thread_to_log_in(thread, answerer):
    post = PostFactory(thread=thread)  # a members-only thread
    response = Client().get(post.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert str(thread.pk) not in response["Location"].split("?")[0]

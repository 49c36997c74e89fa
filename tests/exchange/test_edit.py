"""Changing what one wrote, through the edit pages: the text before is kept in an Edit row."""

import pytest
from django.urls import reverse

from exchange.models import Edit, Thread
from tests.exchange.conftest import ask, signed_in, thread_form
from tests.factories.exchange import PostFactory, ThreadFactory
from tests.factories.members import SecretariatFactory

pytestmark = pytest.mark.django_db


def test_the_author_edits_a_thread_and_the_text_before_is_kept(asker, answerer, topic):
    client = signed_in(asker)
    ask(client, topic, title="Seasonal workers", body="First version")
    thread = Thread.objects.get()
    edit_url = reverse("exchange:thread_edit", args=[thread.pk])

    form = client.get(edit_url).content.decode()
    assert 'value="Seasonal workers"' in form
    assert "First version</textarea>" in form
    response = client.post(
        edit_url,
        thread_form(
            topic, title="Seasonal workers in 2026", body="Second *version*", countries=["AM"]
        ),
    )

    assert response["Location"] == thread.get_absolute_url()
    thread.refresh_from_db()
    assert (thread.title, thread.body, thread.countries) == (
        "Seasonal workers in 2026", "Second *version*", ["AM"]
    )  # fmt: skip
    assert thread.body_html == "<p>Second <em>version</em></p>\n"
    assert thread.edited_at is not None
    assert list(Edit.objects.values_list("thread", "edited_by", "title_before", "body_before")) == [
        (thread.pk, asker.pk, "Seasonal workers", "First version")
    ]
    page = signed_in(answerer).get(thread.get_absolute_url()).content.decode()
    assert "<p>Second <em>version</em></p>" in page
    assert "edited <time" in page


def test_the_author_edits_an_answer(asker, answerer, topic):
    thread = ThreadFactory(author=asker, topics=[topic])
    post = PostFactory(thread=thread, author=answerer, body="Online, within three days")
    client = signed_in(answerer)
    url = reverse("exchange:post_edit", args=[post.pk])

    assert "Online, within three days</textarea>" in client.get(url).content.decode()
    response = client.post(url, {"body": "Online, within two days", "language": "en"})

    assert response["Location"] == post.get_absolute_url()
    post.refresh_from_db()
    assert (post.body, post.body_html) == (
        "Online, within two days", "<p>Online, within two days</p>\n"
    )  # fmt: skip
    assert list(Edit.objects.values_list("post", "edited_by", "body_before")) == [
        (post.pk, answerer.pk, "Online, within three days")
    ]


def test_no_one_else_edits(asker, answerer, topic):
    thread = ThreadFactory(author=asker, topics=[topic], title="Mine")
    post = PostFactory(thread=thread, author=asker, body="Mine too")
    client = signed_in(answerer)

    thread_url = reverse("exchange:thread_edit", args=[thread.pk])
    post_url = reverse("exchange:post_edit", args=[post.pk])
    assert client.get(thread_url).status_code == 403
    assert client.post(thread_url, thread_form(topic, title="Theirs")).status_code == 403
    assert client.get(post_url).status_code == 403
    assert client.post(post_url, {"body": "Theirs", "language": "en"}).status_code == 403
    thread.refresh_from_db()
    post.refresh_from_db()
    assert (thread.title, post.body, Edit.objects.count()) == ("Mine", "Mine too", 0)
    assert (
        reverse("exchange:post_edit", args=[post.pk])
        not in client.get(thread.get_absolute_url()).content.decode()
    )


def test_a_locked_thread_can_no_longer_be_changed_by_its_author(asker, topic):
    thread = ThreadFactory(author=asker, topics=[topic], title="Mine", is_locked=True)
    response = signed_in(asker).post(
        reverse("exchange:thread_edit", args=[thread.pk]), thread_form(topic, title="Changed")
    )
    assert response.status_code == 200
    assert "This thread is locked: it can no longer be changed." in response.content.decode()
    thread.refresh_from_db()
    assert thread.title == "Mine"


def test_the_secretariat_edits_an_answer_and_the_edit_names_them(asker, answerer, topic):
    post = PostFactory(thread=ThreadFactory(author=asker, topics=[topic]), author=answerer)
    staff = SecretariatFactory()
    signed_in(staff).post(
        reverse("exchange:post_edit", args=[post.pk]), {"body": "Edited", "language": "en"}
    )
    post.refresh_from_db()
    assert post.body == "Edited"
    assert list(Edit.objects.values_list("edited_by", flat=True)) == [staff.pk]

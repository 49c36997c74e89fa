"""The demo network's discussions: loaded once by `demo_data`, across the nine countries in both
languages, with counters that agree with their rows, and shown by the discussion pages."""

from collections import Counter

import pytest
from django.db.models import F
from django.db.models.functions import TruncMonth
from django.test import Client
from django.urls import reverse

from demo import exchange as demo
from demo import members as members_demo
from demo import roster as roster_demo
from exchange.models import Follow, Helpful, Post, Thread
from members.models import User

pytestmark = pytest.mark.django_db

NINE = {"AM", "BY", "KZ", "KG", "MD", "RU", "TJ", "UA", "UZ"}


def load_demo() -> None:
    members_demo.load(members=60)
    roster_demo.load(experts=25)
    demo.load()


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _discussions_cross_countries_languages_and_visibility():
    threads = Thread.objects.all()

    assert Counter(threads.values_list("language", flat=True)) == {"ru": 15, "en": 9}
    about = Counter(code for codes in threads.values_list("countries", flat=True) for code in codes)
    assert about == {
        "RU": 9,
        "KZ": 9,
        "KG": 9,
        "UZ": 9,
        "MD": 9,
        "TJ": 6,
        "AM": 6,
        "UA": 5,
        "BY": 5,
    }
    # Written by members of every country, and by the international ones.
    writers = set(threads.values_list("author__profile__country", flat=True))
    assert writers == NINE | {"XX"}
    assert Counter(threads.values_list("visibility", flat=True)) == {"members": 15, "public": 9}
    assert Counter(threads.values_list("kind", flat=True)) == {"question": 19, "discussion": 5}
    assert threads.filter(accepted_answer__isnull=False).count() == 12
    assert threads.filter(answer_count=0).count() == 2
    # Some answers are in the other language than the question.
    answers = Post.objects.filter(parent__isnull=True).select_related("thread")
    assert sum(post.language != post.thread.language for post in answers) == 15
    # Spread over the last six months, for the figures by month.
    months = set(threads.annotate(month=TruncMonth("created_at")).values_list("month", flat=True))
    assert len(months) >= 6
    assert threads.filter(topics__isnull=True).count() == 0


def _counters_agree_with_the_rows():

    for thread in Thread.objects.prefetch_related("posts__helpful_marks"):
        posts = list(thread.posts.all())
        answers = [post for post in posts if post.parent_id is None and post.state == "published"]
        for post in posts:
            assert post.helpful_count == len(post.helpful_marks.all())
        assert thread.answer_count == len(answers)
        assert thread.helpful_count == sum(post.helpful_count for post in answers)
        by_others = [post.created_at for post in answers if post.author_id != thread.author_id]
        assert thread.first_answer_at == (min(by_others) if by_others else None)
        assert thread.last_activity_at == max(
            [thread.created_at, *(post.created_at for post in posts)]
        )
        if thread.accepted_answer_id:
            assert thread.accepted_answer.thread_id == thread.pk
        for post in posts:
            assert thread.created_at < post.created_at
            assert post.author_id is not None
    # Nobody marks their own answer.
    assert Helpful.objects.filter(user=F("post__author")).count() == 0


def _the_demo_member_writes_answers_and_follows():
    member = User.objects.get(email="member@mirpal.example")

    assert Thread.objects.filter(author=member).count() == 2
    assert Post.objects.filter(author=member).count() == 3
    follows = Follow.objects.filter(user=member)
    assert sorted(follows.filter(topic__isnull=False).values_list("topic__slug", flat=True)) == [
        "organised-recruitment",
        "remittances",
    ]
    assert sorted(follows.exclude(country="").values_list("country", flat=True)) == ["KZ", "UZ"]
    # The threads they wrote or answered, and two more they chose.
    followed = set(follows.filter(thread__isnull=False).values_list("thread_id", flat=True))
    wrote = set(Thread.objects.filter(author=member).values_list("pk", flat=True))
    answered = set(Post.objects.filter(author=member).values_list("thread_id", flat=True))
    assert wrote | answered < followed
    assert len(followed) == len(wrote | answered) + 2
    # Their question on pensions has its answer marked, and they said it helped them.
    pensions = Thread.objects.get(author=member, language="ru")
    assert Helpful.objects.filter(post=pensions.accepted_answer, user=member).exists()


def _mentions_and_markdown_are_rendered():
    reply = Post.objects.get(body__contains="](member:")
    mentioned = int(reply.body.split("](member:")[1].split(")")[0])

    assert f'href="{reverse("members:detail", args=[mentioned])}"' in reply.body_html
    listed = Post.objects.get(body__startswith="Самые полезные разделы")
    assert listed.body_html.count("<li>") == 4


def _the_discussion_pages_show_the_demo():
    member = signed_in("member@mirpal.example")
    newest = Thread.objects.order_by("-last_activity_at", "-pk")

    page = member.get(reverse("exchange:list")).content.decode()
    for thread in newest[:5]:
        assert thread.title in page
    public = newest.filter(visibility="public")
    anonymous = Client().get(reverse("exchange:list")).content.decode()
    assert public.first().title in anonymous
    for thread in newest.filter(visibility="members"):
        assert thread.title not in anonymous
    thread = Thread.objects.get(title__startswith="Пенсионное обеспечение")
    page = member.get(thread.get_absolute_url()).content.decode()
    assert "памятку из одной страницы" in page
    for post in thread.posts.all():
        assert post.body_html in page


def test_bench_scale_has_a_thread_of_200_answers():
    members_demo.load(members=60)
    created = demo.load(threads=1000)

    assert created["threads"] == 1001  # the 24 written, 976 generated, the long one
    assert demo.load(threads=1000) == {"threads": 0, "posts": 0}
    urls = demo.bench_urls()
    biggest = Thread.objects.get(title=demo.BIG_THREAD_TITLE)
    assert urls["thread"] == biggest.get_absolute_url()
    assert biggest.answer_count == biggest.posts.count() == 200
    # Zero to two marks on each answer of the long thread, never the whole network's.
    assert Helpful.objects.filter(post__thread=biggest).count() == 67 + 66 * 2
    member = signed_in("member@mirpal.example")
    assert member.get(urls["list"]).status_code == 200
    page = member.get(urls["thread"])
    assert page.status_code == 200
    assert page.content.decode().count(biggest.posts.order_by("pk").last().body_html) >= 1


def test_the_demo_loaded_once():
    """One load for every check below: the demo takes a while to write."""
    load_demo()
    _discussions_cross_countries_languages_and_visibility()
    _counters_agree_with_the_rows()
    _the_demo_member_writes_answers_and_follows()
    _mentions_and_markdown_are_rendered()
    _the_discussion_pages_show_the_demo()

"""Threads and posts as they would be after the services wrote them (body_html filled).

Factories are for arranging a test's world; what a test checks goes through the pages."""

import factory
from django.utils.html import escape

from exchange.models import Follow, Helpful, Post, Thread
from tests.factories.members import ProfileFactory


def _member():
    return ProfileFactory().user


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread
        skip_postgeneration_save = True

    author = factory.LazyFunction(_member)
    title = factory.Sequence(lambda n: f"How do you register seasonal workers? ({n})")
    body = "We are drafting a new procedure and would like to learn from colleagues."
    body_html = factory.LazyAttribute(lambda thread: f"<p>{escape(thread.body)}</p>")
    language = "en"

    @factory.post_generation
    def topics(thread, create, extracted, **kwargs):
        if create and extracted:
            thread.topics.set(extracted)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.LazyFunction(_member)
    body = "In our ministry we register them online, within three days."
    body_html = factory.LazyAttribute(lambda post: f"<p>{escape(post.body)}</p>")
    language = "en"


class HelpfulFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Helpful

    post = factory.SubFactory(PostFactory)
    user = factory.LazyFunction(_member)


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    user = factory.LazyFunction(_member)

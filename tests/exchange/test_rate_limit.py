"""The hourly limit on posting, counted in the database over threads and posts together."""

import datetime

import pytest
from django.utils import timezone

from exchange.models import Post, Thread
from tests.exchange.conftest import answer, ask, signed_in
from tests.factories.exchange import ThreadFactory

pytestmark = pytest.mark.django_db

REFUSAL = (
    "You have posted 3 times in the last hour, the most the network allows. Please wait a "
    "little and send it again: your text is still here."
)


def test_a_member_posts_at_most_the_hourly_limit(settings, asker, answerer, topic):
    settings.EXCHANGE_POSTS_PER_HOUR = 3
    client = signed_in(asker)
    ask(client, topic, title="First")
    other = ThreadFactory(topics=[topic])
    answer(client, other, "One")
    answer(client, other, "Two")

    refused = answer(client, other, "Three, too soon")
    text = refused.content.decode()
    assert refused.status_code == 200
    assert REFUSAL in text
    assert "Three, too soon</textarea>" in text
    assert ask(client, topic, title="Second").status_code == 200
    assert (Thread.objects.filter(author=asker).count(), Post.objects.count()) == (1, 2)

    # Someone else is not held back by it.
    assert answer(signed_in(answerer), other, "Mine").status_code == 302

    # An hour later the earlier posts no longer count.
    earlier = timezone.now() - datetime.timedelta(hours=1, minutes=1)
    Post.objects.filter(author=asker).update(created_at=earlier)
    Thread.objects.filter(author=asker).update(created_at=earlier)
    assert answer(client, other, "Three, in time").status_code == 302

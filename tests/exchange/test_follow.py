"""Following topics, countries and threads through the buttons of the pages, and the page of
what a member follows."""

import pytest
from django.urls import reverse

from exchange.enums import Moderation
from exchange.models import Follow, Thread
from mirpal.models import MailPreference, Topic
from tests.exchange.conftest import answer, ask, signed_in
from tests.factories.exchange import ThreadFactory
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db


def _follow(client, action="follow", **target):
    return client.post(reverse("exchange:follow"), {**target, "action": action})


def test_a_member_follows_a_topic_from_its_list_once_and_stops_from_what_they_follow(asker, topic):
    client = signed_in(asker)
    list_url = reverse("exchange:topic", args=[topic.slug])
    page = client.get(list_url).content.decode()
    assert f'<input type="hidden" name="topic" value="{topic.pk}">' in page
    assert '<input type="hidden" name="action" value="follow">' in page

    for _twice in range(2):
        response = client.post(
            reverse("exchange:follow"), {"topic": topic.pk, "action": "follow", "next": list_url}
        )
        assert (response.status_code, response["Location"]) == (302, list_url)
    assert list(Follow.objects.filter(user=asker).values_list("topic_id", flat=True)) == [topic.pk]
    page = client.get(list_url).content.decode()
    assert '<input type="hidden" name="action" value="unfollow">' in page
    assert "Following · stop following" in page

    following = client.get(reverse("exchange:following")).content.decode()
    assert f'href="{reverse("exchange:topic", args=[topic.slug])}">{topic.name_en}</a>' in following
    assert f"Stop following {topic.name_en}" in following
    assert f'href="{reverse("mail_preferences")}"' in following
    assert "As they happen" in following  # the default delivery

    response = _follow(client, "unfollow", topic=topic.pk)
    assert response["Location"] == reverse("exchange:following")
    assert Follow.objects.filter(user=asker).count() == 0
    assert _follow(client, "unfollow", topic=topic.pk).status_code == 302  # harmless again


def test_a_member_follows_a_country_from_its_list(asker):
    client = signed_in(asker)
    page = client.get(reverse("exchange:country", args=["KG"])).content.decode()
    assert '<input type="hidden" name="country" value="KG">' in page
    _follow(client, country="KG")
    _follow(client, country="KG")
    assert list(Follow.objects.filter(user=asker).values_list("country", flat=True)) == ["KG"]
    following = client.get(reverse("exchange:following")).content.decode()
    assert "Kyrgyz Republic" in following
    # "International / other" is no country to follow.
    assert _follow(client, country="XX").status_code == 400


def test_asking_or_answering_follows_the_thread_and_its_button_stops_it(asker, answerer, topic):
    ask(signed_in(asker), topic)
    thread = Thread.objects.get()
    client = signed_in(answerer)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Follow this discussion" in page
    answer(client, thread)
    assert set(Follow.objects.values_list("user_id", "thread_id")) == {
        (asker.pk, thread.pk),
        (answerer.pk, thread.pk),
    }
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Following · stop following" in page
    response = client.post(
        reverse("exchange:follow"),
        {"thread": thread.pk, "action": "unfollow", "next": thread.get_absolute_url()},
    )
    assert response["Location"] == thread.get_absolute_url()
    assert list(Follow.objects.values_list("user_id", flat=True)) == [asker.pk]
    assert "Follow this discussion" in client.get(thread.get_absolute_url()).content.decode()


def test_the_way_back_is_a_page_of_this_site_only(asker, topic):
    response = signed_in(asker).post(
        reverse("exchange:follow"),
        {"topic": topic.pk, "action": "follow", "next": "https://evil.example/phish"},
    )
    assert response["Location"] == reverse("exchange:following")


def test_only_members_follow_and_only_what_they_may_see(client, applicant, asker, topic):
    assert _follow(client, topic=topic.pk)["Location"].startswith(reverse("account_login"))
    assert _follow(signed_in(applicant), topic=topic.pk).status_code == 302
    assert Follow.objects.count() == 0
    hidden = ThreadFactory(state=Moderation.HIDDEN)
    member = signed_in(asker)
    assert _follow(member, thread=hidden.pk).status_code == 400
    assert _follow(member, thread=999_999).status_code == 400
    assert _follow(member, topic=topic.pk, action="watch").status_code == 400
    assert _follow(member).status_code == 400
    assert Follow.objects.count() == 0
    # Nor does an applicant see the buttons.
    page = signed_in(applicant).get(reverse("exchange:list")).content.decode()
    assert 'action="/discussions/follow/"' not in page


def test_the_mail_preferences_page_offers_the_three_ways_and_refuses_a_digest_turned_off(asker):
    client = signed_in(asker)
    page = client.get(reverse("mail_preferences")).content.decode()
    for value in ("at_once", "digest", "none"):
        assert f'name="discussions" value="{value}"' in page
    base = {"invitations": "on", "reminders": "on", "news": "on", "followed_countries": []}
    response = client.post(
        reverse("mail_preferences"), {**base, "digest": "never", "discussions": "digest"}
    )
    assert response.status_code == 200
    assert "The digest is turned off" in response.content.decode()
    assert not MailPreference.objects.filter(user=asker).exists()
    client.post(reverse("mail_preferences"), {**base, "digest": "weekly", "discussions": "digest"})
    assert MailPreference.objects.get(user=asker).discussions == "digest"
    assert "In the digest" in client.get(reverse("exchange:following")).content.decode()


@pytest.mark.parametrize("size", [1, 4])
def test_what_i_follow_takes_the_same_queries_for_few_and_many(
    size, asker, django_assert_num_queries
):
    topics = list(Topic.objects.order_by("pk")[:size])
    for topic in topics:
        Follow.objects.create(user=asker, topic=topic)
    for code in ["AM", "BY", "KZ", "KG"][:size]:
        Follow.objects.create(user=asker, country=code)
    for _index in range(size):
        Follow.objects.create(user=asker, thread=ThreadFactory())
    client = signed_in(asker)
    client.get(reverse("exchange:following"))
    # The user with the profile (the session is in the cache), the preference, the topics, the
    # countries and the threads followed.
    with django_assert_num_queries(5):
        response = client.get(reverse("exchange:following"))
    following = response.context["following"]
    assert (len(following.topics), len(following.countries), len(following.threads)) == (
        size,
        size,
        size,
    )


def test_a_member_who_left_sees_no_follow_button_on_a_public_thread(topic):
    suspended = ProfileFactory(status="suspended").user
    thread = ThreadFactory(visibility="public")
    page = signed_in(suspended).get(thread.get_absolute_url()).content.decode()
    assert "Follow this discussion" not in page

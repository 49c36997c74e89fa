"""The moderators' queue and actions, through the pages: a flagged answer hidden, a held answer
released (its followers mailed then), a thread locked, an edit with its reason, an author
suspended; each in the audit log, and none open to anyone but the moderators."""

import pytest
from django.test import Client
from django.urls import reverse

from exchange.enums import Moderation, Visibility
from exchange.models import Edit, Flag, Post, Thread
from members.models import MembershipDecision
from mirpal.models import AuditEntry, OutboxMessage
from tests.exchange.conftest import answer, signed_in
from tests.factories.exchange import FollowFactory, PostFactory, ThreadFactory
from tests.factories.members import EditorFactory, ManagerFactory, ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(db):
    return ManagerFactory(first_name="Olga", last_name="Ceban")


def _moderate(client: Client, target, action: str, **extra):
    name = "exchange:moderate_thread" if isinstance(target, Thread) else "exchange:moderate_post"
    return client.post(reverse(name, args=[target.pk]), {"action": action, **extra})


def _flag(user, post, reason: str):
    response = signed_in(user).post(
        reverse("exchange:flag_post", args=[post.pk]), {"reason": reason}
    )
    assert response.status_code == 302


def _audit(obj) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type=obj._meta.label, object_id=str(obj.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_flagged_answer_is_hidden_from_the_queue(moderator, asker, answerer):
    thread = ThreadFactory(author=asker, visibility=Visibility.PUBLIC, title="Work permits")
    post = PostFactory(thread=thread, author=answerer, body="Call me at +992 900 000 000")
    _flag(asker, post, "personal_data")
    _flag(ProfileFactory(status="approved").user, post, "personal_data")
    _flag(ProfileFactory(status="approved").user, post, "spam")
    client = signed_in(moderator)
    queue_url = reverse("exchange:moderation")

    queue = client.get(queue_url).content.decode()
    assert "Call me at +992 900 000 000" in queue
    assert "Discloses personal data × 2" in queue
    assert "Spam or advertising × 1" in queue
    assert "3 flags" in queue

    response = _moderate(client, post, "hide", next=queue_url)

    assert response["Location"] == queue_url
    post.refresh_from_db()
    assert post.state == Moderation.HIDDEN
    assert (
        sorted(Flag.objects.values_list("outcome", "handled_by")) == [("hidden", moderator.pk)] * 3
    )
    assert "Nothing is waiting" in client.get(queue_url).content.decode()
    for reader in (Client(), signed_in(asker), signed_in(answerer)):
        assert "Call me at" not in reader.get(thread.get_absolute_url()).content.decode()
    seen = client.get(thread.get_absolute_url()).content.decode()
    assert "Call me at +992 900 000 000" in seen
    assert "Hidden by the secretariat." in seen
    [entry] = AuditEntry.objects.filter(object_type="exchange.Post")
    assert (entry.actor, entry.action, entry.object_id) == (moderator, "change", str(post.pk))
    assert (entry.before["state"], entry.after["state"]) == ("published", "hidden")
    assert sorted(entry.after["flags_closed"]) == sorted(Flag.objects.values_list("pk", flat=True))

    # Shown again: back for everyone, recorded too.
    _moderate(client, post, "show")
    assert "Call me at" in Client().get(thread.get_absolute_url()).content.decode()
    assert _audit(post) == ["change", "change"]


def test_dismissing_closes_the_flags_and_leaves_the_answer(moderator, asker):
    post = PostFactory()
    _flag(asker, post, "off_topic")

    _moderate(signed_in(moderator), post, "dismiss")

    post.refresh_from_db()
    assert post.state == Moderation.PUBLISHED
    assert list(Flag.objects.values_list("outcome", flat=True)) == ["dismissed"]
    assert _audit(post) == ["change"]
    # A member may flag it again: the open-flag constraint no longer holds the old one.
    _flag(asker, post, "spam")
    assert Flag.objects.filter(outcome="open").count() == 1


def test_a_held_answer_released_is_shown_and_its_followers_are_told(
    settings, moderator, asker, topic
):
    settings.EXCHANGE_HOLD_FIRST_POSTS = 1
    thread = ThreadFactory(author=asker, title="Pension transfers", topics=[topic])
    follower = ProfileFactory(status="approved").user
    FollowFactory(user=follower, thread=thread)
    newcomer = ProfileFactory(status="approved").user
    answer(signed_in(newcomer), thread, "Our bilateral agreement covers it.")
    post = Post.objects.get(thread=thread)
    assert post.state == Moderation.HELD
    assert OutboxMessage.objects.filter(to_email=follower.email).count() == 0
    assert (
        "Our bilateral" not in signed_in(follower).get(thread.get_absolute_url()).content.decode()
    )
    client = signed_in(moderator)
    assert (
        "Our bilateral agreement covers it."
        in client.get(reverse("exchange:moderation")).content.decode()
    )

    _moderate(client, post, "approve")

    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.state, thread.answer_count) == (Moderation.PUBLISHED, 1)
    assert "Our bilateral" in signed_in(follower).get(thread.get_absolute_url()).content.decode()
    assert list(
        OutboxMessage.objects.filter(to_email=follower.email).values_list("kind", flat=True)
    ) == ["exchange_post"]
    assert _audit(post) == ["approve"]
    # Releasing twice does nothing more.
    _moderate(client, post, "approve")
    assert _audit(post) == ["approve"]
    assert OutboxMessage.objects.filter(to_email=follower.email).count() == 1


def test_a_held_thread_released_is_listed(settings, moderator, topic):
    thread = ThreadFactory(state=Moderation.HELD, title="A newcomer's question", topics=[topic])
    client = signed_in(moderator)
    assert (
        "A newcomer&#x27;s question" in client.get(reverse("exchange:moderation")).content.decode()
    )

    _moderate(client, thread, "approve")

    thread.refresh_from_db()
    assert thread.state == Moderation.PUBLISHED
    assert (
        signed_in(ProfileFactory(status="approved").user).get(thread.get_absolute_url()).status_code
        == 200
    )
    assert _audit(thread) == ["approve"]


def test_a_locked_thread_takes_no_answer(moderator, asker, answerer):
    thread = ThreadFactory(author=asker)
    client = signed_in(moderator)

    _moderate(client, thread, "lock")

    thread.refresh_from_db()
    assert thread.is_locked is True
    response = answer(signed_in(answerer), thread, "Too late?")
    assert response.status_code == 200
    assert "This thread is locked" in response.content.decode()
    assert Post.objects.count() == 0

    _moderate(client, thread, "unlock")
    assert answer(signed_in(answerer), thread, "Now it is open.").status_code == 302
    assert Post.objects.count() == 1
    assert _audit(thread) == ["change", "change"]


def test_a_moderator_edit_keeps_the_text_before_and_the_reason(moderator, asker, answerer):
    thread = ThreadFactory(author=asker)
    post = PostFactory(thread=thread, author=answerer, body="Write to ivan@example.org, **now**")
    url = reverse("exchange:moderate_edit_post", args=[post.pk])
    client = signed_in(moderator)

    form = client.get(url)
    assert form.status_code == 200
    assert "Write to ivan@example.org" in form.content.decode()
    refused = client.post(url, {"body": "Write to the ministry, **now**", "reason": ""})
    assert refused.status_code == 200
    assert Edit.objects.count() == 0

    response = client.post(
        url, {"body": "Write to the ministry, **now**", "reason": "A private address removed"}
    )

    assert response["Location"] == post.get_absolute_url()
    post.refresh_from_db()
    assert post.body_html == "<p>Write to the ministry, <strong>now</strong></p>\n"
    assert post.edited_at is not None
    [edit] = Edit.objects.all()
    assert (edit.post, edit.edited_by, edit.body_before, edit.reason) == (
        post, moderator, "Write to ivan@example.org, **now**", "A private address removed"
    )  # fmt: skip
    [entry] = AuditEntry.objects.filter(object_type="exchange.Post")
    assert entry.action == "change"
    assert entry.before["body"] == "Write to ivan@example.org, **now**"
    assert (entry.after["body"], entry.after["reason"]) == (
        "Write to the ministry, **now**",
        "A private address removed",
    )
    assert "A private address removed" in client.get(url).content.decode()  # earlier versions


def test_a_moderator_edits_a_thread_title(moderator, asker):
    thread = ThreadFactory(author=asker, title="BUY NOW", body="Spam")
    response = signed_in(moderator).post(
        reverse("exchange:moderate_edit_thread", args=[thread.pk]),
        {"title": "Removed", "body": "Removed by the secretariat.", "reason": "Advertising"},
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert (thread.title, thread.body_html) == ("Removed", "<p>Removed by the secretariat.</p>\n")
    assert list(Edit.objects.values_list("title_before", "body_before", "reason")) == [
        ("BUY NOW", "Spam", "Advertising")
    ]
    assert _audit(thread) == ["change"]


def test_suspending_the_author_stops_their_posting(moderator, asker, answerer):
    thread = ThreadFactory(author=asker)
    post = PostFactory(thread=thread, author=answerer)
    client = signed_in(moderator)

    without_reason = _moderate(client, post, "suspend", reason="")
    assert (
        "Give the reason for the suspension."
        in client.get(without_reason["Location"], follow=True).content.decode()
    )
    answerer.profile.refresh_from_db()
    assert answerer.profile.status == "approved"

    _moderate(client, post, "suspend", reason="Repeated advertising")

    answerer.profile.refresh_from_db()
    assert answerer.profile.status == "suspended"
    [decision] = MembershipDecision.objects.filter(profile=answerer.profile)
    assert decision.decided_by == moderator
    assert decision.note.startswith("Repeated advertising\n(post #")
    assert _audit(answerer.profile) == ["suspend"]
    post.refresh_from_db()
    assert post.state == Moderation.PUBLISHED  # what they wrote stays unless hidden
    refused = answer(signed_in(answerer), thread, "One more offer")
    assert refused.status_code == 302
    assert refused["Location"] == reverse("members:account")
    assert Post.objects.filter(author=answerer).count() == 1


def test_every_action_is_audited(moderator, asker):
    thread = ThreadFactory(author=asker)
    post = PostFactory(thread=thread, state=Moderation.HELD)
    _flag(asker, PostFactory(thread=thread), "spam")
    flagged = Flag.objects.get().post
    client = signed_in(moderator)
    steps = [
        (post, "approve"),
        (post, "hide"),
        (post, "show"),
        (thread, "lock"),
        (thread, "unlock"),
        (thread, "hide"),
        (thread, "show"),
        (flagged, "dismiss"),
    ]
    for target, action in steps:
        _moderate(client, target, action)
    assert _audit(post) == ["approve", "change", "change"]
    assert _audit(thread) == ["change"] * 4
    assert _audit(flagged) == ["change"]
    assert AuditEntry.objects.exclude(actor=moderator).count() == 0


def test_an_action_the_state_does_not_allow_changes_nothing(moderator):
    post = PostFactory()
    client = signed_in(moderator)
    response = _moderate(client, post, "show")
    page = client.get(response["Location"], follow=True).content.decode()
    assert "no longer in a state that allows this" in page
    assert _audit(post) == []
    assert _moderate(client, post, "lock").status_code == 302  # a thread's action, on a post
    post.refresh_from_db()
    assert post.state == Moderation.PUBLISHED


def test_only_moderators_moderate(asker):
    thread = ThreadFactory()
    post = PostFactory(thread=thread)
    posts = [
        (reverse("exchange:moderate_thread", args=[thread.pk]), {"action": "hide"}),
        (reverse("exchange:moderate_post", args=[post.pk]), {"action": "hide"}),
        (
            reverse("exchange:moderate_edit_post", args=[post.pk]),
            {"body": "x", "reason": "y"},
        ),
        (
            reverse("exchange:moderate_edit_thread", args=[thread.pk]),
            {"title": "x", "body": "x", "reason": "y"},
        ),
    ]
    gets = [reverse("exchange:moderation")] + [url for url, _data in posts[2:]]
    for user in (asker, EditorFactory(), ProfileFactory(status="pending").user):
        client = signed_in(user)
        assert [client.get(url).status_code for url in gets] == [403] * len(gets)
        assert [client.post(url, data).status_code for url, data in posts] == [403] * len(posts)
    anonymous = Client()
    assert {anonymous.get(url).status_code for url in gets} == {302}
    thread.refresh_from_db()
    post.refresh_from_db()
    assert (thread.state, post.state, post.body) == ("published", "published", PostFactory.body)
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("size", [1, 3])
def test_the_queue_reads_a_constant_number_of_queries(moderator, django_assert_num_queries, size):
    for _number in range(size):
        _flag(ProfileFactory(status="approved").user, PostFactory(), "spam")
        ThreadFactory(state=Moderation.HELD)
        PostFactory(state=Moderation.HELD)
    client = signed_in(moderator)
    client.get(reverse("exchange:moderation"))  # the session and permissions, once
    with django_assert_num_queries(4):
        response = client.get(reverse("exchange:moderation"))
    assert response.content.decode().count('class="card moderation-item"') == size * 3

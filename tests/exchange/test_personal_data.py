"""A member's part of the peer exchange in their data download, and what closing their account
does to it: what they wrote stays for the discussions, without their name; their marks,
follows and reports no longer point to them."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exchange.invitations import expert_invite
from exchange.models import Edit, ExpertInvitation, Flag, Follow, Helpful, Post, Thread
from exchange.services import helpful_mark, post_create, thread_create
from mirpal.models import Topic
from tests.factories.exchange import FollowFactory, PostFactory, ThreadFactory
from tests.factories.members import PASSWORD, ProfileFactory
from tests.factories.roster import ExpertFactory
from tests.members.test_personal_data import text_columns_mentioning

pytestmark = pytest.mark.django_db

EMAIL = "oydin.q@example.uz"
FIRST, LAST = "Oydin", "Qudratova"
IDENTIFYING = (EMAIL, FIRST, LAST)


@pytest.fixture
def person(db):
    return ProfileFactory(
        status="approved",
        country="UZ",
        user__email=EMAIL,
        user__first_name=FIRST,
        user__last_name=LAST,
    ).user


@pytest.fixture
def colleague(db):
    return ProfileFactory(status="approved", country="KG").user


@pytest.fixture
def world(person, colleague):
    """The person asked, answered, replied, said "this helped me", follows, reported a post and
    invited an expert; a colleague answered them and mentions them."""
    remittances = Topic.objects.get(slug="remittances")
    asked = thread_create(
        author=person,
        kind="question",
        title=f"Remittance fees in Uzbekistan ({LAST})",
        body=f"How do you publish the fees?\n\nRegards, {FIRST} {LAST} ({EMAIL})",
        language="en",
        visibility="members",
        topics=[remittances],
        countries=["UZ"],
    )
    theirs = ThreadFactory(author=colleague, title="Seasonal work in Kazakhstan", topics=[])
    answer = post_create(
        author=person, thread=theirs, body="We use a bilateral agreement.", language="en"
    )
    colleague_answer = post_create(
        author=colleague, thread=asked, body="The national bank publishes them.", language="en"
    )
    reply = post_create(
        author=person,
        thread=asked,
        parent=colleague_answer,
        body="Thank you, that helps.",
        language="en",
    )
    mention = post_create(
        author=colleague,
        thread=asked,
        body=f"@[{FIRST} {LAST}](member:{person.pk}), see also the household survey.",
        language="en",
    )
    helpful_mark(user=person, post=colleague_answer)
    FollowFactory(user=person, topic=remittances)
    FollowFactory(user=person, country="KG")
    spam = PostFactory(thread=theirs, author=colleague, body="Buy cheap transfers now")
    Flag.objects.create(post=spam, flagged_by=person, reason="spam", note="Advertising.")
    Edit.objects.create(
        post=answer, edited_by=person, body_before=f"We use an agreement. — {FIRST} {LAST}"
    )
    expert_invite(thread=asked, expert=ExpertFactory(), by=person)
    return {
        "asked": asked,
        "theirs": theirs,
        "answer": answer,
        "reply": reply,
        "colleague_answer": colleague_answer,
        "mention": mention,
        "spam": spam,
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(client) -> dict:
    response = client.get(reverse("members:data_export"))
    assert response.status_code == 200
    return json.loads(response.content)["exchange"]


def test_the_download_holds_what_they_wrote_marked_followed_and_reported(person, world):
    data = download(signed_in(person))

    [thread] = data["threads"]
    assert (thread["title"], thread["address"]) == (
        world["asked"].title,
        world["asked"].get_absolute_url(),
    )
    assert thread["text"] == world["asked"].body
    assert (thread["visibility"]["value"], thread["topics"], thread["countries"]) == (
        "members",
        ["Remittances"],
        ["UZ"],
    )
    assert [
        (post["thread"]["title"], post["text"], post["reply"])
        for post in data["answers_and_replies"]
    ] == [
        ("Seasonal work in Kazakhstan", "We use a bilateral agreement.", False),
        (world["asked"].title, "Thank you, that helps.", True),
    ]
    [mark] = data["helped_me"]
    assert mark["answer"] == world["colleague_answer"].get_absolute_url()
    asked, theirs = world["asked"], world["theirs"]
    assert [
        (follow["topic"], follow["country"] and follow["country"]["value"], follow["thread"])
        for follow in data["follows"]
    ] == [
        # Writing a thread or an answer follows it.
        (None, None, {"title": asked.title, "address": asked.get_absolute_url()}),
        (None, None, {"title": theirs.title, "address": theirs.get_absolute_url()}),
        ("Remittances", None, None),
        (None, "KG", None),
    ]
    [report] = data["reports"]
    assert (report["answer"], report["reason"]["value"], report["note"]) == (
        world["spam"].get_absolute_url(),
        "spam",
        "Advertising.",
    )
    [invitation] = data["expert_invitations"]
    assert invitation["thread"]["title"] == world["asked"].title


def test_the_download_takes_the_same_queries_however_many_rows(person, world, colleague):
    client = signed_in(person)
    client.get(reverse("members:data_export"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("members:data_export")).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(3):
        thread = ThreadFactory(author=person, topics=[Topic.objects.first()])
        PostFactory(author=person, thread=world["theirs"])
        Helpful.objects.create(user=person, post=PostFactory(thread=thread, author=colleague))
        FollowFactory(user=person, thread=thread)
        Flag.objects.create(thread=thread, flagged_by=person, reason="other")
    assert queries() == few


def test_closing_the_account_keeps_the_posts_without_the_person(person, world, colleague):
    asked, colleague_answer = world["asked"], world["colleague_answer"]
    colleague_answer.refresh_from_db()
    asked.refresh_from_db()
    assert (colleague_answer.helpful_count, asked.helpful_count) == (1, 1)
    # The search below does find them in the discussions before they leave.
    assert {"exchange.Thread", "exchange.Post", "exchange.Edit"} <= set(
        text_columns_mentioning(LAST)
    )

    response = signed_in(person).post(
        reverse("members:account_close"), {"password": PASSWORD, "confirm": "on"}
    )

    assert response.status_code == 302
    # Their question and posts stay, by no one, with what they wrote minus their name.
    asked.refresh_from_db()
    assert asked.author_id is None
    assert asked.title == "Remittance fees in Uzbekistan ([erased])"
    assert asked.body == "How do you publish the fees?\n\nRegards, [erased] ([erased])"
    assert "Regards, [erased] ([erased])" in asked.body_html
    assert list(Post.objects.filter(author=person)) == []
    answer = Post.objects.get(pk=world["answer"].pk)
    assert (answer.author_id, answer.body) == (None, "We use a bilateral agreement.")
    assert Post.objects.get(pk=world["reply"].pk).author_id is None
    # A colleague's mention of them no longer names them nor links to their page.
    mention = Post.objects.get(pk=world["mention"].pk)
    assert mention.author == colleague
    assert mention.body == "[erased], see also the household survey."
    assert reverse("members:detail", args=[person.pk]) not in mention.body_html
    assert Edit.objects.get(post=answer).body_before == "We use an agreement. — [erased]"
    # Their mark goes and the counts follow; their follows go; their report and invitation
    # stay, by no one.
    colleague_answer.refresh_from_db()
    asked.refresh_from_db()
    assert (colleague_answer.helpful_count, asked.helpful_count) == (0, 0)
    assert Helpful.objects.filter(user=person).count() == 0
    assert Follow.objects.filter(user=person).count() == 0
    flag = Flag.objects.get(post=world["spam"])
    assert (flag.flagged_by, flag.reason, flag.note) == (None, "spam", "Advertising.")
    assert ExpertInvitation.objects.get(thread=asked).invited_by is None
    assert Thread.objects.count() == 2
    # Nothing in any table names them.
    for needle in IDENTIFYING:
        assert text_columns_mentioning(needle) == [], needle


def test_the_thread_page_shows_a_former_member(person, world, colleague):
    signed_in(person).post(
        reverse("members:account_close"), {"password": PASSWORD, "confirm": "on"}
    )

    page = signed_in(colleague).get(world["asked"].get_absolute_url()).content.decode()

    assert "How do you publish the fees?" in page
    assert "a former member" in page
    assert FIRST not in page
    assert LAST not in page


def test_a_short_name_is_erased_as_a_word_only(colleague):
    person = ProfileFactory(status="approved", user__first_name="Ion", user__last_name="Rusu").user
    thread = ThreadFactory(author=colleague, topics=[Topic.objects.first()])
    post = post_create(
        author=person,
        thread=thread,
        body="Return migration programmes in Moldova. Ion",
        language="en",
    )

    signed_in(person).post(
        reverse("members:account_close"), {"password": PASSWORD, "confirm": "on"}
    )

    post.refresh_from_db()
    assert post.body == "Return migration programmes in Moldova. [erased]"


def test_the_privacy_notice_says_what_happens_to_posts(client):
    page = client.get(reverse("privacy")).content.decode()

    assert "a former member" in page
    assert "discussions" in page

"""Asking through the form, and who then reads the thread: members, the public, nobody else."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from exchange.models import Follow, Thread
from tests.exchange.conftest import ask, signed_in, thread_form
from tests.factories.exchange import ThreadFactory
from tests.factories.members import ProfileFactory, SecretariatFactory

pytestmark = pytest.mark.django_db


def test_a_member_asks_and_the_thread_page_shows_what_they_wrote(asker, answerer, topic):
    response = ask(signed_in(asker), topic)

    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exchange:thread", args=[thread.pk])
    assert (thread.author, thread.kind, thread.state, thread.visibility) == (
        asker, "question", "published", "members"
    )  # fmt: skip
    assert (thread.language, thread.countries) == ("en", ["KZ", "TJ"])
    assert list(thread.topics.all()) == [topic]
    assert thread.body_html == (
        "<p>We are drafting a new procedure and would like to learn from colleagues.</p>\n"
    )
    assert list(Follow.objects.values_list("user", "thread")) == [(asker.pk, thread.pk)]

    page = signed_in(answerer).get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert '<h1 id="thread-title" lang="en">How do you register seasonal workers?</h1>' in text
    assert f'<a href="{reverse("members:detail", args=[asker.profile.pk])}">' in text
    assert "Nodira Karimova</a></span>, Migration Service, Tajikistan" in text
    assert "Kazakhstan, Tajikistan" in text
    assert topic.name_en in text
    assert re.search(r'class="exchange-written-in">English</dd>', text)


def test_the_author_sees_the_guessed_language_and_can_change_it(asker, topic):
    client = signed_in(asker)
    ask(
        client,
        topic,
        title="Как вы регистрируете сезонных работников?",
        body="Расскажите, пожалуйста.",
    )
    thread = Thread.objects.get()
    assert thread.language == "ru"

    text = client.get(thread.get_absolute_url()).content.decode()
    edit = reverse("exchange:thread_edit", args=[thread.pk])
    assert f'class="exchange-written-in">Russian (<a href="{edit}">change</a>)</dd>' in text

    client.post(edit, thread_form(topic, title=thread.title, body=thread.body, language="en"))
    thread.refresh_from_db()
    assert thread.language == "en"


def test_a_chosen_language_is_kept(asker, topic):
    ask(signed_in(asker), topic, language="ru")
    assert Thread.objects.get().language == "ru"


def test_a_form_with_an_error_comes_back_with_the_text(asker, topic):
    response = ask(signed_in(asker), topic, topics=[], body="My carefully written question.")

    text = response.content.decode()
    assert response.status_code == 200
    assert Thread.objects.count() == 0
    assert "Choose at least one topic." in text
    assert "My carefully written question.</textarea>" in text
    assert 'value="How do you register seasonal workers?"' in text


@pytest.mark.parametrize("status", ["pending", "suspended", "rejected"])
def test_only_approved_members_may_ask(status, topic):
    person = ProfileFactory(status=status).user
    client = signed_in(person)

    assert client.get(reverse("exchange:thread_new"))["Location"] == reverse("members:account")
    assert ask(client, topic)["Location"] == reverse("members:account")
    assert Thread.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in_to_ask(client, topic):
    response = ask(client, topic)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Thread.objects.count() == 0


class _Markup(HTMLParser):
    """Everything in a page that could run or restyle it: scripts other than the site's own
    files, style elements and attributes, event handlers, script and data links."""

    def __init__(self):
        super().__init__()
        self.live = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/js/"):
            self.live.append((tag, attrs))
        if tag in {"style", "iframe", "object", "embed", "svg", "math"}:
            self.live.append((tag, attrs))
        for name, value in attrs:
            target = (value or "").strip().lower()
            if name.startswith("on") or name == "style":
                self.live.append((tag, name))
            if name in {"href", "src", "action", "formaction"} and target.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.live.append((tag, name, value))


def live_markup(text: str) -> list:
    parser = _Markup()
    parser.feed(text)
    return parser.live


INJECTIONS = {
    "title": "<script>alert(1)</script><style>body{display:none}</style>",
    "body": (
        "<script>alert(2)</script>\n\n<img src=x onerror=alert(3)>\n\n"
        "[click](javascript:alert(4))\n\n<style>body{display:none}</style>\n\n"
        '<a href="javascript:alert(5)" onclick="alert(6)">x</a>\n\n'
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)"
    ),
}


def test_script_and_style_injections_come_out_inert_on_the_thread_page(asker, answerer, topic):
    client = signed_in(asker)
    ask(client, topic, **INJECTIONS)
    thread = Thread.objects.get()
    client.post(
        reverse("exchange:post_new", args=[thread.pk]),
        {"body": INJECTIONS["body"], "language": "en"},
    )

    text = signed_in(answerer).get(thread.get_absolute_url()).content.decode()

    assert live_markup('<p><img src=x onerror="alert(1)"><a href="javascript:x">') != []
    assert live_markup(text) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(3)&gt;" in text
    assert "<p>[click](javascript:alert(4))</p>" in text


def test_a_members_only_thread_is_for_members(client, topic):
    thread = ThreadFactory(topics=[topic])
    url = thread.get_absolute_url()

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"{reverse('account_login')}?next={url}"
    for status in ("pending", "suspended"):
        response = signed_in(ProfileFactory(status=status).user).get(url)
        assert (response.status_code, response["Location"]) == (302, reverse("members:account"))
    assert signed_in(ProfileFactory().user).get(url).status_code == 200


def test_a_public_thread_is_read_by_anyone(client, topic):
    thread = ThreadFactory(topics=[topic], visibility="public", title="Open question")
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    assert "Log in to answer" in response.content.decode()
    suspended = signed_in(ProfileFactory(status="suspended").user).get(thread.get_absolute_url())
    assert suspended.status_code == 200
    assert "Answering is open to approved members of the network." in suspended.content.decode()


def test_a_new_members_first_thread_waits_for_review(settings, asker, answerer, topic, client):
    settings.EXCHANGE_HOLD_FIRST_POSTS = 1
    author = signed_in(asker)
    response = ask(author, topic, visibility="public")
    thread = Thread.objects.get()
    assert thread.state == "held"

    page = author.get(response["Location"], follow=True)
    text = page.content.decode()
    assert "first posts are reviewed by the secretariat" in text
    assert "Awaiting the secretariat's review." in text
    assert signed_in(answerer).get(thread.get_absolute_url()).status_code == 404
    assert client.get(thread.get_absolute_url()).status_code == 404
    assert signed_in(SecretariatFactory()).get(thread.get_absolute_url()).status_code == 200

    # Once they have something published, what they write next is published at once.
    Thread.objects.filter(pk=thread.pk).update(state="published")
    ask(author, topic, title="A second question")
    assert Thread.objects.get(title="A second question").state == "published"


def test_a_topics_list_opens_the_form_with_its_topic_ticked(asker, topic):
    url = reverse("exchange:thread_new") + f"?topic={topic.slug}"
    text = signed_in(asker).get(url).content.decode()
    ticked = re.findall(r'<input type="checkbox" name="topics" value="(\d+)"[^>]* checked>', text)
    assert ticked == [str(topic.pk)]

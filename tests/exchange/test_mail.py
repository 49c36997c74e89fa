"""Mail from the discussions, through the real SMTP sink: a new question to those who follow its
topics and countries, an answer or reply to those who follow the thread, mentions, and an
invitation to a roster expert; once each, in the reader's language, after their preferences."""
# (Russian text is Cyrillic on purpose.)

import pytest
from django.test import Client
from django.urls import reverse

from exchange.models import ExpertInvitation, Post, Thread
from exchange.notify import post_published_notify, thread_published_notify
from mirpal.models import MailPreference, OutboxMessage
from mirpal.outbox import outbox_send_pending
from tests.exchange.conftest import answer, ask, signed_in
from tests.factories.members import ProfileFactory, UserFactory
from tests.factories.roster import ExpertFactory
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db

SCRIPT_TITLE = "Seasonal workers <script>alert('title')</script>"
SCRIPT_BODY = (
    "We register them **online**. <script>alert('body')</script>\n\n"
    "<style>body{display:none}</style> [a link](javascript:alert('link')) "
    '<img src=x onerror="alert(1)">'
)


@pytest.fixture(autouse=True)
def _profiles_and_accounts_numbered_apart(db):
    """Accounts without a profile first, so that a profile's id is never its account's: a
    mention names the profile (members:detail), the mail goes to the account."""
    UserFactory.create_batch(3)


def _member(first: str, last: str, *, language: str = "en"):
    return ProfileFactory(user__first_name=first, user__last_name=last, mail_language=language).user


def _follows(user, **target):
    response = signed_in(user).post(reverse("exchange:follow"), {**target, "action": "follow"})
    assert response.status_code == 302
    return user


def _choosing(user, discussions: str):
    response = signed_in(user).post(
        reverse("mail_preferences"),
        {
            "invitations": "on",
            "reminders": "on",
            "news": "on",
            "digest": "weekly",
            "discussions": discussions,
        },
    )
    assert response.status_code == 302
    return user


def _html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def _inert(html: str) -> None:
    """What the member typed shows as text: no tag of theirs, no script link."""
    for live in ("<script", "<style", "<img", 'href="javascript'):
        assert live not in html.lower()
    assert "&lt;script&gt;alert('body')&lt;/script&gt;" in html
    assert '&lt;img src=x onerror="alert(1)"&gt;' in html


def _mention(user) -> str:
    return f"@[{user.get_full_name()}](member:{user.profile.pk})"


def test_a_new_question_mails_the_followers_of_its_topics_and_countries_once(
    smtp_sink, asker, topic
):
    russian = _follows(_member("Айгуль", "Сатпаева", language="ru"), topic=topic.pk)
    by_country = _follows(_member("Ion", "Rusu"), country="TJ")
    digest = _choosing(_follows(_member("Lena", "Digest"), topic=topic.pk), "digest")
    silent = _choosing(_follows(_member("Mark", "Silent"), topic=topic.pk), "none")
    lapsed = _follows(_member("Olga", "Lapsed"), topic=topic.pk)
    lapsed.profile.status = "suspended"
    lapsed.profile.save(update_fields=["status"])
    _follows(asker, topic=topic.pk)
    _follows(_member("Other", "Country"), country="AM")

    response = ask(signed_in(asker), topic, title=SCRIPT_TITLE, body=SCRIPT_BODY)
    assert response.status_code == 302
    thread = Thread.objects.get()

    assert outbox_send_pending() == {"sent": 2, "retry": 0, "failed": 0}
    assert sorted(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == sorted(
        f"exchange:thread:{thread.pk}:{user.pk}" for user in (russian, by_country)
    )
    assert set(OutboxMessage.objects.values_list("members_only", flat=True)) == {True}
    for nobody in (asker, digest, silent, lapsed):
        assert smtp_sink.to(nobody.email) == []

    [english] = smtp_sink.to(by_country.email)
    assert SmtpSink.subject(english) == f"[MIRPAL] New question in Tajikistan: {SCRIPT_TITLE}"
    text = SmtpSink.text(english)
    assert "Dear Ion Rusu," in text
    assert "Nodira Karimova asked the network in “Tajikistan”, which you follow:" in text
    assert f"http://127.0.0.1:8000/discussions/{thread.pk}/" in text
    assert asker.email not in text
    # The text part is plain text: what the member typed, as typed.
    assert english.get_body(preferencelist=("plain",)).get_content_type() == "text/plain"
    assert "We register them **online**." in text
    # The HTML part: the title escaped, the body as the page shows it, nothing that runs.
    html = _html(english)
    assert "Seasonal workers &lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    assert "<strong>online</strong>" in html
    _inert(html)

    [in_russian] = smtp_sink.to(russian.email)
    text = SmtpSink.text(in_russian)
    assert "Уважаемый(-ая) Айгуль Сатпаева!" in text
    assert SmtpSink.subject(in_russian).startswith(
        f"[MIRPAL] Новый вопрос в разделе «{topic.name_ru}»:"
    )
    assert "Секретариат MIRPAL" in text
    assert _html(in_russian).startswith('<!DOCTYPE html><html lang="ru">')

    # Once: the thread told again (released again, say) queues nothing.
    assert thread_published_notify(thread) == 0

    # One click in the mail client turns discussion mail off, and nothing else.
    assert in_russian["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(in_russian["List-Unsubscribe"]).strip().strip("<>")
    assert Client().post(link.removeprefix("http://127.0.0.1:8000")).status_code == 200
    preference = MailPreference.objects.get(user=russian)
    assert (preference.discussions, preference.invitations, preference.digest) == (
        "none",
        True,
        "weekly",
    )
    ask(signed_in(asker), topic, title="A second question")
    assert outbox_send_pending()["sent"] == 1  # to the country's follower only
    assert len(smtp_sink.to(russian.email)) == 1


def test_answers_and_replies_mail_the_thread_followers_and_a_mention_replaces_it(
    smtp_sink, asker, answerer, topic
):
    ask(signed_in(asker), topic, visibility="public")
    thread = Thread.objects.get()
    watcher = _follows(_member("Saule", "Watcher"), thread=thread.pk)
    mentioned = _follows(_member("Timur", "Mentioned"), thread=thread.pk)
    quiet = _choosing(_member("Quiet", "Mentioned"), "none")
    expert_user = _member("Anna", "Expert", language="ru")
    expert = ExpertFactory(user=expert_user, name_en="Anna Expert")
    unlinked = ExpertFactory(name_en="No Account", contact_email="private@example.org")
    outbox_send_pending()
    smtp_sink.clear()

    body = (
        f"Ask {_mention(mentioned)}, {_mention(quiet)}, "
        f"@[Anna Expert](expert:{expert.pk}) and @[No Account](expert:{unlinked.pk}).\n\n"
        + SCRIPT_BODY
    )
    assert answer(signed_in(answerer), thread, body=body).status_code == 302
    post = Post.objects.get()

    assert outbox_send_pending() == {"sent": 4, "retry": 0, "failed": 0}
    assert sorted(OutboxMessage.objects.values_list("kind", "recipient_id")) == sorted(
        [
            ("exchange_post", asker.pk),
            ("exchange_post", watcher.pk),
            ("exchange_mention", mentioned.pk),
            ("exchange_mention", expert_user.pk),
        ]
    )
    assert smtp_sink.to(answerer.email) == smtp_sink.to(quiet.email) == []
    assert smtp_sink.to("private@example.org") == []
    [to_asker] = smtp_sink.to(asker.email)
    assert SmtpSink.subject(to_asker) == f"[MIRPAL] New answer in “{thread.title}”"
    text = SmtpSink.text(to_asker)
    assert "Ion Rusu answered in" in text
    assert f"http://127.0.0.1:8000/discussions/posts/{post.pk}/" in text
    # Mentions come out as names in the text, as links in the HTML.
    assert "Ask @Timur Mentioned, @Quiet Mentioned, @Anna Expert and @No Account." in text
    html = _html(to_asker)
    assert (
        f'<a href="http://127.0.0.1:8000/members/{mentioned.profile.pk}/" '
        f'rel="nofollow ugc noopener noreferrer">@Timur Mentioned</a>'
    ) in html
    _inert(html)
    [to_mentioned] = smtp_sink.to(mentioned.email)
    assert SmtpSink.subject(to_mentioned) == (
        f"[MIRPAL] Ion Rusu mentioned you in “{thread.title}”"
    )
    [to_expert] = smtp_sink.to(expert_user.email)
    assert "Уважаемый(-ая) Anna Expert!" in SmtpSink.text(to_expert)
    # A public thread's mail may reach a former member; a members-only one may not.
    assert set(OutboxMessage.objects.values_list("members_only", flat=True)) == {False}
    assert post_published_notify(post) == 0

    # A reply: the answerer follows the thread now, and hears of it; its writer does not.
    smtp_sink.clear()
    response = answer(signed_in(asker), thread, body="Thank you!", parent=post.pk)
    assert response.status_code == 302
    outbox_send_pending()
    [reply] = smtp_sink.to(answerer.email)
    assert SmtpSink.subject(reply) == f"[MIRPAL] New reply in “{thread.title}”"
    assert smtp_sink.to(asker.email) == []
    assert len(smtp_sink.messages) == 3  # answerer, watcher, mentioned (the expert follows not)


def test_an_expert_invited_from_the_thread_page_is_mailed_once_and_sees_it(
    smtp_sink, asker, answerer, topic
):
    ask(signed_in(asker), topic)
    thread = Thread.objects.get()
    expert_user = _member("Anna", "Expert")
    expert = ExpertFactory(user=expert_user, name_en="Anna Expert")
    unlinked = ExpertFactory(name_en="Bob Roster", contact_email="bob@example.org")
    ExpertFactory(name_en="Hidden Expert", is_listed=False)
    outbox_send_pending()
    smtp_sink.clear()

    client = signed_in(asker)
    page = client.get(thread.get_absolute_url()).content.decode()
    invite_url = reverse("exchange:invite_expert", args=[thread.pk])
    assert f'action="{invite_url}"' in page
    assert f'<option value="{expert.pk}">Anna Expert · Policy Institute</option>' in page
    assert "Hidden Expert" not in page
    # Only the asker (and the moderators) may invite.
    other_page = signed_in(answerer).get(thread.get_absolute_url()).content.decode()
    assert f'action="{invite_url}"' not in other_page
    assert signed_in(answerer).post(invite_url, {"expert": expert.pk}).status_code == 403

    for _twice in range(2):
        response = client.post(invite_url, {"expert": expert.pk, "next": thread.get_absolute_url()})
        assert response["Location"] == thread.get_absolute_url()
    client.post(invite_url, {"expert": unlinked.pk})
    assert ExpertInvitation.objects.count() == 2

    assert outbox_send_pending() == {"sent": 2, "retry": 0, "failed": 0}
    [mail] = smtp_sink.to(expert_user.email)
    assert SmtpSink.subject(mail) == f"[MIRPAL] You are invited to answer “{thread.title}”"
    assert "Nodira Karimova invites you, as an expert of the MIRPAL roster" in SmtpSink.text(mail)
    assert mail["List-Unsubscribe"]
    # An expert with no account is invited at the secretariat's contact address for them, with
    # the way to an account; a members-only question's text stays on the platform.
    [guest] = smtp_sink.to("bob@example.org")
    guest_text = SmtpSink.text(guest)
    assert SmtpSink.subject(guest) == f"[MIRPAL] You are invited to answer “{thread.title}”"
    assert "Dear Bob Roster," in guest_text
    assert "Answering needs an account on the platform." in guest_text
    assert f"http://127.0.0.1:8000{thread.get_absolute_url()}" in guest_text
    assert thread.body not in guest_text
    assert thread.body not in _html(guest)

    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Invited experts:" in page
    assert f'<a href="{expert.get_absolute_url()}">Anna Expert</a>' in page
    mine = signed_in(expert_user).get(reverse("my_mirpal")).content.decode()
    assert "Questions you were invited to answer" in mine
    assert f'<a href="{thread.get_absolute_url()}">{thread.title}</a>' in mine

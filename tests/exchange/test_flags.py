"""Members flag a thread or an answer on its form; the secretariat's moderators are told (at once
through the real SMTP sink, or in the daily summary) and find it in the queue."""

import pytest
from django.test import Client
from django.urls import reverse

from exchange.enums import Moderation, Visibility
from exchange.models import Flag
from members.notices import notices_summaries_send
from mirpal.models import OutboxMessage
from mirpal.outbox import outbox_send_pending
from mirpal.preferences import mail_preference_update
from tests.exchange.conftest import signed_in
from tests.factories.exchange import PostFactory, ThreadFactory
from tests.factories.members import EditorFactory, ManagerFactory, ProfileFactory
from tests.smtp import SmtpSink

pytestmark = pytest.mark.django_db


def _moderator(choice: str = "at_once", **names):
    user = ManagerFactory(**names)
    user.profile.mail_language = "en"
    user.profile.save(update_fields=["mail_language"])
    mail_preference_update(user=user, secretariat_notices=choice)
    return user


def _flag_post(client: Client, post, reason: str = "offensive", note: str = ""):
    return client.post(
        reverse("exchange:flag_post", args=[post.pk]), {"reason": reason, "note": note}
    )


def test_a_member_flags_an_answer_and_the_moderator_is_mailed_once(smtp_sink, asker, answerer):
    moderator = _moderator(first_name="Olga", last_name="Ceban")
    daily = _moderator("daily")
    editor = EditorFactory()  # no moderation role: never told
    mail_preference_update(user=editor, secretariat_notices="at_once")
    thread = ThreadFactory(author=asker, title="Seasonal work permits")
    post = PostFactory(thread=thread, author=answerer, body="Buy cheap watches at spam.example")
    client = signed_in(asker)

    form = client.get(reverse("exchange:flag_post", args=[post.pk]))
    assert form.status_code == 200
    assert 'name="reason" value="spam"' in form.content.decode()

    response = _flag_post(client, post, "spam", "An advertisement, not an answer.")

    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    [flag] = Flag.objects.all()
    assert (flag.post, flag.thread, flag.flagged_by, flag.reason, flag.note, flag.outcome) == (
        post, None, asker, "spam", "An advertisement, not an answer.", "open"
    )  # fmt: skip
    page = client.get(response["Location"], follow=True)
    assert "Thank you. The secretariat has been told and will look at it." in page.content.decode()

    assert outbox_send_pending() == {"sent": 1, "retry": 0, "failed": 0}
    [message] = smtp_sink.to(moderator.email)
    text = SmtpSink.text(message).replace("\r\n", "\n")
    assert SmtpSink.subject(message) == "[MIRPAL] Flagged in the discussions: Seasonal work permits"
    assert "Dear Olga Ceban," in text
    assert "Nodira Karimova flagged an answer in the discussion “Seasonal work permits”." in text
    assert "Reason: Spam or advertising" in text
    assert "What is wrong: An advertisement, not an answer." in text
    assert f"http://127.0.0.1:8000/discussions/posts/{post.pk}/" in text
    assert "The moderation queue: http://127.0.0.1:8000/discussions/moderation/" in text
    for other in (daily, editor, asker, answerer):
        assert smtp_sink.to(other.email) == []

    # Flagging again adds nothing; another member's flag joins the first without a second mail.
    again = _flag_post(client, post, "offensive")
    page = client.get(again["Location"], follow=True).content.decode()
    assert "You have flagged this already" in page
    _flag_post(signed_in(ProfileFactory(status="approved").user), post, "offensive")
    assert Flag.objects.filter(post=post, outcome="open").count() == 2
    assert OutboxMessage.objects.filter(kind="secretariat_notice").count() == 1


def test_a_member_flags_a_thread(asker, answerer):
    thread = ThreadFactory(author=asker)
    client = signed_in(answerer)

    assert client.get(reverse("exchange:flag_thread", args=[thread.pk])).status_code == 200
    response = client.post(
        reverse("exchange:flag_thread", args=[thread.pk]), {"reason": "off_topic"}
    )

    assert response["Location"] == thread.get_absolute_url()
    assert list(Flag.objects.values_list("thread", "post", "flagged_by", "reason")) == [
        (thread.pk, None, answerer.pk, "off_topic")
    ]


def test_a_flag_needs_a_known_reason(asker):
    post = PostFactory()
    response = _flag_post(signed_in(asker), post, "because")
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert Flag.objects.count() == 0


def test_only_members_flag_and_only_what_they_can_see(asker):
    public = ThreadFactory(visibility=Visibility.PUBLIC)
    post = PostFactory(thread=public)
    hidden = PostFactory(thread=public, state=Moderation.HIDDEN)
    url = reverse("exchange:flag_post", args=[post.pk])

    anonymous = Client().post(url, {"reason": "spam"})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    applicant = signed_in(ProfileFactory(status="pending").user).post(url, {"reason": "spam"})
    assert applicant["Location"] == reverse("members:account")
    suspended = signed_in(ProfileFactory(status="suspended").user).post(url, {"reason": "spam"})
    assert suspended["Location"] == reverse("members:account")
    assert _flag_post(signed_in(asker), hidden).status_code == 404
    assert Flag.objects.count() == 0


def test_the_daily_summary_lists_open_flags(smtp_sink, asker):
    moderator = _moderator("daily")
    post = PostFactory(thread=ThreadFactory(title="Quotas for 2027"))
    _flag_post(signed_in(asker), post, "personal_data")

    assert outbox_send_pending() == {"sent": 0, "retry": 0, "failed": 0}  # no one chose at once
    assert notices_summaries_send() == 1
    assert outbox_send_pending() == {"sent": 1, "retry": 0, "failed": 0}
    [message] = smtp_sink.to(moderator.email)
    text = SmtpSink.text(message).replace("\r\n", "\n")
    assert "Posts flagged in the discussions" in text
    assert "Quotas for 2027" in text
    assert "Discloses personal data" in text

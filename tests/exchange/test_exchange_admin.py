"""The peer exchange in the secretariat's admin: the lists and forms open (a thread with its
attached PDF too), a change is audited, and the admin's moderation actions go through the same
services as the queue."""

import pytest
from django.urls import reverse

from exchange.enums import Moderation
from exchange.models import Attachment, Edit, Flag, Post, Thread
from mirpal.models import AuditEntry
from tests.exchange.conftest import answer, ask, pdf_file, signed_in
from tests.factories.exchange import PostFactory, ThreadFactory
from tests.factories.members import EditorFactory, ManagerFactory, SecretariatFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_files(asker, answerer, topic):
    """A thread and an answer, each with a PDF, as members post them; flagged and edited."""
    ask(signed_in(asker), topic, attachments=[pdf_file("procedure.pdf", "Registration procedure")])
    thread = Thread.objects.get()
    answer(
        signed_in(answerer), thread, "See the attached order.", attachments=[pdf_file("order.pdf")]
    )
    post = Post.objects.get()
    signed_in(asker).post(reverse("exchange:flag_post", args=[post.pk]), {"reason": "spam"})
    signed_in(ManagerFactory()).post(
        reverse("exchange:moderate_edit_post", args=[post.pk]),
        {"body": "See the order.", "reason": "Shorter"},
    )
    assert list(Attachment.objects.order_by("pk").values_list("name", flat=True)) == [
        "procedure.pdf",
        "order.pdf",
    ]
    return thread, post


def test_lists_and_forms_open_for_the_secretariat(with_files):
    thread, post = with_files
    flag, edit = Flag.objects.get(), Edit.objects.get()
    client = signed_in(SecretariatFactory())
    pages = {
        "admin:exchange_thread_changelist": (),
        "admin:exchange_post_changelist": (),
        "admin:exchange_flag_changelist": (),
        "admin:exchange_edit_changelist": (),
        "admin:exchange_thread_change": (thread.pk,),
        "admin:exchange_post_change": (post.pk,),
        "admin:exchange_flag_change": (flag.pk,),
        "admin:exchange_edit_change": (edit.pk,),
    }
    answers = {name: client.get(reverse(name, args=args)) for name, args in pages.items()}
    assert {name: response.status_code for name, response in answers.items()} == dict.fromkeys(
        pages, 200
    )
    thread_form = answers["admin:exchange_thread_change"].content.decode()
    assert "procedure.pdf" in thread_form
    assert "order.pdf" in answers["admin:exchange_post_change"].content.decode()
    assert "Shorter" in answers["admin:exchange_post_change"].content.decode()
    flagged = client.get(reverse("admin:exchange_post_changelist") + "?flagged=open")
    assert flagged.context["cl"].result_count == 1
    held = client.get(reverse("admin:exchange_thread_changelist") + "?state__exact=held")
    assert held.context["cl"].result_count == 0


def test_a_change_in_the_admin_is_audited(with_files, topic):
    thread, _post = with_files
    client = signed_in(SecretariatFactory())
    url = reverse("admin:exchange_thread_change", args=[thread.pk])

    response = client.post(
        url,
        {
            "kind": "discussion",
            "language": "en",
            "visibility": "public",
            "topics": [topic.pk],
            "countries": ["TJ"],
            "attachments-TOTAL_FORMS": "1",
            "attachments-INITIAL_FORMS": "1",
            "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000",
            "attachments-0-id": str(thread.attachments.get().pk),
            "attachments-0-thread": str(thread.pk),
            "edits-TOTAL_FORMS": "0",
            "edits-INITIAL_FORMS": "0",
            "edits-MIN_NUM_FORMS": "0",
            "edits-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302, response.context["errors"]
    thread.refresh_from_db()
    assert (thread.kind, thread.visibility, thread.countries) == ("discussion", "public", ["TJ"])
    entry = AuditEntry.objects.filter(object_type="exchange.Thread").get()
    assert (entry.action, entry.before["visibility"], entry.after["visibility"]) == (
        "change",
        "members",
        "public",
    )


def test_the_admin_actions_moderate_through_the_services(asker):
    shown, held = PostFactory(), PostFactory(state=Moderation.HELD)
    signed_in(asker).post(reverse("exchange:flag_post", args=[shown.pk]), {"reason": "spam"})
    client = signed_in(SecretariatFactory())
    changelist = reverse("admin:exchange_post_changelist")

    client.post(changelist, {"action": "hide_selected", "_selected_action": [shown.pk, held.pk]})

    assert set(Post.objects.values_list("state", flat=True)) == {"hidden"}
    assert list(Flag.objects.values_list("outcome", flat=True)) == ["hidden"]
    assert AuditEntry.objects.filter(object_type="exchange.Post").count() == 2
    client.post(changelist, {"action": "approve_selected", "_selected_action": [shown.pk]})
    shown.refresh_from_db()
    assert shown.state == "hidden"  # only what awaits review is released
    client.post(changelist, {"action": "show_selected", "_selected_action": [shown.pk]})
    shown.refresh_from_db()
    assert shown.state == "published"


def test_the_editor_role_does_not_reach_the_exchange_admin():
    thread = ThreadFactory()
    client = signed_in(EditorFactory())
    assert client.get(reverse("admin:exchange_thread_changelist")).status_code == 403
    assert client.get(reverse("admin:exchange_thread_change", args=[thread.pk])).status_code == 403

"""A resolved thread becomes a library document on the secretariat's form: drafted from the
question and the answer that helped, crediting those who answered, linked both ways."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exchange.enums import Moderation, Visibility
from library.models import Document
from mirpal.models import AuditEntry
from tests.exchange.conftest import pdf_file, signed_in
from tests.factories.exchange import PostFactory, ThreadFactory
from tests.factories.members import (
    EditorFactory,
    ManagerFactory,
    ProfileFactory,
    SecretariatFactory,
)

pytestmark = pytest.mark.django_db


def _member(first: str, last: str):
    return ProfileFactory(user__first_name=first, user__last_name=last).user


@pytest.fixture
def resolved(asker, topic):
    """A members-only question with three answers (one hidden), the second marked as helping."""
    thread = ThreadFactory(
        author=asker,
        title="How do you check employers of seasonal workers?",
        body="We plan **random** inspections & want to learn.",
        body_html="<p>We plan <strong>random</strong> inspections &amp; want to learn.</p>",
        countries=["TJ", "KZ"],
        topics=[topic],
    )
    now = timezone.now()
    first = PostFactory(
        thread=thread, author=_member("Aigul", "Sadykova"), body="By a register.",
        created_at=now - datetime.timedelta(hours=3),
    )  # fmt: skip
    accepted = PostFactory(
        thread=thread, author=_member("Ion", "Rusu"), body="Joint visits with tax officers.",
        body_html="<p>Joint visits with <em>tax</em> officers.</p>",
        created_at=now - datetime.timedelta(hours=2),
    )  # fmt: skip
    PostFactory(
        thread=thread, author=_member("Hidden", "Person"), state=Moderation.HIDDEN,
        created_at=now - datetime.timedelta(hours=1),
    )  # fmt: skip
    PostFactory(thread=thread, parent=accepted, author=_member("Only", "Replied"))
    thread.accepted_answer = accepted
    thread.save(update_fields=["accepted_answer"])
    thread.credited = [accepted.author, first.author]
    return thread


def _form(thread, **changes) -> dict:
    topic_ids = [topic.pk for topic in thread.topics.all()]
    data = {
        "kind": "good_practice",
        "title": thread.title,
        "abstract": "Labour inspections with tax officers.",
        "authors": [person.pk for person in thread.credited],
        "topics": topic_ids,
        "countries": thread.countries,
        "access": "members",
    }
    data.update(changes)
    return data


def test_the_form_is_drafted_from_the_thread(resolved):
    secretariat = SecretariatFactory()
    response = signed_in(secretariat).get(reverse("exchange:to_document", args=[resolved.pk]))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["kind"] == "good_practice"
    assert form.initial["title"] == "How do you check employers of seasonal workers?"
    assert form.initial["abstract"] == (
        "Question: We plan random inspections & want to learn.\n\n"
        "Answer: Joint visits with tax officers."
    )
    assert form.initial["access"] == "members"
    assert form.initial["countries"] == ["TJ", "KZ"]
    assert [choice[1] for choice in form.fields["authors"].choices] == [
        "Ion Rusu",
        "Aigul Sadykova",
    ]
    assert form.initial["authors"] == [person.pk for person in resolved.credited]


def test_a_resolved_thread_becomes_a_document_linked_both_ways(resolved):
    secretariat = SecretariatFactory()
    client = signed_in(secretariat)

    response = client.post(
        reverse("exchange:to_document", args=[resolved.pk]), _form(resolved, kind="note")
    )

    document = Document.objects.get()
    assert response["Location"] == document.get_absolute_url()
    assert (document.kind, document.title_en, document.title_ru, document.language) == (
        "note", "How do you check employers of seasonal workers?", "", "en"
    )  # fmt: skip
    assert document.abstract_en == "Labour inspections with tax officers."
    assert document.authors_text == "Ion Rusu, Aigul Sadykova"
    assert set(document.author_members.all()) == set(resolved.credited)
    assert document.external_url == f"http://127.0.0.1:8000{resolved.get_absolute_url()}"
    assert (document.access, sorted(document.countries)) == ("members", ["KZ", "TJ"])
    assert list(document.topics.all()) == list(resolved.topics.all())
    assert document.published_on == timezone.localdate()
    resolved.refresh_from_db()
    assert resolved.document == document

    page = client.get(document.get_absolute_url()).content.decode()
    assert "From the discussion:" in page
    assert f'href="{resolved.get_absolute_url()}"' in page
    thread_page = client.get(resolved.get_absolute_url()).content.decode()
    assert f'href="{document.get_absolute_url()}"' in thread_page
    entries = AuditEntry.objects.order_by("pk")
    assert [(entry.object_type, entry.action) for entry in entries] == [
        ("library.Document", "create"),
        ("exchange.Thread", "change"),
    ]
    assert entries[0].after["from_thread"] == resolved.pk
    assert entries[1].after["document_id"] == document.pk

    # Once made, the form sends to the document rather than making a second one.
    again = client.get(reverse("exchange:to_document", args=[resolved.pk]))
    assert again["Location"] == document.get_absolute_url()
    assert Document.objects.count() == 1


def test_a_public_russian_thread_gives_a_public_russian_document_with_its_pdf(asker, topic):
    thread = ThreadFactory(
        author=asker, title="Как проверять работодателей?", language="ru",
        visibility=Visibility.PUBLIC, topics=[topic],
    )  # fmt: skip
    helped = PostFactory(thread=thread, author=_member("Ион", "Русу"), language="ru")
    thread.accepted_answer = helped
    thread.save(update_fields=["accepted_answer"])
    client = signed_in(SecretariatFactory())
    url = reverse("exchange:to_document", args=[thread.pk])
    form = client.get(url).context["form"]
    assert form.initial["access"] == "public"
    # The labels ("Вопрос:", "Ответ:") come in the thread's language once the lead merges the
    # catalogue; the quoted text is the thread's own.
    question, helped_part = form.initial["abstract"].split("\n\n")
    assert (question.split(": ", 1)[1], helped_part.split(": ", 1)[1]) == (thread.body, helped.body)
    data = {
        "kind": "good_practice",
        "title": "Проверки работодателей",
        "abstract": "Совместные проверки.",
        "authors": [helped.author.pk],
        "topics": [topic.pk],
        "access": "public",
        "file": pdf_file("practice.pdf", "Joint inspections"),
    }

    response = client.post(url, data)

    document = Document.objects.get()
    assert response["Location"] == document.get_absolute_url()
    assert (document.title_ru, document.title_en, document.abstract_ru, document.language) == (
        "Проверки работодателей", "", "Совместные проверки.", "ru"
    )  # fmt: skip
    assert (document.access, document.external_url, document.file_pages) == ("public", "", 1)
    assert document.file.name.startswith("documents/")
    assert "From the discussion:" in Client().get(document.get_absolute_url()).content.decode()


def test_a_thread_without_the_answer_that_helped_stays_a_thread(asker):
    thread = ThreadFactory(author=asker)
    PostFactory(thread=thread)
    client = signed_in(SecretariatFactory())
    url = reverse("exchange:to_document", args=[thread.pk])

    response = client.get(url)
    assert response["Location"] == thread.get_absolute_url()
    assert (
        "Only a thread whose answer that helped is marked"
        in client.get(response["Location"]).content.decode()
    )
    client.post(url, {"kind": "note", "title": "x", "abstract": "y", "access": "public"})
    assert Document.objects.count() == 0


def test_only_moderators_who_add_documents_may(resolved):
    url = reverse("exchange:to_document", args=[resolved.pk])
    data = _form(resolved)
    # The editor adds documents but does not moderate; the manager moderates but does not add
    # documents; members and applicants do neither.
    for user in (
        EditorFactory(),
        ManagerFactory(),
        ProfileFactory(status="approved").user,
        ProfileFactory(status="pending").user,
    ):
        client = signed_in(user)
        assert (client.get(url).status_code, client.post(url, data).status_code) == (403, 403)
    assert Client().get(url).status_code == 302
    assert Document.objects.count() == 0

"""Turning a resolved thread into a library document: a "good practice" or a "note" that keeps
what the network learned, linked both ways and crediting the people who answered.

The document is made by the library's own service (library.services.document_create), so it is
checked, indexed for search and announced to partners as any document the secretariat adds.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exchange.enums import Moderation, Visibility
from exchange.errors import ExchangeError
from exchange.models import Post, Thread
from library.enums import Access, DocumentKind
from library.models import Document
from library.services import document_create
from mirpal.audit import audit_record, audit_snapshot
from mirpal.models import AuditAction

DOCUMENT_KINDS = (DocumentKind.GOOD_PRACTICE, DocumentKind.NOTE)
# The drafted abstract quotes this many words of the question and of the answer.
QUESTION_WORDS = 120
ANSWER_WORDS = 250


class NotResolved(ExchangeError):
    """Only a published thread with a published answer marked as the one that helped becomes a
    document."""


def _plain(body_html: str) -> str:
    """The text of a rendered post, without its markup."""
    return " ".join(html.unescape(strip_tags(body_html)).split())


def thread_resolved_check(thread: Thread) -> Post:
    """The accepted answer of a thread that may become a document; raises NotResolved."""
    answer = thread.accepted_answer
    if (
        thread.state != Moderation.PUBLISHED
        or answer is None
        or answer.state != Moderation.PUBLISHED
    ):
        raise NotResolved(
            _("Only a thread whose answer that helped is marked can become a document.")
        )
    return answer


def answerers(thread: Thread) -> list:
    """The people who answered (published answers, not replies): the accepted answer's author
    first, then the others in the order they first answered."""
    accepted_author = thread.accepted_answer.author_id if thread.accepted_answer else None
    people, seen = [], set()
    answers = (
        Post.objects.filter(
            thread=thread, parent__isnull=True, state=Moderation.PUBLISHED, author__isnull=False
        )
        .select_related("author")
        .order_by("created_at", "pk")
    )
    for answer in answers:
        if answer.author_id not in seen:
            seen.add(answer.author_id)
            people.append(answer.author)
    people.sort(key=lambda person: person.pk != accepted_author)  # stable: the rest keep order
    return people


def document_draft(thread: Thread) -> dict:
    """The form's first values, from the thread: its title, an abstract drafted from the question
    and the answer that helped (labelled in the thread's language), its topics and countries,
    and members-only access for a members-only thread."""
    answer = thread_resolved_check(thread)
    with translation.override(thread.language):
        abstract = "\n\n".join(
            [
                gettext("Question: %(text)s")
                % {"text": Truncator(_plain(thread.body_html)).words(QUESTION_WORDS)},
                gettext("Answer: %(text)s")
                % {"text": Truncator(_plain(answer.body_html)).words(ANSWER_WORDS)},
            ]
        )
    return {
        "kind": DocumentKind.GOOD_PRACTICE,
        "title": thread.title,
        "abstract": abstract,
        "topics": list(thread.topics.all()),
        "countries": list(thread.countries),
        "access": Access.PUBLIC if thread.visibility == Visibility.PUBLIC else Access.MEMBERS,
        "authors": answerers(thread),
    }


@transaction.atomic
def thread_to_document(
    *,
    thread: Thread,
    by,
    kind: str,
    title: str,
    abstract: str,
    access: str,
    topics: Iterable = (),
    countries: Iterable[str] = (),
    authors: Iterable = (),
    file: File | None = None,
) -> Document:
    """Make a library document of a resolved thread, in one transaction: written in the thread's
    language (title and abstract in that language's fields), crediting `authors` (members; the
    accepted answer's author first) by name and as author members, with the thread's address as
    its link unless a PDF is given. The thread then points to the document, and the audit log
    records both. Raises NotResolved for a thread without an accepted answer, ExchangeError for a
    thread already made into a document, ValidationError for a PDF refused by the library."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread_resolved_check(thread)
    if thread.document_id is not None:
        raise ExchangeError(_("This thread is a library document already."))
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"not a document kind for a thread: {kind!r}")
    authors = list(authors)
    language = thread.language
    fields = {
        "kind": kind,
        f"title_{language}": title.strip(),
        f"abstract_{language}": abstract.strip(),
        "language": language,
        "authors_text": ", ".join(str(person) for person in authors)[:500],
        "published_on": timezone.localdate(),
        "countries": sorted(set(countries)),
        "access": access,
        "external_url": "" if file else settings.SITE_URL + thread.get_absolute_url(),
    }
    document = document_create(file=file, topics=topics, author_members=authors, **fields)
    thread_before = audit_snapshot(thread)
    thread.document = document
    thread.save(update_fields=["document"])
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=document,
        after={
            **audit_snapshot(document),
            "author_members": [person.pk for person in authors],
            "from_thread": thread.pk,
        },
    )
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=thread,
        before=thread_before,
        after=audit_snapshot(thread),
    )
    return document

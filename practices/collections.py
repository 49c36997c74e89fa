"""Curated collections: publishing, the order of the items, and which items a viewer reads.

A collection shows each viewer only the items that viewer may open on their own pages: a
members-only case, document or discussion is left out for visitors who are not members, an
unpublished case for everyone, a held or hidden discussion for all but its author and the
moderators, a draft event and an expert taken off the roster for all but the secretariat. The
page and the PDF reading pack read the same resolved list, so they never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from events.enums import EventStatus
from exchange.markup import markdown_plain
from exchange.permissions import can_moderate
from exchange.visibility import Access, thread_access
from library.enums import Access as DocumentAccess
from members.permissions import is_member, is_secretariat
from members.roster.selectors import can_see_contacts
from mirpal.audit import audit_record, audit_snapshot
from mirpal.countries import Country
from mirpal.fragments import data_changed
from mirpal.models import AuditAction, Topic
from practices.enums import ItemKind, ReviewState, Visibility
from practices.models import Collection, CollectionItem

SUMMARY_CHARS = 280

# Columns no card nor the reading pack shows: the search vectors and a document's whole text.
_UNSHOWN = [
    "article__search_vector",
    "document__search_vector",
    "document__ranking_vector",
    "document__text",
    "case__search_vector",
    "thread__search_vector",
    "thread__body_html",
]


class CollectionError(Exception):
    pass


@dataclass
class ResolvedItem:
    """One item as a viewer sees it: the secretariat's note, then a card for its target."""

    item: CollectionItem
    note: str
    target: object | None = None
    title: str = ""
    kind_label: str = ""
    url: str = ""
    summary: str = ""
    facts: list[str] = field(default_factory=list)
    # A recording's own link: members only, once the event is over (as on the event page).
    recording_url: str = ""

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def is_note(self) -> bool:
        return self.item.kind == ItemKind.NOTE


def collection_publish(*, collection: Collection, by) -> Collection:
    """Publish the collection: its link opens for the readers its visibility names. The date
    is that of the first publication; publishing again after unpublishing keeps it. Audited."""
    with transaction.atomic():
        locked = Collection.objects.select_for_update().get(pk=collection.pk)
        if locked.is_published:
            return locked
        before = audit_snapshot(locked)
        locked.is_published = True
        locked.published_at = locked.published_at or timezone.now()
        locked.save(update_fields=["is_published", "published_at", "updated_at"])
        audit_record(
            actor=by,
            action=AuditAction.PUBLISH,
            obj=locked,
            before=before,
            after=audit_snapshot(locked),
        )
    return locked


def collection_unpublish(*, collection: Collection, by) -> Collection:
    """Take the collection back to a draft: its link answers 404 to all but the secretariat."""
    with transaction.atomic():
        locked = Collection.objects.select_for_update().get(pk=collection.pk)
        if not locked.is_published:
            return locked
        before = audit_snapshot(locked)
        locked.is_published = False
        locked.save(update_fields=["is_published", "updated_at"])
        audit_record(
            actor=by,
            action=AuditAction.CHANGE,
            obj=locked,
            before=before,
            after=audit_snapshot(locked),
        )
    return locked


def collection_items_reorder(*, collection: Collection, order: list[int]) -> None:
    """Put the items in this order (item ids; items not named follow in their present order)
    and number them 1, 2, 3…. One transaction: the unique position is checked at its commit."""
    with transaction.atomic():
        items = list(
            CollectionItem.objects.select_for_update()
            .filter(collection=collection)
            .order_by("position", "pk")
            .only("pk", "position", "collection_id")
        )
        rank = {pk: index for index, pk in enumerate(order)}
        items.sort(key=lambda item: rank.get(item.pk, len(order)))
        changed = []
        for position, item in enumerate(items, start=1):
            if item.position != position:
                item.position = position
                changed.append(item)
        if changed:
            CollectionItem.objects.bulk_update(changed, ["position"])
            data_changed("practices")


def collection_items_renumber(*, collection: Collection) -> None:
    """Number the items 1, 2, 3… in their present order (after gaps or a typed 15)."""
    collection_items_reorder(collection=collection, order=[])


def collection_item_move(*, item: CollectionItem, step: int) -> None:
    """Move an item up (step -1) or down (step +1) by one place; at either end, nothing."""
    with transaction.atomic():
        ids = list(
            CollectionItem.objects.select_for_update()
            .filter(collection_id=item.collection_id)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
        )
        index = ids.index(item.pk)
        other = index + step
        if step not in (-1, 1) or not 0 <= other < len(ids):
            return
        ids[index], ids[other] = ids[other], ids[index]
        collection_items_reorder(collection=item.collection, order=ids)


def _items_queryset(collection: Collection):
    topics = Topic.objects.order_by("position", "slug")
    return (
        CollectionItem.objects.filter(collection=collection)
        .select_related("article__issue", "document", "case", "event", "expert", "thread")
        .defer(*_UNSHOWN)
        .prefetch_related(
            Prefetch("case__topics", queryset=topics),
            Prefetch("expert__topics", queryset=topics),
            "document__author_experts",
            "document__author_members",
            "article__author_experts",
            "article__author_members",
        )
        .order_by("position", "pk")
    )


def _short(text: str) -> str:
    return Truncator(" ".join((text or "").split())).chars(SUMMARY_CHARS)


def authors_of(target) -> str:
    """A document's or article's authors as printed, then those on the roster and members."""
    names = [target.authors_text] if target.authors_text else []
    names += [expert.name for expert in target.author_experts.all()]
    names += [person.get_full_name() or str(person) for person in target.author_members.all()]
    return ", ".join(names)


def countries_display(codes: list[str]) -> str:
    labels = dict(Country.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes)


class _Viewer:
    """What the viewer may read, asked once per page rather than once per item."""

    def __init__(self, user) -> None:
        self.user = user
        self.member = is_member(user)
        self.secretariat = is_secretariat(user)
        self.moderator = can_moderate(user)
        self.sees_unlisted_experts = can_see_contacts(user)

    def reads(self, item: CollectionItem) -> bool:
        kind = item.kind
        if kind in (ItemKind.NOTE, ItemKind.ARTICLE):
            return True
        if kind == ItemKind.DOCUMENT:
            return item.document.access == DocumentAccess.PUBLIC or self.member
        if kind == ItemKind.CASE:
            case = item.case
            return case.review_state == ReviewState.PUBLISHED and (
                case.visibility == Visibility.PUBLIC or self.member
            )
        if kind == ItemKind.RECORDING:
            # As Event.objects.visible_to: drafts are for the secretariat.
            return item.event.status != EventStatus.DRAFT or self.secretariat
        if kind == ItemKind.EXPERT:
            return item.expert.is_listed or self.sees_unlisted_experts
        if kind == ItemKind.DISCUSSION:
            access = thread_access(thread=item.thread, user=self.user, moderator=self.moderator)
            return access is Access.READ
        return False


def _card(resolved: ResolvedItem, *, viewer: _Viewer, now) -> None:
    item = resolved.item
    target = item.target
    resolved.target = target
    resolved.kind_label = str(ItemKind(item.kind).label)
    if item.kind == ItemKind.ARTICLE:
        resolved.title = target.title
        resolved.url = reverse("library:article", args=[target.pk])
        resolved.summary = _short(target.abstract)
        pages = target.pages
        resolved.facts = [
            fact
            for fact in (
                authors_of(target),
                str(target.issue) + (", " + _("pp. %(pages)s") % {"pages": pages} if pages else ""),
            )
            if fact
        ]
    elif item.kind == ItemKind.DOCUMENT:
        resolved.title = target.title
        resolved.kind_label = target.get_kind_display()
        resolved.url = target.get_absolute_url()
        resolved.summary = _short(target.abstract)
        resolved.facts = [
            fact
            for fact in (authors_of(target), target.publisher, str(target.published_on.year))
            if fact
        ]
    elif item.kind == ItemKind.CASE:
        resolved.title = target.title
        resolved.url = target.get_absolute_url()
        resolved.summary = _short(target.summary)
        resolved.facts = [countries_display(target.countries), target.get_status_display()]
    elif item.kind == ItemKind.RECORDING:
        resolved.title = target.title
        resolved.url = target.get_absolute_url()
        resolved.summary = _short(target.description)
        resolved.facts = [date_format(timezone.localtime(target.starts_at), "j E Y")]
        if viewer.member and target.recording_url and target.ends_at <= now:
            resolved.recording_url = target.recording_url
    elif item.kind == ItemKind.EXPERT:
        resolved.title = target.name
        resolved.url = target.get_absolute_url()
        resolved.summary = _short(target.bio)
        resolved.facts = [
            fact
            for fact in (
                ", ".join(part for part in (target.title, target.affiliation) if part),
                ", ".join(topic.name for topic in target.topics.all()),
            )
            if fact
        ]
    elif item.kind == ItemKind.DISCUSSION:
        resolved.title = target.title
        resolved.url = target.get_absolute_url()
        resolved.summary = _short(markdown_plain(target.body))


def collection_items_resolved(*, collection: Collection, user) -> list[ResolvedItem]:
    """The collection's items in their order, each with its target's card, without the items
    this viewer may not read. A fixed number of queries whatever the number of items."""
    viewer = _Viewer(user)
    now = timezone.now()
    resolved = []
    for item in _items_queryset(collection):
        if not viewer.reads(item):
            continue
        entry = ResolvedItem(item=item, note=item.note)
        if item.kind != ItemKind.NOTE:
            _card(entry, viewer=viewer, now=now)
        resolved.append(entry)
    return resolved

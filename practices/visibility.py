"""Who sees which case and collection, decided on the server.

A published public case is for anyone; a published members-only case for approved members (and
the secretariat). A case not yet published (awaiting review, changes requested, declined) is seen
by its proposer and the reviewers (practices.review_case) only. A collection is seen once it is
published, by anyone or by members as its visibility says; a draft by the secretariat's editors.
"""

from __future__ import annotations

from members.permissions import is_member
from practices.enums import ReviewState, Visibility
from practices.models import Case, Collection

REVIEW_CASE = "practices.review_case"
CHANGE_COLLECTION = "practices.change_collection"


def can_review(user) -> bool:
    return user.is_authenticated and user.has_perm(REVIEW_CASE)


def can_propose(user) -> bool:
    """Approved members (and the secretariat) propose cases."""
    return is_member(user)


def cases_visible_to(user, *, member: bool | None = None):
    """Published cases this person may read (the lists, comparison, search, country pages)."""
    if member is None:
        member = is_member(user)
    published = Case.objects.filter(review_state=ReviewState.PUBLISHED)
    if member:
        return published
    return published.filter(visibility=Visibility.PUBLIC)


def case_readable(*, case: Case, user) -> bool:
    """Whether the case's own page opens for this person (unpublished: proposer and reviewers)."""
    if case.review_state != ReviewState.PUBLISHED:
        return user.is_authenticated and (case.proposed_by_id == user.pk or can_review(user))
    return case.visibility == Visibility.PUBLIC or is_member(user)


def collections_visible_to(user, *, member: bool | None = None):
    if member is None:
        member = is_member(user)
    published = Collection.objects.filter(is_published=True)
    return published if member else published.filter(visibility=Visibility.PUBLIC)


def collection_readable(*, collection: Collection, user) -> bool:
    if not collection.is_published:
        return user.is_authenticated and user.has_perm(CHANGE_COLLECTION)
    return collection.visibility == Visibility.PUBLIC or is_member(user)

"""Curated collections for each role: a public one is for anyone, a members-only one sends
visitors to log in and applicants to their account page, a draft does not exist but for the
secretariat's editors (practices.change_collection); its PDF follows the page."""

from practices.enums import Visibility
from tests.factories.practices import CollectionFactory, CollectionItemFactory
from tests.url_roles import (
    ANON,
    APPLICANT,
    EDITOR,
    MANAGER,
    MEMBER,
    SECRETARIAT,
    Case,
    everyone,
    members_only,
)

DRAFT = {ANON: 404, APPLICANT: 404, MEMBER: 404, SECRETARIAT: 200, EDITOR: 200, MANAGER: 404}


def cases(world):
    public = CollectionFactory(slug="roles-public")
    members = CollectionFactory(slug="roles-members", visibility=Visibility.MEMBERS)
    draft = CollectionFactory(slug="roles-draft", is_published=False, published_at=None)
    for collection in (public, members, draft):
        CollectionItemFactory(collection=collection)
    found = []
    for name in ("practices:collection", "practices:collection_pdf"):
        found += [
            Case(name, everyone(200), kwargs={"slug": public.slug}),
            Case(name, everyone(200), kwargs={"slug": public.slug}, query="?lang=ru"),
            Case(name, members_only(), kwargs={"slug": members.slug}),
            Case(name, DRAFT, kwargs={"slug": draft.slug}),
            Case(name, everyone(404), kwargs={"slug": "no-such-collection"}),
            Case(name, everyone(405), kwargs={"slug": public.slug}, method="post"),
        ]
    return [Case("practices:collections", everyone(200)), *found]

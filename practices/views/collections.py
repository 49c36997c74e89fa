"""The secretariat's curated collections: the list, one collection's page (its link is the one
to share) and its PDF reading pack."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET

from members.permissions import is_member
from practices.collections import collection_items_resolved
from practices.enums import Visibility
from practices.models import Collection
from practices.reading_pack import reading_pack_pdf
from practices.visibility import CHANGE_COLLECTION, collections_visible_to


def _collection_for(request, slug: str) -> tuple[Collection | None, object]:
    """The collection, or the answer for a viewer who may not read it: a draft does not exist
    but for the secretariat; a members-only one sends visitors to log in, applicants to their
    account page."""
    collection = Collection.objects.filter(slug=slug).prefetch_related("topics").first()
    if collection is None:
        raise Http404
    if not collection.is_published:
        if request.user.is_authenticated and request.user.has_perm(CHANGE_COLLECTION):
            return collection, None
        raise Http404
    if collection.visibility == Visibility.PUBLIC or is_member(request.user):
        return collection, None
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    return None, redirect("members:account")


@require_GET
def collection_list(request):
    collections = collections_visible_to(request.user).order_by("-published_at", "-pk")
    return render(request, "practices/collections.html", {"collections": collections})


@require_GET
def collection_detail(request, slug):
    collection, refusal = _collection_for(request, slug)
    if refusal is not None:
        return refusal
    return render(
        request,
        "practices/collection_detail.html",
        {
            "collection": collection,
            "items": collection_items_resolved(collection=collection, user=request.user),
            "languages": settings.LANGUAGES,
        },
    )


@require_GET
def collection_pdf(request, slug):
    """The reading pack in the language asked for (?lang=ru) or the page's, with the items
    this viewer may read; downloaded as <slug>.pdf."""
    collection, refusal = _collection_for(request, slug)
    if refusal is not None:
        return refusal
    codes = {code for code, _name in settings.LANGUAGES}
    language = request.GET.get("lang", "")
    if language not in codes:
        language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        content = reading_pack_pdf(
            collection=collection,
            items=collection_items_resolved(collection=collection, user=request.user),
            absolute_url=request.build_absolute_uri,
        )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{collection.slug}.pdf"'
    return response

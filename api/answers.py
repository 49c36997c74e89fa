"""List answers kept in the cache as rendered bytes, with their ETag and Last-Modified.

An answer depends on the path and the query string (sorted), the negotiated media type (the JSON
renderer indents when asked to), the language, the time zone its times are given in, the scheme
and host its page links name, who asks (api.permissions.answer_audience) and the data it is made
of: the versions of its data scopes (mirpal.fragments), which every write to that data renews.

api.base looks an answer up once authentication, permissions and throttles have run, and before
the view's action (its queries and serializers); a hit is sent as stored, and a conditional
request that matches it gets a 304 with nothing rendered. Only 200 answers are stored.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from django.http import HttpResponse
from django.utils import timezone, translation

from api.permissions import answer_audience


class StoredAnswer(NamedTuple):
    content: bytes
    content_type: str
    etag: str
    last_modified: int | None  # seconds since the epoch


def answer_key(request) -> str:
    """The cache key of the answer to this request (a DRF Request, authenticated, its content
    negotiated); the answer is stored with mirpal.fragments.versioned_set under its scopes."""
    django_request = request._request
    parts = (
        django_request.path,
        repr(sorted(django_request.GET.lists())),
        request.accepted_media_type or "",
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        django_request.scheme,
        django_request.get_host(),
        answer_audience(request),
    )
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
    return f"api-answer:{digest}"


class CachedAnswerResponse(HttpResponse):
    """A stored answer, sent as it was rendered."""

    def __init__(self, answer: StoredAnswer):
        super().__init__(answer.content, content_type=answer.content_type)
        self.stored_answer = answer

"""What every API view shares: the answer's language, conditional GET (ETag, Last-Modified,
304) and Cache-Control, and the errors every endpoint may answer with."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.exceptions import ValidationError

from api.answers import CachedAnswerResponse, StoredAnswer, answer_key
from api.authentication import HeldKey, held_key_confirm, held_key_reads
from api.cachetrips import read_many
from api.permissions import partner_key
from mirpal.fragments import versioned_found, versioned_keys, versioned_set

LANGUAGES = [code for code, _name in settings.LANGUAGES]


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer):
    """Field name (or non_field_errors) to its list of messages."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


LANG_PARAMETER = OpenApiParameter(
    "lang",
    str,
    enum=LANGUAGES,
    description="Language of the answer; overrides Accept-Language.",
)
ERRORS = {
    400: OpenApiResponse(ValidationErrorSerializer, description="Invalid parameters."),
    401: OpenApiResponse(ErrorSerializer, description="The API key is not valid or revoked."),
    403: OpenApiResponse(ErrorSerializer, description="The key lacks the scope needed."),
    404: OpenApiResponse(ErrorSerializer, description="Not found."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After."),
}
# Public reads: anyone, or a partner key, or a member's session.
PUBLIC_AUTH = [{"apiKey": []}, {"cookieAuth": []}, {}]
READ_ERRORS = {code: ERRORS[code] for code in (400, 401, 403, 429)}
NOT_MODIFIED = {304: OpenApiResponse(description="Not modified since the ETag or date given.")}


def documented(**kwargs):
    """extend_schema with the language parameter and the shared errors added."""
    parameters = [*kwargs.pop("parameters", []), LANG_PARAMETER]
    return extend_schema(parameters=parameters, **kwargs)


class ApiViewMixin:
    """Localised, conditional and cacheable answers.

    ?lang= overrides Accept-Language (which LocaleMiddleware already applied). Every 200 answer to
    GET gets an ETag (hash of the body) and, where the view sets `last_modified`, Last-Modified;
    a matching If-None-Match or If-Modified-Since is answered 304 with no body. Answers that do
    not depend on who calls (anonymous or partner key) are public for API_PUBLIC_MAX_AGE seconds.

    A view that names its `answer_scopes` has its list answers kept in the server's cache
    (api.answers): a hit is sent without running the action, after the same authentication,
    permissions and throttles as any request.
    """

    last_modified = None
    public_cache = True
    # The data scopes (mirpal.fragments) the list answer is made of; None: never cached.
    answer_scopes: tuple[str, ...] | None = None
    # The list's filters (a serializer): an answer is cached only for a query made of these
    # and the page, page size and language, so that made-up parameters cannot fill the cache.
    answer_filters: type[serializers.Serializer] | None = None
    answer_key: str | None = None
    answer_versions: dict[str, str] | None = None
    throttle_reads: list[str] = []
    throttle_read_values: dict[str, object] | None = None
    # A partner key this process holds is let in without a trip to Redis (api.authentication),
    # on the promise that check_throttles confirms it with the values its round trip reads.
    confirms_held_keys = True
    held_key: HeldKey | None = None

    def initial(self, request, *args, **kwargs):
        lang = request.query_params.get("lang", "")
        if lang in LANGUAGES:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        super().initial(request, *args, **kwargs)
        if "lang" in request.query_params and lang not in LANGUAGES:
            raise ValidationError({"lang": [_("Choose one of: %s.") % ", ".join(LANGUAGES)]})
        if self.answer_key is None:
            return
        stored, self.answer_versions = versioned_found(
            self.answer_key, scopes=self.answer_scopes, found=self.throttle_read_values
        )
        if stored is not None:
            # dispatch() next calls the handler named after the method (the action); the stored
            # answer stands in for it, so no query or serializer runs.
            setattr(self, request.method.lower(), lambda *a, **k: CachedAnswerResponse(stored))

    def check_permissions(self, request):
        try:
            super().check_permissions(request)
        except (exceptions.PermissionDenied, exceptions.NotAuthenticated):
            if self.held_key is None:
                raise
            # The key held here may have gained a scope since: it is refused on what it is now.
            self._held_key_confirm(request, read_many(held_key_reads(self.held_key)))
            super().check_permissions(request)

    def check_throttles(self, request):
        # The caller is known (authentication ran first): the stored answer, if any, is read in
        # the throttle's round trip to the cache (api.throttling), and so is what confirms a
        # held partner key.
        reads = []
        if (
            self.answer_scopes is not None
            and getattr(self, "action", None) == "list"
            and request.method in ("GET", "HEAD")
            and self.answer_parameters().issuperset(request.query_params)
        ):
            self.answer_key = answer_key(request)
            reads = versioned_keys(self.answer_key, scopes=self.answer_scopes)
        if self.held_key is not None:
            reads = [*reads, *held_key_reads(self.held_key)]
        self.throttle_reads = reads
        refused = None
        try:
            super().check_throttles(request)
        except exceptions.Throttled as error:
            # The key first: a revoked one is told so, not asked to wait.
            refused = error
        if self.throttle_read_values is None:  # no throttle read them (throttles turned off)
            self.throttle_read_values = read_many(reads) if reads else {}
        if self.held_key is not None and self._held_key_confirm(request, self.throttle_read_values):
            # The key changed since this process read it: its scopes are checked as they are now.
            super().check_permissions(request)
        if refused is not None:
            raise refused

    def _held_key_confirm(self, request, found) -> bool:
        held, self.held_key = self.held_key, None
        return held_key_confirm(request, held, found)

    @classmethod
    def answer_parameters(cls) -> frozenset[str]:
        known = cls.__dict__.get("_answer_parameters")
        if known is None:
            filters = cls.answer_filters().fields if cls.answer_filters else {}
            known = frozenset({*filters, "page", "page_size", "lang"})
            cls._answer_parameters = known
        return known

    def answer_seconds(self) -> int:
        """How long a list answer may be kept: writes end it sooner (its scopes' versions)."""
        return settings.API_ANSWER_SECONDS

    def note_modified(self, moments) -> None:
        moments = [moment for moment in moments if moment is not None]
        if moments:
            latest = max(moments)
            self.last_modified = max(latest, self.last_modified or latest)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ["Accept-Language", "Authorization", "Cookie"])
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        stored = getattr(response, "stored_answer", None)
        if stored is None:
            response.render()
            stored = StoredAnswer(
                content=response.content,
                content_type=response["Content-Type"],
                etag='"' + hashlib.sha256(response.content).hexdigest()[:32] + '"',
                last_modified=(
                    None if self.last_modified is None else int(self.last_modified.timestamp())
                ),
            )
            if self.answer_versions is not None:
                versioned_set(
                    self.answer_key,
                    stored,
                    versions=self.answer_versions,
                    timeout=self.answer_seconds(),
                )
        response["ETag"] = stored.etag
        if stored.last_modified is not None:
            response["Last-Modified"] = http_date(stored.last_modified)
        anonymous = not request.user.is_authenticated or partner_key(request) is not None
        if self.public_cache and anonymous:
            patch_cache_control(response, public=True, max_age=settings.API_PUBLIC_MAX_AGE)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return get_conditional_response(
            request, etag=stored.etag, last_modified=stored.last_modified, response=response
        )

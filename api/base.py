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
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from api.permissions import partner_key

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
    """

    last_modified = None
    public_cache = True

    def initial(self, request, *args, **kwargs):
        lang = request.query_params.get("lang", "")
        if lang in LANGUAGES:
            translation.activate(lang)
            request.LANGUAGE_CODE = lang
        super().initial(request, *args, **kwargs)
        if "lang" in request.query_params and lang not in LANGUAGES:
            raise ValidationError({"lang": [_("Choose one of: %s.") % ", ".join(LANGUAGES)]})

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
        response.render()
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        last_modified = None
        if self.last_modified is not None:
            last_modified = int(self.last_modified.timestamp())
            response["Last-Modified"] = http_date(last_modified)
        anonymous = not request.user.is_authenticated or partner_key(request) is not None
        if self.public_cache and anonymous:
            patch_cache_control(response, public=True, max_age=settings.API_PUBLIC_MAX_AGE)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        conditional = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        return conditional

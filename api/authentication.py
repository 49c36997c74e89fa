"""Who is calling: a partner key or a member's personal token in the Authorization header."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from mirpal.apikeys import api_key_lookup, api_key_touch

SCHEMES = (b"api-key", b"bearer")


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <key>` (or `Bearer <key>`). A partner key authenticates no user
    (request.user stays anonymous, request.auth is the key); a personal token acts as its member."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in SCHEMES:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the key after the word Api-Key."))
        try:
            raw = header[1].decode()
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("This API key is not valid.")) from error
        key = api_key_lookup(raw)
        if key is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid or was revoked."))
        api_key_touch(key=key)
        if key.user_id:
            if not key.user.is_active:
                raise exceptions.AuthenticationFailed(_("This account is disabled."))
            return key.user, key
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return 'Api-Key realm="api"'


class ApiKeySchema(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`: a partner key or a member's personal token.",
        }

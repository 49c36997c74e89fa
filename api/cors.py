"""CORS for partner sites: the origins in CORS_ALLOWED_ORIGINS (environment) plus those the
secretariat lists on active partners in the admin, read through the shared cache."""

from __future__ import annotations

import re
from urllib.parse import SplitResult

from corsheaders.middleware import CorsMiddleware
from django.core.cache import cache

from mirpal.models import Partner

ORIGINS_CACHE_KEY = "api-cors-partner-origins"
ORIGINS_CACHE_SECONDS = 300

# scheme://host[:port] and nothing else: a space or ";" in a listed origin would otherwise add
# sources or directives to the widget's Content-Security-Policy.
ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$")


def partner_origins() -> frozenset[str]:
    origins = cache.get(ORIGINS_CACHE_KEY)
    if origins is None:
        origins = sorted(
            {
                origin.strip().rstrip("/").lower()
                for listed in Partner.objects.filter(is_active=True).values_list(
                    "allowed_origins", flat=True
                )
                for origin in listed
                if origin.strip()
            }
        )
        cache.set(ORIGINS_CACHE_KEY, origins, ORIGINS_CACHE_SECONDS)
    return frozenset(origins)


def partner_origins_changed() -> None:
    cache.delete(ORIGINS_CACHE_KEY)


class PartnerCorsMiddleware(CorsMiddleware):
    def origin_found_in_white_lists(self, origin: str, url: SplitResult) -> bool:
        return super().origin_found_in_white_lists(origin, url) or (
            origin.lower() in partner_origins()
        )

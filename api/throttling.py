"""Request limits per key and per anonymous address, counted in the shared Redis cache.

DRF's own throttles read a history, change it and write it back, so two workers can both let a
request through; here each window is one Redis counter raised with INCR, which is atomic, so the
limit holds across every process that shares the cache. The counter is raised and given its
expiry by one Lua script (api.cachetrips): one round trip per request, which also brings the
answer the view may send from the cache.
"""

from __future__ import annotations

import time

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from api.cachetrips import window_count
from mirpal.models import ApiKey


class ApiThrottle(BaseThrottle):
    def _limit_and_ident(self, request) -> tuple[int, str]:
        auth = getattr(request, "auth", None)
        if isinstance(auth, ApiKey):
            return settings.API_RATE_KEY, f"key:{auth.pk}"
        if request.user and request.user.is_authenticated:
            return settings.API_RATE_KEY, f"user:{request.user.pk}"
        return settings.API_RATE_ANONYMOUS, f"ip:{self.get_ident(request)}"

    def allow_request(self, request, view) -> bool:
        limit, ident = self._limit_and_ident(request)
        window = settings.API_RATE_WINDOW_SECONDS
        now = time.time()
        index = int(now // window)
        self.wait_seconds = (index + 1) * window - now
        # A view may ask for cache keys to be read in this round trip (`throttle_reads`: api.base
        # reads its stored answer so, and what confirms a partner key this process holds); their
        # values go back to it in `throttle_read_values`.
        count, view.throttle_read_values = window_count(
            f"api-throttle:{ident}:{index}",
            seconds=window + 1,
            read=getattr(view, "throttle_reads", ()),
        )
        return count <= limit

    def wait(self) -> float:
        return self.wait_seconds

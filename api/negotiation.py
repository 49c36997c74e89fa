"""Content negotiation: DRF's, answered at once in the common case."""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation


class JsonNegotiation(DefaultContentNegotiation):
    """With one renderer, no format asked for in the URL, and an Accept header that is missing,
    `*/*` or exactly the renderer's media type, DRF's answer is known without parsing the header
    (a cached answer's cost is mostly such steps). Anything else goes through DRF's rules."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if len(renderers) == 1 and format_suffix is None:
            renderer = renderers[0]
            accept = request._request.META.get("HTTP_ACCEPT", "*/*")
            override = self.settings.URL_FORMAT_OVERRIDE
            if accept in ("*/*", renderer.media_type) and (
                not override or override not in request._request.GET
            ):
                return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)

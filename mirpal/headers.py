"""Security headers on every response, and the endpoint browsers report policy violations to.

Django 5.2 has no Content-Security-Policy of its own (it comes in 6.0), so this middleware sends
the one settings.SECURITY_HEADERS describes, with Permissions-Policy and the cross-origin headers
of OWASP's secure-headers list. It sits outside whitenoise, so static files carry them too.
A view changes a directive for its own answer with csp_override() (the partner widget lists the
sites that may frame it).
"""

from __future__ import annotations

import json
import logging
import re
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

logger = logging.getLogger("mirpal.csp")

REPORT_ENDPOINT_NAME = "csp"
# A report is well under 2 kB; a browser's batch of them stays far below this.
REPORT_MAX_BYTES = 32 * 1024
# Reports logged per client address and minute; more are accepted and dropped, so that a
# page stuck in a loop (or someone posting on purpose) cannot fill the logs.
REPORT_LOG_PER_MINUTE = 60
# Fields of a violation worth a log line, in the two formats browsers send (report-uri's
# "csp-report" with dashed names, the Reporting API's "csp-violation" body in camelCase).
REPORT_FIELDS = {
    "document-uri": "documentURL",
    "effective-directive": "effectiveDirective",
    "blocked-uri": "blockedURL",
    "source-file": "sourceFile",
    "line-number": "lineNumber",
    "column-number": "columnNumber",
    "script-sample": "sample",
    "disposition": "disposition",
}


def csp_override(response: HttpResponse, **directives: list[str]) -> HttpResponse:
    """Replace these directives (frame_ancestors=[...]) in the policy of this one response."""
    overrides = getattr(response, "csp_overrides", {})
    overrides.update(
        {name.replace("_", "-"): list(sources) for name, sources in directives.items()}
    )
    response.csp_overrides = overrides
    return response


def _serialise_policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def _serialise_permissions(features: dict[str, list[str]]) -> str:
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy, Permissions-Policy, Cross-Origin-*-Policy and the rest of
    settings.SECURITY_HEADERS on every answer, pages, admin, API, static files and errors."""

    def __init__(self, get_response):
        self.get_response = get_response
        config = settings.SECURITY_HEADERS
        self.csp: dict[str, list[str]] = config["content_security_policy"]
        self.csp_by_content_type: dict[str, dict[str, list[str]]] = config.get(
            "content_security_policy_by_content_type", {}
        )
        self.permissions_policy = _serialise_permissions(config["permissions_policy"])
        self.resource_policy: str = config["cross_origin_resource_policy"]
        self.shared_paths = re.compile(
            "|".join(f"(?:{pattern})" for pattern in config["cross_origin_paths"])
        )
        self.other_headers: dict[str, str] = config.get("headers", {})
        # The serialised policy of each (content type, https) a response without overrides has
        # had: the same few strings on every answer, so joined once.
        self._policies: dict[tuple[str, bool], tuple[str, bool]] = {}

    @cached_property
    def report_url(self) -> str | None:
        """The report view's path; None under a URLconf without it (some tests use one)."""
        try:
            return reverse("csp_report")
        except NoReverseMatch:
            return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code >= 400 and _is_html(response):
            # Django's debug pages carry inline style and script; production error pages
            # (templates/4xx.html, 500.html) do not and get the policy like any page.
            return response
        self._set_policy(request, response)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        shared = self.shared_paths.search(request.path_info) is not None
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", "cross-origin" if shared else self.resource_policy
        )
        for name, value in self.other_headers.items():
            response.headers.setdefault(name, value)
        return response

    def _set_policy(self, request: HttpRequest, response: HttpResponse) -> None:
        if "Content-Security-Policy" in response.headers:
            return
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        secure = request.is_secure()
        overrides = getattr(response, "csp_overrides", None)
        if overrides:
            policy, frames_refused = self._policy(content_type, secure, overrides)
        else:
            key = (content_type if content_type in self.csp_by_content_type else "", secure)
            if key not in self._policies:
                self._policies[key] = self._policy(content_type, secure, {})
            policy, frames_refused = self._policies[key]
        if secure and self.report_url and content_type not in self.csp_by_content_type:
            response.headers["Reporting-Endpoints"] = f'{REPORT_ENDPOINT_NAME}="{self.report_url}"'
        response.headers["Content-Security-Policy"] = policy
        # For browsers older than frame-ancestors, on what Django's clickjacking middleware
        # does not see (static files, answers of the middleware above it).
        if frames_refused and not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", "DENY")

    def _policy(self, content_type: str, secure: bool, overrides: dict) -> tuple[str, bool]:
        """The policy for an answer of this type, and whether it refuses every frame."""
        directives = dict(self.csp_by_content_type.get(content_type, self.csp))
        directives.update(overrides)
        if self.report_url and content_type not in self.csp_by_content_type:
            directives["report-uri"] = [self.report_url]
            # Chromium delivers Reporting API reports over https only, and where report-to is
            # named it ignores report-uri: on plain http (development, tests) every report
            # would be lost. Browsers without report-to (Firefox) use report-uri anyway.
            if secure:
                directives["report-to"] = [REPORT_ENDPOINT_NAME]
        return _serialise_policy(directives), directives.get("frame-ancestors") == ["'none'"]


def _is_html(response: HttpResponse) -> bool:
    return response.headers.get("Content-Type", "").startswith("text/html")


def _violations(payload) -> list[dict]:
    """The violations in a report-uri body ({"csp-report": {...}}) or a Reporting API batch
    ([{"type": "csp-violation", "body": {...}}, ...]), with report-uri's field names."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        return [payload["csp-report"]]
    if not isinstance(payload, list):
        return []
    found = []
    for report in payload:
        if not isinstance(report, dict) or report.get("type") != "csp-violation":
            continue
        body = report.get("body")
        if isinstance(body, dict):
            found.append({dashed: body.get(camel) for dashed, camel in REPORT_FIELDS.items()})
    return found


def _within_log_budget(request: HttpRequest) -> bool:
    key = f"csp-reports:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=60)
    try:
        return cache.incr(key) <= REPORT_LOG_PER_MINUTE
    except ValueError:  # the key expired between add and incr
        return True


@csrf_exempt  # browsers post reports without a token, and no state changes
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log each Content-Security-Policy violation a browser reports; answer 204 No Content."""
    body = request.read(REPORT_MAX_BYTES + 1)
    if len(body) > REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        violations = _violations(json.loads(body))
    except (UnicodeDecodeError, ValueError):
        return HttpResponse(status=400)
    if violations and _within_log_budget(request):
        for violation in violations:
            fields = {name: str(violation.get(name, ""))[:300] for name in REPORT_FIELDS}
            logger.warning(
                "Content-Security-Policy violation: %s blocked %s on %s (%s:%s)",
                fields["effective-directive"] or violation.get("violated-directive", ""),
                fields["blocked-uri"],
                fields["document-uri"],
                fields["source-file"],
                fields["line-number"],
                extra={"csp_violation": fields},
            )
    return HttpResponse(status=204)

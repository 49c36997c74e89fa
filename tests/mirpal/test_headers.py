"""Security headers on every kind of answer (mirpal.headers), and the violation report endpoint.

tests/browser/test_csp.py loads every page under this policy in Chromium.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.contrib import admin
from django.test import Client

from mirpal.models import Topic
from tests.factories.api import PartnerFactory
from tests.factories.library import IssueFactory, pdf_upload
from tests.factories.roster import ExpertFactory, png_bytes

pytestmark = pytest.mark.django_db

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; "
    "report-uri /csp-report/"
)
PERMISSIONS = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "geolocation=(), gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=(), "
    "publickey-credentials-create=(self), publickey-credentials-get=(self)"
)
HEADER_NAMES = (
    "Content-Security-Policy",
    "Reporting-Endpoints",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "Cross-Origin-Embedder-Policy",
    "X-Content-Type-Options",
    "X-Permitted-Cross-Domain-Policies",
    "Referrer-Policy",
    "X-Frame-Options",
)


def expected(*, policy: str = PAGE_POLICY, resource: str = "same-origin", frame: str | None):
    return {
        "Content-Security-Policy": policy,
        "Reporting-Endpoints": 'csp="/csp-report/"' if "report-to" in policy else None,
        "Permissions-Policy": PERMISSIONS,
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": resource,
        "Cross-Origin-Embedder-Policy": "require-corp",
        "X-Content-Type-Options": "nosniff",
        "X-Permitted-Cross-Domain-Policies": "none",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": frame,
    }


def headers_of(response) -> dict[str, str | None]:
    return {name: response.headers.get(name) for name in HEADER_NAMES}


def test_a_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert headers_of(response) == expected(frame="DENY")


def test_over_https_violations_are_also_reported_through_the_reporting_api(client):
    """Chromium uses report-to instead of report-uri where both are named, and delivers to it
    over https only; on http the policy names report-uri alone (tests/browser/test_csp.py)."""
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert headers_of(response) == expected(policy=PAGE_POLICY + "; report-to csp", frame="DENY")


def test_an_admin_page(client, secretariat):
    client.force_login(secretariat)
    response = client.get("/secretariat/admin/members/profile/")
    assert response.status_code == 200
    assert headers_of(response) == expected(frame="DENY")


def test_an_admin_list_without_action_bars_has_its_style_in_a_file(
    client, secretariat, monkeypatch
):
    """Django writes a <style> block into a list whose admin turns both action bars off; the
    site's templates/admin/change_list.html links a stylesheet instead."""
    topics = admin.site._registry[Topic]
    monkeypatch.setattr(topics, "actions_on_top", False)
    monkeypatch.setattr(topics, "actions_on_bottom", False)
    client.force_login(secretariat)
    response = client.get("/secretariat/admin/mirpal/topic/")
    html = response.content.decode()
    assert (response.status_code, "<style" in html) == (200, False)
    assert html.count("/static/css/admin-changelist-without-actions.css") == 1


def test_the_api_docs_page_holds_nothing_inline(client):
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert headers_of(response) == expected(resource="cross-origin", frame="DENY")
    assert ("<style" in html, "<script>" in html, 'src="/api/docs/?script="' in html) == (
        False,
        False,
        True,
    )


def test_an_api_answer_and_a_feed_may_be_read_from_partner_sites(client):
    for path in ("/api/v1/events/", "/api/feeds/events.ics"):
        response = client.get(path)
        assert (path, response.status_code) == (path, 200)
        assert headers_of(response) == expected(resource="cross-origin", frame="DENY")


def test_a_static_file(client):
    response = client.get("/static/css/mirpal.css")
    response.close()
    assert response.status_code == 200
    assert headers_of(response) == expected(resource="cross-origin", frame="DENY")


def test_an_experts_photo_may_be_shown_on_partner_sites(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.base import ContentFile

    expert = ExpertFactory()
    expert.photo.save("photo.png", ContentFile(png_bytes()))
    response = client.get(f"/members/experts/{expert.pk}/photo/")
    assert response.status_code == 200
    assert headers_of(response) == expected(resource="cross-origin", frame="DENY")


def test_the_widget_may_be_framed_by_the_partners_sites_only(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.iom.example"]
    PartnerFactory(allowed_origins=["https://partner.example", "https://ngo.example/"])
    PartnerFactory(allowed_origins=["https://gone.example"], is_active=False)
    # Not origins: they would add sources or a directive to the policy.
    PartnerFactory(allowed_origins=["https://x.example; script-src *", "https://y.example *"])
    response = client.get("/api/widget/events/?country=KZ")
    assert response.status_code == 200
    policy = PAGE_POLICY.replace(
        "frame-ancestors 'none'",
        "frame-ancestors https://ngo.example https://partner.example https://www.iom.example",
    )
    assert headers_of(response) == expected(policy=policy, resource="cross-origin", frame=None)


def test_without_partners_the_widget_may_be_framed_by_nobody(client):
    response = client.get("/api/widget/events/")
    assert headers_of(response) == expected(resource="cross-origin", frame=None)


def test_a_pdf_keeps_only_frame_ancestors_so_that_chromium_can_show_it(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PROTECTED_MEDIA_ROOT = tmp_path / "protected"
    issue = IssueFactory(pdf=pdf_upload("Migration 21"))
    response = client.get(f"/library/issues/{issue.number}/pdf/")
    response.close()
    assert response.status_code == 200
    assert headers_of(response) == expected(policy="frame-ancestors 'none'", frame="DENY")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/no-such-page/", 404),
        ("/members/applications/", 403),
        ("/?q=%00", 400),
        ("/failing/", 500),
        ("/library/search/", 405),
    ],
)
def test_error_pages(settings, editor, path, status):
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.mirpal.urls_with_error"
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    response = client.post(path) if status == 405 else client.get(path)
    assert response.status_code == status
    assert headers_of(response) == expected(frame="DENY")


# --- The report endpoint.

REPORT_URI_BODY = {
    "csp-report": {
        "document-uri": "https://mirpal.example/events/",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": PAGE_POLICY,
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "https://mirpal.example/events/",
        "status-code": 200,
        "script-sample": "",
    }
}
REPORTING_API_BODY = [
    {
        "age": 3,
        "type": "csp-violation",
        "url": "https://mirpal.example/library/",
        "user_agent": "Chromium",
        "body": {
            "documentURL": "https://mirpal.example/library/",
            "effectiveDirective": "img-src",
            "blockedURL": "https://tracker.example/pixel.gif",
            "disposition": "enforce",
            "sourceFile": None,
            "lineNumber": 0,
            "columnNumber": 0,
            "sample": "",
            "statusCode": 200,
        },
    },
    {"type": "deprecation", "body": {"id": "something"}},
]


def logged(caplog) -> list[dict]:
    return [r.csp_violation for r in caplog.records if r.name == "mirpal.csp"]


def test_a_report_uri_report_is_logged(client, caplog):
    caplog.set_level(logging.WARNING, logger="mirpal.csp")
    response = client.post(
        "/csp-report/", json.dumps(REPORT_URI_BODY), content_type="application/csp-report"
    )
    assert (response.status_code, response.content) == (204, b"")
    assert logged(caplog) == [
        {
            "document-uri": "https://mirpal.example/events/",
            "effective-directive": "script-src-elem",
            "blocked-uri": "inline",
            "source-file": "https://mirpal.example/events/",
            "line-number": "12",
            "column-number": "",
            "script-sample": "",
            "disposition": "enforce",
        }
    ]
    assert caplog.records[-1].getMessage() == (
        "Content-Security-Policy violation: script-src-elem blocked inline on "
        "https://mirpal.example/events/ (https://mirpal.example/events/:12)"
    )


def test_a_reporting_api_batch_is_logged(client, caplog):
    caplog.set_level(logging.WARNING, logger="mirpal.csp")
    response = client.post(
        "/csp-report/", json.dumps(REPORTING_API_BODY), content_type="application/reports+json"
    )
    assert response.status_code == 204
    assert logged(caplog) == [
        {
            "document-uri": "https://mirpal.example/library/",
            "effective-directive": "img-src",
            "blocked-uri": "https://tracker.example/pixel.gif",
            "source-file": "None",
            "line-number": "0",
            "column-number": "0",
            "script-sample": "",
            "disposition": "enforce",
        }
    ]


def test_reports_are_size_limited_and_must_be_json(client, caplog):
    caplog.set_level(logging.WARNING, logger="mirpal.csp")
    padded = dict(REPORT_URI_BODY, padding="x" * 40_000)
    answers = [
        client.post("/csp-report/", json.dumps(padded), content_type="application/csp-report"),
        client.post("/csp-report/", "not json", content_type="application/csp-report"),
        client.post("/csp-report/", b"\xff\xfe", content_type="application/csp-report"),
        client.get("/csp-report/"),
    ]
    assert [answer.status_code for answer in answers] == [413, 400, 400, 405]
    assert logged(caplog) == []


def test_one_address_cannot_flood_the_log(client, caplog):
    caplog.set_level(logging.WARNING, logger="mirpal.csp")
    body = json.dumps(REPORT_URI_BODY)
    statuses = {
        client.post("/csp-report/", body, content_type="application/csp-report").status_code
        for _ in range(65)
    }
    assert statuses == {204}
    assert len(logged(caplog)) == 60

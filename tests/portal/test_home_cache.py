"""The home page's sections come from a cache shared by every visitor of one language and time
zone: a change made through the secretariat's pages shows on the next request, and a cached page
asks the database nothing."""

import datetime
import io
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mirpal.models import AuditAction, AuditEntry
from portal.models import Supporter
from tests.factories.events import EventFactory
from tests.factories.library import ArticleFactory, DocumentFactory, IssueFactory
from tests.factories.members import ProfileFactory, UserFactory
from tests.factories.roster import ExpertFactory
from tests.members.signing_in import post_form, staff_signed_in

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 4), (11, 92, 138)).save(buffer, format="PNG")
    return buffer.getvalue()


def figures(response) -> list[str]:
    block = re.search(r'<div class="figures">(.*?)</div>', response.content.decode(), re.S)[1]
    return [" ".join(re.sub(r"<[^>]+>", "", p).split()) for p in re.findall(r"<p>.*?</p>", block)]


def test_an_application_approved_shows_in_the_figures_on_the_next_request(secretariat):
    for country in ("KG", "TJ"):
        ProfileFactory(country=country)
    applicant = ProfileFactory(status="pending", country="UZ", user=UserFactory())
    visitor = Client()
    # The secretariat's own profile counts too (Russia).
    assert figures(visitor.get(HOME)) == ["3 members", "3 countries"]
    assert figures(visitor.get(HOME)) == ["3 members", "3 countries"]

    staff = staff_signed_in(secretariat)
    decided = post_form(
        staff, reverse("members:applications"), {"profiles": [applicant.pk], "decision": "approved"}
    )
    assert decided["Location"] == reverse("members:applications")

    assert figures(visitor.get(HOME)) == ["4 members", "4 countries"]
    assert figures(visitor.get(HOME, headers={"accept-language": "ru"})) == [
        "4 участника",
        "4 страны",
    ]


@pytest.mark.parametrize("count", [1, 30])
def test_a_second_visit_asks_the_database_nothing(count, django_assert_num_queries):
    for _number in range(count):
        ProfileFactory(country="AM")
    visitor = Client()
    # Figures, events, the issue, documents, experts, partners: one query each (no issue, so no
    # articles to prefetch).
    with django_assert_num_queries(6):
        first = visitor.get(HOME)
    with django_assert_num_queries(0):
        second = visitor.get(HOME)
    assert (
        figures(first)
        == figures(second)
        == [f"{count} members" if count > 1 else "1 member", "1 country"]
    )


@pytest.mark.parametrize("count", [1, 4])
def test_a_full_home_page_costs_the_same_queries_whatever_its_rows(
    count, django_assert_num_queries, django_assert_max_num_queries
):
    """Every section filled, at two sizes: seven queries (the issue's articles are the seventh)
    on the first visit, none on the next, for a visitor and a member alike."""
    for number in range(count):
        EventFactory(kind="seminar" if number % 2 else "video_conference")
        ExpertFactory(photo=f"experts/photos/{number}.jpg")
        DocumentFactory()
        Supporter.objects.create(name_en=f"P{number}", name_ru=f"П{number}", kind="partner")
        Supporter.objects.create(name_en=f"D{number}", name_ru=f"Д{number}", kind="donor")
    ArticleFactory.create_batch(count, issue=IssueFactory())
    with django_assert_num_queries(7):
        Client().get(HOME)
    with django_assert_num_queries(0):
        Client().get(HOME)
    viewer = ProfileFactory().user
    member = Client()
    member.force_login(viewer)
    # The session, the user and the profile, for the time zone: the sections come from the cache
    # unless the member's zone is one no visitor used before (Asia/Almaty is the factories').
    with django_assert_max_num_queries(3 + 7):
        member.get(HOME)
    with django_assert_max_num_queries(3):
        member.get(HOME)


def test_a_document_added_through_the_admin_shows_on_the_next_request(client_for):
    visitor = Client()
    assert "New in the library" not in visitor.get(HOME).content.decode()
    response = client_for("secretariat").post(
        reverse("admin:library_document_add"),
        {
            "kind": "study",
            "title_en": "Remittance costs in Central Asia",
            "title_ru": "",
            "slug": "",
            "language": "en",
            "published_on": "2025-02-01",
            "abstract_en": "",
            "abstract_ru": "",
            "authors_text": "",
            "publisher": "",
            "countries": [],
            "access": "public",
            "external_url": "https://example.org/costs",
            "event": "",
        },
    )
    assert response.status_code == 302
    html = visitor.get(HOME).content.decode()
    assert re.findall(
        r'<section class="home-section home-documents".*?<a href="[^"]+">(.*?)</a>', html, re.S
    ) == ["Remittance costs in Central Asia"]


def test_an_event_leaves_the_home_page_when_it_starts():
    """No write tells the cache that an event began: the section is kept only until then."""
    EventFactory(title_en="Starting soon", starts_at=timezone.now() + datetime.timedelta(seconds=2))
    EventFactory(title_en="Next month", starts_at=timezone.now() + datetime.timedelta(days=30))
    visitor = Client()
    assert "Starting soon" in visitor.get(HOME).content.decode()
    time.sleep(2.5)
    html = visitor.get(HOME).content.decode()
    assert "Starting soon" not in html
    assert "Next month" in html


def test_a_partner_added_through_the_admin_with_a_logo_shows_on_the_next_request(
    client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    visitor = Client()
    assert "Partners and donors" not in visitor.get(HOME).content.decode()
    response = client_for("secretariat").post(
        reverse("admin:portal_supporter_add"),
        {
            "name_en": "International Labour Organization",
            "name_ru": "Международная организация труда",
            "kind": "partner",
            "url": "www.ilo.org",
            "logo": SimpleUploadedFile("ILO logo (final).PNG", png()),
            "position": "1",
            "is_shown": "on",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    partner = Supporter.objects.get()
    assert partner.url == "https://www.ilo.org"
    assert re.fullmatch(r"partners/[0-9a-f]{32}\.png", partner.logo.name)
    entry = AuditEntry.objects.get(object_type="portal.Supporter")
    assert (entry.action, entry.object_id) == (AuditAction.CREATE, str(partner.pk))

    html = visitor.get(HOME, headers={"accept-language": "ru"}).content.decode()
    shown = re.search(r'<li class="card home-supporter">(.*?)</li>', html, re.S)[1]
    logo = re.search(r'<img src="([^"]+)"', shown)[1]
    assert logo.startswith(f"/partners/{partner.pk}/logo/?v=")
    assert re.sub(r"<[^>]+>", "", shown).strip() == "Международная организация труда"
    served = visitor.get(logo)
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert b"".join(served.streaming_content) == png()


def test_a_logo_that_is_not_a_picture_is_refused(client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client_for("secretariat").post(
        reverse("admin:portal_supporter_add"),
        {
            "name_en": "Partner",
            "name_ru": "Партнёр",
            "kind": "partner",
            "url": "",
            "logo": SimpleUploadedFile("logo.png", b"MZ\x90\x00 an executable"),
            "position": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["logo"] == [
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ]
    assert Supporter.objects.count() == 0


def test_a_hidden_partner_leaves_the_home_page(client_for):
    partner = Supporter.objects.create(name_en="Gone", name_ru="Ушедший", kind="donor")
    visitor = Client()
    assert "Gone" in visitor.get(HOME).content.decode()
    response = client_for("secretariat").post(
        reverse("admin:portal_supporter_change", args=[partner.pk]),
        {"name_en": "Gone", "name_ru": "Ушедший", "kind": "donor", "url": "", "position": "0"},
    )
    assert response.status_code == 302
    assert "Gone" not in visitor.get(HOME).content.decode()
    # Without a logo there is none to serve.
    assert visitor.get(reverse("supporter_logo", args=[partner.pk])).status_code == 404


def test_the_buttons_follow_the_viewer_while_the_figures_are_shared(member):
    anonymous = Client().get(HOME).content.decode()
    signed_in = Client()
    signed_in.force_login(member)
    page = signed_in.get(HOME).content.decode()
    assert "Apply to join the network" in anonymous
    assert "Apply to join the network" not in page
    assert (
        re.search(r'<div class="figures">.*?</div>', anonymous, re.S)[0]
        == re.search(r'<div class="figures">.*?</div>', page, re.S)[0]
    )

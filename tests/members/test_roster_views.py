"""The public roster and each expert's page: filters, search, query counts, privacy."""

import csv
import io
import random
import re

import pytest
from django.urls import reverse
from PIL import Image

from members.models import Expert
from mirpal.models import Topic
from tests.factories.roster import ExpertFactory, ExpertRequestFactory, photo_upload

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "applicant", "member", "secretariat")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def roster():
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    return {
        "amina": ExpertFactory(
            name_en="Amina Rahimova",
            name_ru="Амина Рахимова",
            topics=[topics["remittances"]],
            countries=["TJ", "UZ"],
            languages=["ru", "tg"],
            help_kinds=["video_conference"],
            affiliation_en="Centre for Remittance Studies",
        ),
        "marco": ExpertFactory(
            name_en="Marco Bellini",
            name_ru="Марко Беллини",
            topics=[topics["border-management"]],
            countries=["MD", "IT"],
            languages=["en", "fr"],
            help_kinds=["field_visit", "training"],
            bio_en="Trains border guards.",
        ),
        "helen": ExpertFactory(
            name_en="Helen Whitaker",
            name_ru="Хелен Уитакер",
            topics=[topics["labour-migration"], topics["remittances"]],
            countries=["KZ", "PH"],
            languages=["en", "ru"],
            help_kinds=["field_visit", "written_review"],
        ),
        "hidden": ExpertFactory(
            name_en="Hidden Person",
            name_ru="Скрытый Эксперт",
            topics=[topics["remittances"]],
            is_listed=False,
        ),
    }


def _names(client, query=""):
    page = client.get(reverse("members:experts") + query).content.decode()
    return re.findall(r'<h2><a href="/members/experts/\d+/">([^<]+)</a></h2>', page)


@pytest.mark.parametrize(
    ("query", "names"),
    [
        # By family name: Bellini, Rahimova, Whitaker.
        ("", ["Marco Bellini", "Amina Rahimova", "Helen Whitaker"]),
        ("?topic=remittances", ["Amina Rahimova", "Helen Whitaker"]),
        ("?country=PH", ["Helen Whitaker"]),
        ("?country=IT", ["Marco Bellini"]),
        ("?language=ru", ["Amina Rahimova", "Helen Whitaker"]),
        ("?help_kind=field_visit", ["Marco Bellini", "Helen Whitaker"]),
        ("?topic=remittances&help_kind=field_visit", ["Helen Whitaker"]),
        ("?topic=remittances&country=TJ&language=tg", ["Amina Rahimova"]),
        ("?q=bellini", ["Marco Bellini"]),
        ("?q=Рахимова", ["Amina Rahimova"]),
        ("?q=remittance+centre", ["Amina Rahimova"]),
        ("?q=border+guards", ["Marco Bellini"]),
        ("?q=nobody", []),
        ("?country=ZZ", ["Marco Bellini", "Amina Rahimova", "Helen Whitaker"]),
    ],
)
def test_filters_and_search(client, roster, query, names):
    assert _names(client, query) == names


def test_roster_in_russian_orders_and_names_in_russian(client, roster):
    client.cookies["mirpal_language"] = "ru"
    page = client.get(reverse("members:experts") + "?country=TJ").content.decode()
    assert re.findall(r'<h2><a href="/members/experts/\d+/">([^<]+)</a></h2>', page) == [
        "Амина Рахимова"
    ]
    assert "Таджикистан, Узбекистан" in page
    assert _names(client) == ["Марко Беллини", "Амина Рахимова", "Хелен Уитакер"]


@pytest.mark.parametrize("count", [1, 30])
def test_roster_list_query_count_is_constant(client, django_assert_num_queries, count):
    topics = list(Topic.objects.all()[:3])
    ExpertFactory.create_batch(count, topics=topics, countries=["KZ", "UZ"], languages=["ru"])
    # Filter topics, count, page of experts, their topics.
    with django_assert_num_queries(4):
        response = client.get(reverse("members:experts") + "?language=ru")
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(count, 24)


@pytest.mark.parametrize("count", [1, 30])
def test_roster_list_query_count_for_a_member(client_for, django_assert_num_queries, count):
    ExpertFactory.create_batch(count, topics=list(Topic.objects.all()[:2]))
    client = client_for("member")
    # The member with their profile (the session and permissions are in the cache), then as
    # for anonymous visitors.
    with django_assert_num_queries(5):
        assert client.get(reverse("members:experts")).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_contact_details_only_for_the_secretariat(client_for, roster, role):
    client = client_for(role)
    amina = roster["amina"]
    listing = client.get(reverse("members:experts")).content.decode()
    detail = client.get(reverse("members:expert_detail", args=[amina.pk])).content.decode()
    assert amina.contact_email not in listing
    assert amina.contact_phone not in listing
    assert "Amina Rahimova" in detail
    if role == "secretariat":
        assert amina.contact_email in detail
        assert amina.contact_phone in detail
    else:
        assert amina.contact_email not in detail
        assert amina.contact_phone not in detail
        assert "Contact details" not in detail


@pytest.mark.parametrize("role", ["applicant", "member"])
def test_contact_details_absent_from_the_requests_pages(client_for, roster, role, member):
    matched = ExpertRequestFactory(
        requester=member, matched_expert=roster["amina"], status="matched"
    )
    client = client_for(role)
    pages = [client.get(reverse("members:expert_requests")).content.decode()]
    if role == "member":
        detail = client.get(reverse("members:expert_request_detail", args=[matched.pk]))
        pages.append(detail.content.decode())
        assert "Amina Rahimova" in pages[-1]
    for page in pages:
        assert roster["amina"].contact_email not in page
        assert roster["amina"].contact_phone not in page


def test_unlisted_expert_only_for_the_secretariat(client_for, roster):
    url = reverse("members:expert_detail", args=[roster["hidden"].pk])
    assert client_for("member").get(url).status_code == 404
    page = client_for("secretariat").get(url).content.decode()
    assert "Not shown on the public roster" in page


def test_photo_is_served_and_shown(client, media_root):
    expert = ExpertFactory(photo=photo_upload("amina.png"))
    expert.full_clean()
    expert.save()
    detail = client.get(reverse("members:expert_detail", args=[expert.pk])).content.decode()
    photo_url = reverse("members:expert_photo", args=[expert.pk])
    assert f'src="{photo_url}?v=' in detail
    response = client.get(photo_url)
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert response.content.startswith(b"\x89PNG")


def test_expert_page_lists_contributions_once_a_relation_exists(client, roster, monkeypatch):
    """The events and library apps add `events_spoken` / `documents_written`; until then the
    page shows neither list, and once one exists its items appear."""
    amina = roster["amina"]
    url = reverse("members:expert_detail", args=[amina.pk])
    assert "Events they spoke at" not in client.get(url).content.decode()
    # Stand in for Event.speakers with a real reverse relation of the same shape.
    request = ExpertRequestFactory(matched_expert=amina, status="matched")
    monkeypatch.setattr(
        Expert, "events_spoken", property(lambda expert: expert.matched_requests), raising=False
    )
    page = client.get(url).content.decode()
    assert "Events they spoke at" in page
    assert f'<a href="/members/experts/requests/{request.pk}/">' in page
    assert "Documents they wrote" not in page


def test_csv_export_for_the_secretariat(client_for, roster):
    response = client_for("secretariat").get(reverse("members:experts_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "name_en", "name_ru"]
    by_name = {row[1]: row for row in rows[1:]}
    assert sorted(by_name) == ["Amina Rahimova", "Helen Whitaker", "Hidden Person", "Marco Bellini"]
    amina = by_name["Amina Rahimova"]
    assert amina[5:9] == ["remittances", "TJ UZ", "ru tg", "video_conference"]
    assert amina[9] == roster["amina"].contact_email
    assert by_name["Hidden Person"][-1] == "no"


def test_csv_export_neutralises_formulas(client_for):
    ExpertFactory(name_en='=HYPERLINK("http://evil")', name_ru="Эксперт")
    response = client_for("secretariat").get(reverse("members:experts_export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize("role", ["applicant", "member"])
def test_csv_export_refused_to_others(client_for, role):
    assert client_for(role).get(reverse("members:experts_export")).status_code == 403


def test_admin_export_action(client_for, roster):
    response = client_for("secretariat").post(
        reverse("admin:members_expert_changelist"),
        {"action": "export_csv", "_selected_action": [roster["amina"].pk, roster["marco"].pk]},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows[1:]] == ["Amina Rahimova", "Marco Bellini"]


def _admin_add_data(**overrides):
    data = {
        "name_en": "New Expert",
        "name_ru": "Новый Эксперт",
        "is_listed": "on",
        "countries": ["KZ"],
        "languages": "ru",
        "help_kinds": "training",
        "topics": [Topic.objects.get(slug="gender").pk],
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        "links-0-label": "Site",
        "links-0-url": "https://example.org/new",
        "links-0-position": "0",
    }
    return {**data, **overrides}


def test_admin_adds_an_expert(client_for, media_root):
    response = client_for("secretariat").post(
        reverse("admin:members_expert_add"), _admin_add_data(photo=photo_upload("new.png"))
    )
    assert response.status_code == 302
    expert = Expert.objects.get()
    assert (expert.name_en, expert.languages, expert.help_kinds) == (
        "New Expert",
        ["ru"],
        ["training"],
    )
    assert list(expert.links.values_list("url", flat=True)) == ["https://example.org/new"]
    assert expert.photo.name == "experts/photos/new.png"

    # The change form links the current photo to the roster's photo view, not to /media/.
    change = client_for("secretariat").get(reverse("admin:members_expert_change", args=[expert.pk]))
    photo_url = reverse("members:expert_photo", args=[expert.pk])
    assert f'href="{photo_url}"' in change.content.decode()
    assert "/media/" not in change.content.decode()
    assert client_for("secretariat").get(photo_url).status_code == 200


def test_admin_refuses_an_oversized_photo_and_saves_nothing(client_for, media_root, settings):
    settings.EXPERT_PHOTO_MAX_BYTES = 1024 * 1024
    # A real PNG of noise, so only its size is wrong.
    noise = Image.frombytes("RGB", (800, 800), random.Random(1).randbytes(800 * 800 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG")
    size = f"{len(buffer.getvalue()) / 1048576:.1f}"
    assert float(size) > 1.0
    response = client_for("secretariat").post(
        reverse("admin:members_expert_add"),
        _admin_add_data(photo=photo_upload("big.png", buffer.getvalue())),
    )
    assert response.status_code == 200
    assert f"The photo is {size} MB; the largest allowed is 1 MB." in response.content.decode()
    assert Expert.objects.count() == 0
    assert list(media_root.rglob("*.png")) == []


def test_admin_refuses_a_file_that_is_not_an_image(client_for, media_root):
    fake = photo_upload("fake.png", content=b"MZ\x90\x00 an executable")
    response = client_for("secretariat").post(
        reverse("admin:members_expert_add"), _admin_add_data(photo=fake)
    )
    assert response.status_code == 200
    assert Expert.objects.count() == 0
    assert "Upload a valid image." in response.content.decode()


def test_the_admins_expert_form_in_russian_asks_for_a_persons_name(client_for):
    client = client_for("secretariat")
    page = client.get(reverse("admin:members_expert_add"), HTTP_ACCEPT_LANGUAGE="ru")
    assert page.status_code == 200
    text = page.content.decode()
    # "Имя" for a person; "название" is a topic's or an organisation's.
    assert 'for="id_name_en">Имя на английском:</label>' in text
    assert 'for="id_name_ru">Имя на русском:</label>' in text

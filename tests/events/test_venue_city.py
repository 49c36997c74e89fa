"""The venue's city in the reader's language: typed in Russian by the secretariat in the admin,
shown on Russian pages, in Russian mail and by the API to a Russian reader."""

import pytest
from django.test import Client
from django.urls import reverse

from demo import events as demo
from demo import members as members_demo
from events.models import Event
from tests.events.admin_forms import event_form_data
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def visit(language: str) -> Client:
    client = Client()
    client.cookies["mirpal_language"] = language
    return client


@pytest.fixture
def field_visit():
    return EventFactory(
        kind="field_visit",
        title_en="Field visit",
        title_ru="Выездное посещение",
        venue_city="Chisinau",
        venue_country="MD",
        venue_address="",
        platform="",
        join_url="",
    )


def test_the_secretariat_types_the_russian_name_in_the_admin(secretariat, field_visit):
    client = Client()
    client.force_login(secretariat)
    url = reverse("admin:events_event_change", args=[field_visit.pk])
    assert 'name="venue_city_ru"' in client.get(url).content.decode()
    response = client.post(url, event_form_data(field_visit, venue_city_ru="Кишинёв"))
    assert response.status_code == 302
    stored = Event.objects.get(pk=field_visit.pk)
    assert (stored.venue_city, stored.venue_city_ru) == ("Chisinau", "Кишинёв")


def test_pages_show_the_city_in_the_readers_language(field_visit):
    field_visit.venue_city_ru = "Кишинёв"
    field_visit.save()
    russian = visit("ru").get(field_visit.get_absolute_url()).content.decode()
    english = visit("en").get(field_visit.get_absolute_url()).content.decode()
    assert '<dd>Кишинёв, <a href="/countries/md/">Молдова</a></dd>' in russian
    assert "Chisinau" not in russian
    assert '<dd>Chisinau, <a href="/countries/md/">Moldova</a></dd>' in english

    card = visit("ru").get(reverse("events:list")).content.decode()
    assert " · Кишинёв" in card
    assert "Chisinau" not in card
    assert " · Chisinau" in visit("en").get(reverse("events:list")).content.decode()


def test_without_a_russian_name_the_city_shows_as_typed(field_visit):
    assert (
        '<dd>Chisinau, <a href="/countries/md/">Молдова</a></dd>'
        in visit("ru").get(field_visit.get_absolute_url()).content.decode()
    )


def test_the_api_serves_the_city_in_the_requests_language(client, field_visit):
    field_visit.venue_city_ru = "Кишинёв"
    field_visit.save()
    url = f"/api/v1/events/{field_visit.slug}/"
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="ru").json()["venue_city"] == "Кишинёв"
    assert client.get(url).json()["venue_city"] == "Chisinau"


def test_the_ics_location_names_the_city_in_the_readers_language(field_visit):
    field_visit.venue_city_ru = "Кишинёв"
    field_visit.save()
    url = reverse("events:ics", kwargs={"slug": field_visit.slug})
    russian = visit("ru").get(url).content.decode()
    english = visit("en").get(url).content.decode()
    assert "LOCATION:Кишинёв\\, Молдова" in russian
    assert "LOCATION:Chisinau\\, Moldova" in english


def test_the_demo_venues_have_their_russian_names():
    members_demo.load(members=20)
    demo.load(events=42)
    cities = set(
        Event.objects.exclude(venue_city="").values_list("venue_city", "venue_city_ru").distinct()
    )
    assert cities == {
        ("Almaty", "Алматы"),
        ("Bishkek", "Бишкек"),
        ("Chisinau", "Кишинёв"),
        ("Dushanbe", "Душанбе"),
        ("Tashkent", "Ташкент"),
    }

import icalendar
import pytest

from events.enums import EventStatus
from mirpal.models import Topic
from tests.factories.events import EventFactory
from tests.factories.library import DocumentFactory, IssueFactory

pytestmark = pytest.mark.django_db


def test_events_ics_filters_by_country_and_topic_without_join_links(client):
    remittances = Topic.objects.get(slug="remittances")
    kz = EventFactory(countries=["KZ"], title_en="Kazakh event", topics=[remittances])
    EventFactory(countries=["TJ"], title_en="Tajik event")
    EventFactory(status=EventStatus.DRAFT, countries=["KZ"], title_en="Draft event")

    def summaries(query: str) -> list[str]:
        response = client.get("/api/feeds/events.ics" + query)
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert kz.join_url not in response.content.decode()
        assert kz.passcode not in response.content.decode()
        cal = icalendar.Calendar.from_ical(response.content)
        return sorted(str(c["summary"]) for c in cal.walk("VEVENT"))

    assert summaries("") == ["Kazakh event", "Tajik event"]
    assert summaries("?country=KZ") == ["Kazakh event"]
    assert summaries("?topic=remittances") == ["Kazakh event"]
    assert summaries("?country=TJ&topic=remittances") == []
    assert client.get("/api/feeds/events.ics?country=QQ").status_code == 400
    assert client.get("/api/feeds/events.ics?topic=nothing").status_code == 400


def test_library_feeds_list_issues_and_public_documents(client):
    IssueFactory(title_en="Spring issue")
    DocumentFactory(title_en="Open study", title_ru="Открытое исследование")
    DocumentFactory(title_en="Closed study", access="members")
    rss = client.get("/api/feeds/library.rss").content.decode()
    assert "Spring issue" in rss
    assert "Open study" in rss
    assert "Closed study" not in rss
    atom = client.get("/api/feeds/library.atom?lang=ru").content.decode()
    assert '<feed xml:lang="ru"' in atom
    assert "Открытое исследование" in atom
    assert "Closed study" not in atom


def test_widget_can_be_framed_and_speaks_the_chosen_language(client):
    EventFactory(
        countries=["KZ"],
        title_en="Almaty seminar",
        title_ru="Семинар в Алматы",
        venue_city="Almaty",
        venue_city_ru="Алматы",
    )
    EventFactory(countries=["TJ"], title_en="Dushanbe seminar")
    response = client.get("/api/widget/events/?country=KZ&lang=ru")
    body = response.content.decode()
    assert "X-Frame-Options" not in response
    assert "Семинар в Алматы" in body
    assert " · Алматы</p>" in body
    assert " · Almaty</p>" in client.get("/api/widget/events/?country=KZ&lang=en").content.decode()
    assert "Dushanbe" not in body
    assert '<html lang="ru">' in body
    assert client.get("/events/")["X-Frame-Options"] == "DENY"
    assert client.get("/api/v1/events/")["X-Frame-Options"] == "DENY"
    assert client.get("/api/widget/events/?topic=nothing").status_code == 400


def test_docs_page_served_without_cdn(client):
    body = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
    schema = client.get("/api/schema/?format=json").json()
    assert sorted(schema["paths"]) == [
        "/api/v1/articles/",
        "/api/v1/articles/{id}/",
        "/api/v1/cases/",
        "/api/v1/cases/{slug}/",
        "/api/v1/collections/",
        "/api/v1/collections/{slug}/",
        "/api/v1/countries/",
        "/api/v1/documents/",
        "/api/v1/documents/{id}/",
        "/api/v1/events/",
        "/api/v1/events/{slug}/",
        "/api/v1/experts/",
        "/api/v1/experts/{id}/",
        "/api/v1/issues/",
        "/api/v1/issues/{number}/",
        "/api/v1/me/registrations/",
        "/api/v1/me/registrations/{event}/",
        "/api/v1/me/token/",
        "/api/v1/me/token/revoke/",
        "/api/v1/programme/activities/",
        "/api/v1/programme/activities/{id}/",
        "/api/v1/search/",
        "/api/v1/topics/",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{id}/",
    ]
    responses = schema["paths"]["/api/v1/events/"]["get"]["responses"]
    assert sorted(responses) == ["200", "304", "400", "401", "403", "404", "429"]
    for path in ("/api/v1/cases/", "/api/v1/collections/", "/api/v1/programme/activities/"):
        responses = schema["paths"][path]["get"]["responses"]
        assert sorted(responses) == ["200", "304", "400", "401", "403", "404", "429"]
    case = schema["components"]["schemas"]["CaseDetail"]["properties"]
    assert {"legal_basis_en", "lessons_ru", "documents", "events", "contacts"} <= set(case)
    assert "contact_members" not in case

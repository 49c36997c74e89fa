import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from events.services import feed_token_get_or_create
from mirpal.models import Topic
from tests.factories.events import (
    EventFactory,
    RegistrationFactory,
    SeriesFactory,
    SessionFactory,
    in_days,
)
from tests.factories.members import ProfileFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db

MARCH_12_2030 = datetime.datetime(2030, 3, 12, 10, 0, tzinfo=datetime.UTC)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(html: str, css_class: str) -> str:
    match = re.search(rf'<dd class="{css_class}">(.*?)</dd>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def titles(response) -> list[str]:
    return re.findall(r'<h2><a href="/events/[^"]+/">([^<]+)</a></h2>', response.content.decode())


# --- Time zones


@pytest.mark.parametrize(
    ("zone", "language", "viewer", "own"),
    [
        ("Europe/Moscow", "en", "12 March 2030, 13:00–15:00 (Moscow time, UTC+3)", ""),
        (
            "Asia/Almaty",
            "en",
            "12 March 2030, 15:00–17:00 (Astana and Almaty time, UTC+5)",
            "12 March 2030, 13:00–15:00 (Moscow time, UTC+3)",
        ),
        (
            "Europe/Chisinau",
            "en",
            "12 March 2030, 12:00–14:00 (Chisinau time, UTC+2)",
            "12 March 2030, 13:00–15:00 (Moscow time, UTC+3)",
        ),
        (
            "Asia/Almaty",
            "ru",
            "12 марта 2030, 15:00–17:00 (время Астаны и Алматы, UTC+5)",
            "12 марта 2030, 13:00–15:00 (время Москвы, UTC+3)",
        ),
    ],
)
def test_one_event_seen_from_moscow_almaty_and_chisinau(zone, language, viewer, own):
    event = EventFactory(
        starts_at=MARCH_12_2030,
        ends_at=MARCH_12_2030 + datetime.timedelta(hours=2),
        time_zone="Europe/Moscow",
    )
    user = ProfileFactory(status="approved", time_zone=zone).user
    client = signed_in(user)
    client.cookies["mirpal_language"] = language
    html = client.get(event.get_absolute_url()).content.decode()
    assert text_of(html, "time-viewer") == viewer
    assert text_of(html, "time-event") == own
    differ_note = "which is not your time zone" in html or "не совпадает с вашим" in html
    assert differ_note == bool(own)


def test_anonymous_visitor_sees_the_browser_zone_from_the_cookie():
    event = EventFactory(
        starts_at=MARCH_12_2030, ends_at=MARCH_12_2030 + datetime.timedelta(hours=1)
    )
    client = Client()
    client.cookies["mirpal_tz"] = "Asia/Tashkent"
    html = client.get(event.get_absolute_url()).content.decode()
    assert text_of(html, "time-viewer") == "12 March 2030, 15:00–16:00 (Tashkent time, UTC+5)"


@pytest.mark.parametrize(
    ("cookie", "shown"),
    [
        # As static/js/timezone.js writes it: encodeURIComponent turns the slash into %2F.
        ("Asia%2FTashkent", "12 March 2030, 15:00–16:00 (Tashkent time, UTC+5)"),
        (
            "America%2FArgentina%2FBuenos_Aires",
            "12 March 2030, 07:00–08:00 (Buenos Aires, UTC−3)",
        ),
        # Not a zone, or not even text: the page keeps UTC and names it once.
        ("Not%2FAZone", "12 March 2030, 10:00–11:00 (UTC)"),
        ("%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "12 March 2030, 10:00–11:00 (UTC)"),
        ("Asia%FFTashkent", "12 March 2030, 10:00–11:00 (UTC)"),
        ("", "12 March 2030, 10:00–11:00 (UTC)"),
    ],
)
def test_browser_zone_cookie_is_read_as_the_browser_writes_it(cookie, shown):
    event = EventFactory(
        starts_at=MARCH_12_2030,
        ends_at=MARCH_12_2030 + datetime.timedelta(hours=1),
        time_zone="Europe/Moscow",
    )
    client = Client()
    client.cookies["mirpal_tz"] = cookie
    html = client.get(event.get_absolute_url()).content.decode()
    assert text_of(html, "time-viewer") == shown


def test_viewer_in_utc_sees_each_zone_named_once_in_the_note():
    event = EventFactory(
        starts_at=MARCH_12_2030,
        ends_at=MARCH_12_2030 + datetime.timedelta(hours=1),
        time_zone="Europe/Moscow",
    )
    html = Client().get(event.get_absolute_url()).content.decode()
    assert text_of(html, "time-event") == "12 March 2030, 13:00–14:00 (Moscow time, UTC+3)"
    note = re.search(r'<p class="zone-note" role="note">(.*?)</p>', html, re.S).group(1)
    assert note == (
        "Note: the event keeps its own time zone (Moscow time, UTC+3), which is not your"
        " time zone (UTC). “Your time” above is already converted for you."
    )


def test_multi_day_event_shows_both_dates():
    start = datetime.datetime(2030, 9, 20, 6, 0, tzinfo=datetime.UTC)
    event = EventFactory(
        kind="annual_conference",
        venue_city="Almaty",
        venue_country="KZ",
        platform="",
        starts_at=start,
        ends_at=start + datetime.timedelta(days=2, hours=8),
        time_zone="Asia/Almaty",
    )
    client = Client()
    client.cookies["mirpal_tz"] = "Asia/Almaty"
    html = client.get(event.get_absolute_url()).content.decode()
    assert text_of(html, "time-viewer") == (
        "20 September 2030, 11:00 – 22 September 2030, 19:00 (Astana and Almaty time, UTC+5)"
    )


# --- Lists, filters, calendar, series


def test_upcoming_and_past_lists_and_drafts_only_for_the_secretariat(member, secretariat):
    coming = EventFactory(title_en="Coming", starts_at=in_days(3))
    EventFactory(title_en="Draft", starts_at=in_days(4), status="draft")
    past = EventFactory(
        title_en="Past", starts_at=in_days(-30), ends_at=in_days(-30) + datetime.timedelta(hours=2)
    )
    EventFactory(
        title_en="Past cancelled",
        status="cancelled",
        starts_at=in_days(-20),
        ends_at=in_days(-20) + datetime.timedelta(hours=2),
    )
    assert titles(Client().get(reverse("events:list"))) == [coming.title_en]
    assert titles(signed_in(member).get(reverse("events:list"))) == [coming.title_en]
    assert titles(signed_in(secretariat).get(reverse("events:list"))) == ["Coming", "Draft"]
    assert titles(Client().get(reverse("events:past"))) == [past.title_en]


def test_list_filters_by_kind_topic_country_and_language():
    remittances = Topic.objects.get(slug="remittances")
    diaspora = Topic.objects.get(slug="diaspora")
    EventFactory(title_en="A", topics=[remittances], countries=["TJ"], languages=["ru"])
    EventFactory(title_en="B", topics=[diaspora], countries=["MD"], languages=["ro", "en"])
    EventFactory(
        title_en="C", kind="seminar", topics=[remittances], countries=["MD"], languages=["en"]
    )
    url = reverse("events:list")
    client = Client()
    assert titles(client.get(url, {"topic": "remittances"})) == ["A", "C"]
    assert titles(client.get(url, {"country": "MD"})) == ["B", "C"]
    assert titles(client.get(url, {"language": "en"})) == ["B", "C"]
    assert titles(client.get(url, {"kind": "seminar", "country": "MD"})) == ["C"]
    assert titles(client.get(url, {"kind": "no-such-kind"})) == ["A", "B", "C"]


def test_you_are_going_badge_on_the_list(member):
    event = EventFactory()
    RegistrationFactory(event=event, user=member)
    html = signed_in(member).get(reverse("events:list")).content.decode()
    assert "You are going" in html


def test_calendar_month_places_events_on_their_day_in_the_viewer_zone():
    # 22:30 UTC on 31 March is 1 April in Almaty (UTC+5).
    late = datetime.datetime(2030, 3, 31, 22, 30, tzinfo=datetime.UTC)
    EventFactory(title_en="Late night", starts_at=late, ends_at=late + datetime.timedelta(hours=1))
    client = Client()
    client.cookies["mirpal_tz"] = "Asia/Almaty"
    april = client.get(reverse("events:calendar"), {"month": "2030-04"}).content.decode()
    cell = re.search(r"Monday 1 April</span>.*?</td>", april, re.S).group(0)
    assert "03:30 Late night" in cell
    client.cookies["mirpal_tz"] = "UTC"
    march = client.get(reverse("events:calendar"), {"month": "2030-03"}).content.decode()
    cell = re.search(r"Sunday 31 March</span>.*?</td>", march, re.S).group(0)
    assert "22:30 Late night" in cell
    # Chisinau has moved to summer time (UTC+3) by then: 1 April, after the March grid ends.
    client.cookies["mirpal_tz"] = "Europe/Chisinau"
    march = client.get(reverse("events:calendar"), {"month": "2030-03"}).content.decode()
    assert "Late night" not in march


def test_calendar_with_a_bad_month_shows_the_current_one():
    response = Client().get(reverse("events:calendar"), {"month": "2030-13"})
    assert response.status_code == 200
    assert response.context["month"] == timezone.now().date().replace(day=1)


def test_series_page_lists_coming_and_past_events():
    series = SeriesFactory(title_en="Monthly remittances seminar")
    EventFactory(series=series, title_en="April", starts_at=in_days(20))
    EventFactory(
        series=series,
        title_en="March",
        starts_at=in_days(-10),
        ends_at=in_days(-10) + datetime.timedelta(hours=1),
    )
    EventFactory(
        series=series,
        title_en="February",
        starts_at=in_days(-40),
        ends_at=in_days(-40) + datetime.timedelta(hours=1),
    )
    EventFactory(title_en="Other")
    response = Client().get(series.get_absolute_url())
    assert [event.title_en for event in response.context["coming"]] == ["April"]
    assert [event.title_en for event in response.context["past"]] == ["March", "February"]


# --- Event page


def test_event_page_shows_speakers_agenda_and_materials_section():
    expert = ExpertFactory(name_en="Helen Whitaker")
    event = EventFactory(speakers=[expert])
    SessionFactory(event=event, title_en="Opening panel", speakers=[expert])
    html = Client().get(event.get_absolute_url()).content.decode()
    assert f'<a href="/members/experts/{expert.pk}/">Helen Whitaker</a>' in html
    assert "Opening panel" in html
    assert "Materials" in html


def test_recording_link_is_for_members_after_the_event(member, applicant):
    event = EventFactory(
        starts_at=in_days(-2),
        ends_at=in_days(-2) + datetime.timedelta(hours=2),
        recording_url="https://video.example/recording-XYZ",
    )
    assert "recording-XYZ" in signed_in(member).get(event.get_absolute_url()).content.decode()
    assert (
        "recording-XYZ" not in signed_in(applicant).get(event.get_absolute_url()).content.decode()
    )
    assert "recording-XYZ" not in Client().get(event.get_absolute_url()).content.decode()


def test_draft_event_page_is_hidden_from_all_but_the_secretariat(member, secretariat):
    event = EventFactory(status="draft")
    assert Client().get(event.get_absolute_url()).status_code == 404
    assert signed_in(member).get(event.get_absolute_url()).status_code == 404
    assert signed_in(secretariat).get(event.get_absolute_url()).status_code == 200


# --- Registration through the pages


def test_register_then_cancel_through_the_page(member):
    event = EventFactory(capacity=1)
    waiting = ProfileFactory(status="approved").user
    client = signed_in(member)
    response = client.post(reverse("events:register", args=[event.slug]), {"response": "going"})
    assert response.status_code == 302
    signed_in(waiting).post(reverse("events:register", args=[event.slug]), {"response": "going"})
    page = client.get(event.get_absolute_url()).content.decode()
    assert "You are registered." in page
    assert "0 places left · 1 person on the wait list" in page
    client.post(reverse("events:cancel_registration", args=[event.slug]))
    assert list(Registration.objects.order_by("pk").values_list("user", "status")) == [
        (member.pk, "declined"),
        (waiting.pk, "confirmed"),
    ]


def test_not_going_answer_is_recorded(member):
    event = EventFactory()
    signed_in(member).post(reverse("events:register", args=[event.slug]), {"response": "not_going"})
    assert Registration.objects.get().status == "declined"


def test_closed_registration_shows_a_message_and_saves_nothing(member):
    event = EventFactory(registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    response = signed_in(member).post(
        reverse("events:register", args=[event.slug]), {"response": "going"}, follow=True
    )
    assert "Registration for this event is closed." in response.content.decode()
    assert Registration.objects.count() == 0


def test_applicant_cannot_register(applicant):
    event = EventFactory()
    response = signed_in(applicant).post(reverse("events:register", args=[event.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("members:account")
    assert Registration.objects.count() == 0


def test_my_events_lists_registrations_and_the_feed_address(member):
    event = EventFactory(title_en="Mine")
    RegistrationFactory(event=event, user=member)
    RegistrationFactory(event=EventFactory(title_en="Declined"), user=member, status="declined")
    client = signed_in(member)
    response = client.get(reverse("events:mine"))
    assert [r.event.title_en for r in response.context["coming"]] == ["Mine"]
    assert response.context["feed_url"] == ""
    client.post(reverse("events:feed_regenerate"))
    feed_url = client.get(reverse("events:mine")).context["feed_url"]
    assert feed_url.startswith("http://testserver/events/feed/")
    assert feed_url.endswith(".ics")


def test_calendar_files_answer_head_like_get_without_a_body(member):
    """Calendar apps and link checkers ask HEAD before they subscribe or download."""
    event = EventFactory(title_en="Seminar")
    RegistrationFactory(event=event, user=member)
    feed = feed_token_get_or_create(user=member).get_absolute_url()
    client = Client()
    for url in (reverse("events:ics", args=[event.slug]), feed, reverse("api:events_ics")):
        got, head = client.get(url), client.head(url)
        assert (url, head.status_code, head.content) == (url, 200, b"")
        assert (head["Content-Type"], head.get("Content-Disposition")) == (
            got["Content-Type"],
            got.get("Content-Disposition"),
        )
        assert got.content.startswith(b"BEGIN:VCALENDAR")
    assert client.post(reverse("events:ics", args=[event.slug])).status_code == 405


def test_calendar_month_far_out_of_range_shows_this_month():
    html = Client().get(reverse("events:calendar"), {"month": "99999999999999999999-01"})
    assert html.status_code == 200
    assert html.context["month_value"] == f"{timezone.now():%Y-%m}"


def test_nul_in_the_personal_feed_address_is_a_400():
    response = Client().get("/events/feed/abc%00def.ics")
    assert response.status_code == 400
    assert (
        "<p>The address of the page contains a NUL character, which is not allowed.</p>"
        in response.content.decode()
    )


# --- Constant query counts


@pytest.mark.parametrize("count", [1, 30])
def test_event_list_query_count_does_not_grow(count, member, django_assert_num_queries):
    topics = list(Topic.objects.all()[:3])
    series = SeriesFactory()
    for index in range(count):
        event = EventFactory(topics=topics, series=series, starts_at=in_days(1 + index))
        RegistrationFactory(event=event, user=member)
    client = signed_in(member)
    client.get(reverse("events:list"))
    # The list's body comes from the cache (tests/events/test_list_cache.py), and so do the
    # viewer's answers: the user alone.
    with django_assert_num_queries(1):
        response = client.get(reverse("events:list"))
    assert len(titles(response)) == min(count, 20)


@pytest.mark.parametrize("count", [1, 30])
def test_anonymous_event_list_query_count_does_not_grow(count, django_assert_num_queries):
    topics = list(Topic.objects.all()[:3])
    for index in range(count):
        EventFactory(topics=topics, starts_at=in_days(1 + index))
    # Filters' topics, the count, the page, its topics, the next end of an event.
    with django_assert_num_queries(5):
        Client().get(reverse("events:list"))


@pytest.mark.parametrize("count", [1, 30])
def test_event_page_query_count_does_not_grow(count, member, django_assert_num_queries):
    experts = [ExpertFactory() for _ in range(min(count, 10))]
    event = EventFactory(capacity=count * 2, speakers=experts, topics=list(Topic.objects.all()[:3]))
    for index in range(count):
        SessionFactory(
            event=event,
            speakers=experts[:2],
            starts_at=event.starts_at + datetime.timedelta(minutes=index),
        )
        RegistrationFactory(event=event)
    RegistrationFactory(event=event, user=member)
    client = signed_in(member)
    client.get(event.get_absolute_url())
    with django_assert_num_queries(8):
        response = client.get(event.get_absolute_url())
    assert response.context["event"].confirmed_count == count + 1


def test_expert_page_lists_the_events_they_spoke_at_but_not_drafts():
    expert = ExpertFactory()
    EventFactory(title_en="Spoke here", speakers=[expert])
    EventFactory(title_en="Secret draft", speakers=[expert], status="draft")
    html = Client().get(reverse("members:expert_detail", args=[expert.pk])).content.decode()
    assert "Spoke here" in html
    assert "Secret draft" not in html


@pytest.mark.parametrize("name", ["events:list", "events:past", "events:calendar", "events:mine"])
def test_pages_render_in_russian(name, member):
    event = EventFactory(title_ru="Русское название")
    RegistrationFactory(event=event, user=member)
    client = signed_in(member)
    client.cookies["mirpal_language"] = "ru"
    html = client.get(reverse(name)).content.decode()
    assert "Мероприятия" in html or "мероприяти" in html
    detail = client.get(event.get_absolute_url()).content.decode()
    assert "Русское название" in detail
    assert "Вы зарегистрированы." in detail


@pytest.mark.django_db
def test_event_page_lists_materials_each_viewer_may_see(client, member):
    from tests.factories.events import EventFactory
    from tests.factories.library import DocumentFactory

    event = EventFactory(status="published")
    public = DocumentFactory(event=event, access="public", title_en="Slides on remittances")
    closed = DocumentFactory(event=event, access="members", title_en="Internal briefing")

    anonymous = client.get(event.get_absolute_url()).content.decode()
    assert public.get_absolute_url() in anonymous
    assert "Internal briefing" not in anonymous
    client.force_login(member)
    signed_in = client.get(event.get_absolute_url()).content.decode()
    assert closed.get_absolute_url() in signed_in

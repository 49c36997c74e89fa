import csv
import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse

from events.forms import EventAdminForm
from events.models import Attendance, Event, Registration
from tests.factories.events import EventFactory, RegistrationFactory, SessionFactory
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:events_event_changelist")


@pytest.fixture
def admin_client(secretariat):
    client = Client()
    client.force_login(secretariat)
    return client


def act(client, action: str, events, **extra):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [e.pk for e in events], **extra}
    )


def test_publish_action_publishes_drafts_only(admin_client):
    draft = EventFactory(status="draft", sequence=0)
    cancelled = EventFactory(status="cancelled")
    act(admin_client, "publish_events", [draft, cancelled])
    assert Event.objects.get(pk=draft.pk).status == "published"
    assert Event.objects.get(pk=cancelled.pk).status == "cancelled"


def test_cancel_action_asks_for_a_reason_then_cancels(admin_client):
    event = EventFactory(sequence=2)
    page = act(admin_client, "cancel_events", [event])
    assert page.status_code == 200
    assert "Cancel these events" in page.content.decode()
    assert Event.objects.get(pk=event.pk).status == "published"
    act(admin_client, "cancel_events", [event], apply="1", reason="Venue flooded.")
    stored = Event.objects.get(pk=event.pk)
    assert (stored.status, stored.cancellation_reason, stored.sequence) == (
        "cancelled",
        "Venue flooded.",
        3,
    )


def test_duplicate_action_makes_a_draft_copy(admin_client):
    event = EventFactory(title_en="Original")
    SessionFactory(event=event)
    act(admin_client, "duplicate_events", [event])
    copy = Event.objects.exclude(pk=event.pk).get()
    assert (copy.title_en, copy.status, copy.sessions.count()) == ("Original", "draft", 1)


def test_export_registrations_csv_lists_places_and_wait_list(admin_client):
    event = EventFactory(title_en="Exported", capacity=1)
    going = ProfileFactory(user__email="going@example.org", country="AM").user
    waiting = ProfileFactory(user__email="waiting@example.org").user
    RegistrationFactory(event=event, user=going)
    RegistrationFactory(event=event, user=waiting, status="waiting")
    Attendance.objects.create(event=event, user=going)
    response = act(admin_client, "export_registrations", [event])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["event", "event_starts_utc", "status"]
    assert [(row[0], row[2], row[7], row[8], row[11]) for row in rows[1:]] == [
        ("Exported", "confirmed", "going@example.org", "AM", "yes"),
        ("Exported", "waiting", "waiting@example.org", "KZ", "no"),
    ]


def test_admin_form_refuses_capacity_below_confirmed():
    event = EventFactory(capacity=5)
    for _ in range(3):
        RegistrationFactory(event=event)
    data = {
        field: value
        for field, value in EventAdminForm(instance=event).initial.items()
        if value is not None
    }
    data.update(capacity=2, topics=[], speakers=[], countries=["KZ"], languages=["ru"])
    form = EventAdminForm(data=data, instance=event)
    assert form.is_valid() is False
    assert form.errors["capacity"] == ["The capacity cannot be 2: 3 members are already confirmed."]
    assert Event.objects.get(pk=event.pk).capacity == 5


def _add_form_data(**overrides) -> dict:
    data = {
        "kind": "video_conference",
        "title_en": "Data week",
        "title_ru": "Неделя данных",
        "slug": "",
        "description_en": "",
        "description_ru": "",
        "countries": ["KZ", "KG"],
        "starts_at_0": "2031-02-03",
        "starts_at_1": "10:00:00",
        "ends_at_0": "2031-02-03",
        "ends_at_1": "12:00:00",
        "time_zone": "Asia/Almaty",
        "languages": ["ru", "en"],
        "platform": "zoom",
        "join_url": "https://zoom.example/j/1",
        "passcode": "",
        "recording_url": "",
        "capacity": "40",
        "cancellation_reason": "",
        "venue_city": "",
        "venue_country": "",
        "venue_address": "",
    }
    for prefix in ("sessions", "registrations", "attendances"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(overrides)
    return data


def test_adding_an_event_in_the_admin_makes_a_dated_draft(admin_client, secretariat):
    response = admin_client.post(reverse("admin:events_event_add"), _add_form_data())
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.slug, event.status, event.created_by, event.capacity) == (
        "2031-02-03-data-week",
        "draft",
        secretariat,
        40,
    )
    # The admin reads times on the event's own clock (Asia/Almaty, UTC+5), not the secretariat
    # member's (Moscow in the fixture).
    assert event.starts_at == datetime.datetime(2031, 2, 3, 5, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at_1": "09:00:00"}, "ends_at", "The event must end after it starts."),
        (
            {"join_url": "javascript:alert(1)"},
            "join_url",
            "Enter a web address that starts with http:// or https://.",
        ),
        ({"time_zone": "Asia/Nowhere"}, "time_zone", "“Asia/Nowhere” is not a known time zone."),
        ({"capacity": "-3"}, "capacity", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_bad_input_in_the_admin_is_explained_and_nothing_saved(
    admin_client, overrides, field, message
):
    response = admin_client.post(reverse("admin:events_event_add"), _add_form_data(**overrides))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert Event.objects.count() == 0


def test_changing_the_time_in_the_admin_raises_the_sequence(admin_client):
    event = EventFactory(sequence=1, title_en="Data week", kind="video_conference")
    data = _add_form_data(slug=event.slug, starts_at_1="11:00:00", ends_at_1="13:00:00")
    response = admin_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).sequence == 2


def test_registration_admin_cancel_promotes_and_mark_present(admin_client):
    event = EventFactory(capacity=1)
    holder = RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status="waiting")
    admin_client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "mark_present", "_selected_action": [holder.pk]},
    )
    assert list(Attendance.objects.values_list("user", "source")) == [(holder.user_id, "manual")]
    admin_client.post(
        reverse("admin:events_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [holder.pk]},
    )
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"


def test_event_change_page_shows_registrations_and_wait_list(admin_client):
    event = EventFactory(capacity=1)
    first = ProfileFactory(user__first_name="Zarina", user__last_name="Placed").user
    second = ProfileFactory(user__first_name="Oleg", user__last_name="Waiting").user
    RegistrationFactory(event=event, user=first)
    RegistrationFactory(event=event, user=second, status="waiting")
    html = admin_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert "Zarina Placed" in html
    assert "Oleg Waiting" in html
    assert html.index("Zarina Placed") < html.index("Oleg Waiting")


def _utc(*parts) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=datetime.UTC)


def test_admin_form_takes_several_countries_and_languages_and_the_event_clock(admin_client):
    """Bishkek is UTC+6; the secretariat member posting the form is in Moscow (UTC+3)."""
    response = admin_client.post(
        reverse("admin:events_event_add"),
        _add_form_data(
            countries=["KG", "KZ", "TJ"],
            languages=["ru", "en", "ky"],
            time_zone="Asia/Bishkek",
            registration_closes_at_0="2031-02-02",
            registration_closes_at_1="18:30:00",
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.countries, event.languages, event.time_zone) == (
        ["KG", "KZ", "TJ"],
        ["ru", "en", "ky"],
        "Asia/Bishkek",
    )
    assert (event.starts_at, event.ends_at, event.registration_closes_at) == (
        _utc(2031, 2, 3, 4),
        _utc(2031, 2, 3, 6),
        _utc(2031, 2, 2, 12, 30),
    )


def test_admin_form_refuses_a_country_or_language_not_on_the_lists(admin_client):
    response = admin_client.post(
        reverse("admin:events_event_add"),
        _add_form_data(countries=["KG", "FR"], languages=["ru, en"]),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert (errors["countries"], errors["languages"]) == (
        ["Select a valid choice. FR is not one of the available choices."],
        ["Select a valid choice. ru, en is not one of the available choices."],
    )
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "kyrgyzstan", "kyrgyz", "other"),
    [
        ("en", "Kyrgyz Republic", "Kyrgyz", "International / other"),
        ("ru", "Кыргызская Республика", "Кыргызский", "Международные организации / другие страны"),
    ],
)
def test_admin_form_offers_countries_and_languages_by_name(
    admin_client, language, kyrgyzstan, kyrgyz, other
):
    page = admin_client.get(
        reverse("admin:events_event_add"), headers={"accept-language": language}
    )
    form = page.context["adminform"].form
    assert [str(label) for _code, label in form.fields["countries"].choices][3::6] == [
        kyrgyzstan,
        other,
    ]
    html = page.content.decode()
    assert html.count('type="checkbox" name="countries"') == 10
    assert html.count('type="checkbox" name="languages"') == 16
    assert re.search(r'value="KG"[^>]*>\s*' + kyrgyzstan + "</label>", html)
    assert re.search(r'value="ky"[^>]*>\s*' + kyrgyz + "</label>", html)


def test_change_form_shows_and_keeps_the_times_on_the_event_clock(admin_client):
    event = EventFactory(
        kind="video_conference",
        time_zone="Asia/Bishkek",
        starts_at=_utc(2031, 2, 3, 4),
        ends_at=_utc(2031, 2, 3, 6),
        sequence=1,
    )
    url = reverse("admin:events_event_change", args=[event.pk])
    html = admin_client.get(url).content.decode()
    shown = re.findall(r'name="(starts_at|ends_at)_([01])" value="([^"]+)"', html)
    assert shown == [
        ("starts_at", "0", "2031-02-03"),
        ("starts_at", "1", "10:00:00"),
        ("ends_at", "0", "2031-02-03"),
        ("ends_at", "1", "12:00:00"),
    ]
    unchanged = _add_form_data(
        slug=event.slug,
        title_en=event.title_en,
        title_ru=event.title_ru,
        description_en=event.description_en,
        description_ru=event.description_ru,
        time_zone="Asia/Bishkek",
        join_url=event.join_url,
        passcode=event.passcode,
        capacity="",
    )
    assert admin_client.post(url, unchanged).status_code == 302
    stored = Event.objects.get(pk=event.pk)
    assert (stored.starts_at, stored.sequence) == (_utc(2031, 2, 3, 4), 1)


def test_changing_only_the_zone_keeps_the_clock_time_and_moves_the_instant(admin_client):
    event = EventFactory(
        kind="video_conference",
        time_zone="Asia/Bishkek",
        starts_at=_utc(2031, 2, 3, 4),
        ends_at=_utc(2031, 2, 3, 6),
        sequence=1,
    )
    data = _add_form_data(slug=event.slug, time_zone="Asia/Tashkent")
    response = admin_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302
    stored = Event.objects.get(pk=event.pk)
    assert (stored.time_zone, stored.starts_at, stored.ends_at, stored.sequence) == (
        "Asia/Tashkent",
        _utc(2031, 2, 3, 5),
        _utc(2031, 2, 3, 7),
        2,
    )


def test_agenda_sessions_are_entered_on_the_event_clock_too(admin_client):
    data = _add_form_data(time_zone="Asia/Bishkek")
    data.update(
        {
            "sessions-TOTAL_FORMS": "1",
            "sessions-0-title_en": "Opening",
            "sessions-0-title_ru": "Открытие",
            "sessions-0-starts_at_0": "2031-02-03",
            "sessions-0-starts_at_1": "10:00:00",
            "sessions-0-ends_at_0": "2031-02-03",
            "sessions-0-ends_at_1": "10:30:00",
        }
    )
    response = admin_client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 302
    session = Event.objects.get().sessions.get()
    assert (session.starts_at, session.ends_at) == (_utc(2031, 2, 3, 4), _utc(2031, 2, 3, 4, 30))
    change = admin_client.get(reverse("admin:events_event_change", args=[session.event_id]))
    assert 'name="sessions-0-starts_at_1" value="10:00:00"' in change.content.decode()


@pytest.mark.parametrize(
    ("language", "note"),
    [
        (
            "en",
            "Enter every time on this page on the event's own clock, in its time zone below; "
            "each visitor then sees it converted to their own time.",
        ),
        (
            "ru",
            "Даты и время на этой странице указывайте по часам мероприятия, в его часовом "
            "поясе (поле ниже); каждый посетитель увидит их в пересчёте на своё время.",
        ),
    ],
)
def test_admin_form_says_times_are_on_the_event_clock(admin_client, language, note):
    html = admin_client.get(
        reverse("admin:events_event_add"), headers={"accept-language": language}
    ).content.decode()
    assert html.count(note) == 1


@pytest.mark.parametrize(
    ("confirmed", "language", "message"),
    [
        (1, "en", "The capacity cannot be 0: 1 member is already confirmed."),
        (2, "en", "The capacity cannot be 0: 2 members are already confirmed."),
        (1, "ru", "Число мест не может быть 0: участие уже подтверждено для 1 человека."),
        (2, "ru", "Число мест не может быть 0: участие уже подтверждено для 2 человек."),
    ],
)
def test_capacity_below_the_confirmed_places_is_explained_with_the_right_number(
    admin_client, confirmed, language, message
):
    event = EventFactory(title_en="Data week", kind="video_conference", capacity=5)
    for _ in range(confirmed):
        RegistrationFactory(event=event)
    response = admin_client.post(
        reverse("admin:events_event_change", args=[event.pk]),
        _add_form_data(slug=event.slug, capacity="0"),
        headers={"accept-language": language},
    )
    assert response.context["adminform"].form.errors["capacity"] == [message]
    assert Event.objects.get(pk=event.pk).capacity == 5

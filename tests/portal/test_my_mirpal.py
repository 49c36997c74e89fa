"""My MIRPAL: a member's own page, through the doors a person uses (register, ask for the calendar
address, save mail preferences), then read as the page shows it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Attendance
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.members import ProfileFactory, UserFactory
from tests.factories.roster import ExpertRequestFactory

pytestmark = pytest.mark.django_db

MARCH_12_2030 = datetime.datetime(2030, 3, 12, 10, 0, tzinfo=datetime.UTC)


def signed_in(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["mirpal_language"] = language
    return client


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def section(html: str, css_class: str) -> str:
    """The text of the page's card with this class ("" when the page has none)."""
    match = re.search(rf'<section class="card my-card {css_class}".*?</section>', html, re.S)
    return text(match.group(0)) if match else ""


def headings(html: str) -> list[str]:
    return [text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)]


def register(client: Client, event) -> None:
    response = client.post(reverse("events:register", args=[event.slug]), {"response": "going"})
    assert response.status_code == 302


@pytest.fixture
def person():
    """An approved member in Tashkent (UTC+5 all year)."""
    return ProfileFactory(status="approved", time_zone="Asia/Tashkent", phone="").user


def test_anonymous_visitor_is_sent_to_log_in():
    response = Client().get(reverse("my_mirpal"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/my/"
    posted = Client().post(reverse("my_mirpal"))
    assert posted.status_code == 302
    assert posted["Location"].startswith(reverse("account_login"))


def test_member_sees_registration_wait_list_feed_requests_and_preferences(person):
    client = signed_in(person)
    going = EventFactory(
        title_en="Remittances seminar",
        starts_at=MARCH_12_2030,
        ends_at=MARCH_12_2030 + datetime.timedelta(hours=2),
    )
    full = EventFactory(
        title_en="Return migration workshop",
        capacity=1,
        starts_at=MARCH_12_2030 + datetime.timedelta(days=7),
        ends_at=MARCH_12_2030 + datetime.timedelta(days=7, hours=1),
    )
    register(client, going)
    # The only place and the first on the wait list go to others before this member asks.
    for status in ("confirmed", "waiting"):
        RegistrationFactory(event=full, status=status)
    register(client, full)
    past = EventFactory(
        title_en="Diaspora bonds briefing",
        starts_at=MARCH_12_2030.replace(year=2020),
        ends_at=MARCH_12_2030.replace(year=2020) + datetime.timedelta(hours=1),
    )
    Attendance.objects.create(event=past, user=person, minutes=55)
    ExpertRequestFactory(requester=person, status="in_review")
    client.post(
        reverse("mail_preferences"),
        {
            "invitations": "on",
            "reminders": "on",
            "news": "",
            "digest": "monthly",
            "followed_countries": ["KG"],
        },
    )

    page = client.get(reverse("my_mirpal")).content.decode()
    events = section(page, "my-events")
    assert "Times are in your time zone: Tashkent time, UTC+5." in events
    assert (
        "I am registered Remittances seminar 12 March 2030, 15:00–17:00 "
        "On the wait list Return migration workshop 19 March 2030, 15:00–16:00 "
        "place 2 on the wait list "
        "I took part in Diaspora bonds briefing 12 March 2020 "
        "All my events See what is coming"
    ) in events
    assert f'href="{going.get_absolute_url()}"' in page
    assert f'href="{full.get_absolute_url()}"' in page

    request = person.expert_requests.get()
    requests = section(page, "my-requests")
    assert f"#{request.pk} · {request.topic.name_en} in review" in requests
    assert reverse("members:expert_request_new") in page

    assert section(page, "my-mail") == (
        "Mail preferences "
        "Invitations to events on "
        "Reminders before events I registered for on "
        "News and calls from the secretariat off "
        "Digest of new events and publications Monthly "
        "Countries I follow in the digest Kyrgyz Republic "
        "Mail about your account and membership always reaches you. "
        "Change my mail preferences"
    )

    # No calendar address yet: the page offers one, and makes it on the member's asking.
    assert 'id="my-feed-url"' not in page
    made = client.post(reverse("my_mirpal"), follow=True)
    assert made.redirect_chain == [(reverse("my_mirpal") + "#calendar-feed", 302)]
    page = made.content.decode()
    assert "Your calendar address is ready." in page
    feed_url = re.search(r'id="my-feed-url"[^>]* value="([^"]+)"', page).group(1)
    token = person.event_feed_token
    assert feed_url == f"http://testserver/events/feed/{token.token}.ics"
    assert f'href="webcal://testserver/events/feed/{token.token}.ics"' in page
    feed = section(page, "my-feed")
    for app in ("Outlook", "Google Calendar", "Apple Calendar"):
        assert f"How to subscribe in {app}" in feed

    # The address, fetched as a calendar app would (no session), lists the member's events.
    calendar = Client().get(feed_url.removeprefix("http://testserver"))
    assert calendar.status_code == 200
    assert calendar["Content-Type"] == "text/calendar; charset=utf-8"
    body = calendar.content.decode()
    assert "SUMMARY:Remittances seminar" in body
    assert "SUMMARY:Return migration workshop" in body

    # Renewing it retires the old one.
    renewed = client.post(reverse("my_mirpal"), follow=True).content.decode()
    assert "Your calendar address has been renewed; the old one no longer works." in renewed
    assert Client().get(feed_url.removeprefix("http://testserver")).status_code == 404


def test_member_page_shows_profile_visibility_and_security(person):
    profile = person.profile
    profile.email_visibility, profile.listed_in_directory = "members", False
    profile.save()
    page = signed_in(person).get(reverse("my_mirpal")).content.decode()
    assert section(page, "my-profile") == (
        "My profile and who sees it "
        "Membership approved "
        f"Organisation {profile.organisation} "
        "Country Kazakhstan, Алматы "
        "Members' directory I am not listed "
        "Who sees my email address Members of the network "
        "Who sees my phone number No phone number given "
        "Time zone Tashkent time, UTC+5 "
        "Language for mail English "
        "Edit profile"
    )
    security = section(page, "my-security")
    assert security == (
        "Signing in and security "
        f"Email {person.email} "
        "Authenticator app not set up "
        "Security keys and passkeys 0 "
        "A second factor keeps your account safe even if your password leaks. "
        "Change password Email addresses Two-factor authentication "
        "Security keys and passkeys Sign-ins and security"
    )
    for name in ("account_change_password", "account_email", "mfa_index", "mfa_list_webauthn"):
        assert f'href="{reverse(name)}"' in page
    for name in ("members:security", "members:account", "members:data_export"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("members:account_close")}"' in page


def test_staff_are_told_they_must_keep_a_second_factor(secretariat):
    page = signed_in(secretariat).get(reverse("my_mirpal")).content.decode()
    security = section(page, "my-security")
    assert "Authenticator app set up" in security
    assert (
        "Your account has staff rights: it must keep an authenticator app or a security key."
        in (security)
    )
    # Those who act on applications see their notices' setting among the preferences.
    assert "Tell me of what arrives for the secretariat A daily summary" in section(page, "my-mail")


def test_applicant_sees_the_pending_state_and_only_what_they_can_use(applicant):
    EventFactory(title_en="Members only seminar")
    client = signed_in(applicant)
    page = client.get(reverse("my_mirpal")).content.decode()
    assert headings(page) == [
        "Membership",
        "My profile and who sees it",
        "Signing in and security",
        "My account and data",
    ]
    standing = section(page, "my-standing")
    assert standing.startswith("Membership Application under review Your application of ")
    assert standing.endswith(
        "is with the secretariat, which reviews each application and will write to you. "
        "Until you are a member, you can keep your profile up to date and look after how you "
        "sign in. Your events, your calendar feed and requests for an expert open here once "
        "your membership is approved."
    )
    assert "Membership pending" in section(page, "my-profile")
    for absent in ("my-events", "my-feed", "my-requests", "my-mail", 'action="/my/"'):
        assert absent not in page
    assert client.post(reverse("my_mirpal")).status_code == 403
    assert not hasattr(applicant, "event_feed_token")


def test_another_members_data_never_shows(person):
    other = ProfileFactory(status="approved").user
    theirs = EventFactory(title_en="Someone else's seminar")
    RegistrationFactory(event=theirs, user=other)
    waiting_for = EventFactory(title_en="Their wait list", capacity=0)
    RegistrationFactory(event=waiting_for, user=other, status="waiting")
    Attendance.objects.create(event=EventFactory(title_en="Their past event"), user=other)
    their_request = ExpertRequestFactory(requester=other)
    other_client = signed_in(other)
    other_client.post(reverse("my_mirpal"))
    other_client.post(
        reverse("mail_preferences"),
        {"invitations": "", "reminders": "", "news": "", "digest": "never"},
    )
    page = signed_in(person).get(reverse("my_mirpal")).content.decode()
    for seen in ("Someone else", "Their wait list", "Their past event", other.email):
        assert seen not in page
    assert other.event_feed_token.token not in page
    assert reverse("members:expert_request_detail", args=[their_request.pk]) not in page
    assert "You have not registered for any coming event." in page
    assert "You have not asked for an expert yet." in page
    assert "Invitations to events on" in section(page, "my-mail")


def test_the_page_speaks_russian(person):
    event = EventFactory(
        title_ru="Семинар о денежных переводах",
        starts_at=MARCH_12_2030,
        ends_at=MARCH_12_2030 + datetime.timedelta(hours=2),
    )
    client = signed_in(person, "ru")
    register(client, event)
    client.post(reverse("my_mirpal"))
    page = client.get(reverse("my_mirpal")).content.decode()
    assert '<html lang="ru">' in page
    assert re.search(r"<h1>(.*?)</h1>", page).group(1) == "Мой MIRPAL"
    assert headings(page) == [
        "Мои мероприятия",
        "Мой календарь",
        "Мои заявки на экспертов",
        "Настройки рассылок",
        "Мой профиль и кто его видит",
        "Вход и безопасность",
        "Моя учётная запись и данные",
    ]
    events = section(page, "my-events")
    assert "Время указано в вашем часовом поясе: время Ташкента, UTC+5." in events
    assert "Семинар о денежных переводах 12 марта 2030, 15:00–17:00" in events
    assert "Как подписаться в Outlook" in section(page, "my-feed")


@pytest.mark.parametrize("count", [1, 12])
def test_query_count_does_not_grow_with_registrations(count, person, django_assert_num_queries):
    for index in range(count):
        RegistrationFactory(event=EventFactory(), user=person)
        full = EventFactory(capacity=1)
        RegistrationFactory(event=full)
        RegistrationFactory(event=full, user=person, status="waiting")
        past = EventFactory(
            starts_at=MARCH_12_2030.replace(year=2020) + datetime.timedelta(days=index),
            ends_at=MARCH_12_2030.replace(year=2020) + datetime.timedelta(days=index, hours=1),
        )
        Attendance.objects.create(event=past, user=person)
        ExpertRequestFactory(requester=person)
    client = signed_in(person)
    client.post(reverse("my_mirpal"))
    client.get(reverse("my_mirpal"))
    # The user with their profile (the session is in the cache), the second factors, the coming
    # places, the events taken part in, the calendar address, the requests, the mail preferences,
    # the discussions the member was invited to answer as an expert.
    with django_assert_num_queries(8):
        response = client.get(reverse("my_mirpal"))
    assert len(response.context["going"]) == count
    assert len(response.context["waiting"]) == count
    assert [place.registration.waitlist_position for place in response.context["waiting"]] == [
        1
    ] * count
    assert len(response.context["attended"]) == min(count, 5)
    assert len(response.context["expert_requests"]) == min(count, 5)


def test_an_account_without_a_profile_is_asked_for_one(superuser):
    page = signed_in(UserFactory()).get(reverse("my_mirpal")).content.decode()
    assert section(page, "my-standing") == (
        "Membership You have not filled in your profile yet: the secretariat needs it to "
        "consider your application. Fill in my profile"
    )
    assert section(page, "my-profile") == (
        "My profile and who sees it You have no member profile. Fill in my profile"
    )
    # The secretariat's superuser has every page of a member's, with or without a profile.
    response = signed_in(superuser).get(reverse("my_mirpal"))
    assert response.status_code == 200
    assert "my-feed" in response.content.decode()

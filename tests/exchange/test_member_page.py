"""A member's page shows what they asked and answered in the exchange, as they chose."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.exchange.conftest import signed_in
from tests.factories.exchange import PostFactory, ThreadFactory
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db


def section(response) -> str:
    text = response.content.decode()
    found = re.search(
        r'<section class="card" aria-labelledby="member-exchange">.*?</section>', text, re.DOTALL
    )
    return found.group(0) if found else ""


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li><a href="([^"]+)">([^<]*)</a>', html)


def ago(hours: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def person(db):
    return ProfileFactory(user__first_name="Aigul", user__last_name="Sadykova", country="KG")


def profile_form(profile, **overrides) -> dict:
    """The profile form as its page fills it in for this profile."""
    data = {
        "first_name": profile.user.first_name,
        "last_name": profile.user.last_name,
        "country": profile.country,
        "city": profile.city,
        "organisation": profile.organisation,
        "organisation_type": profile.organisation_type,
        "position": profile.position,
        "languages": profile.languages,
        "mail_language": profile.mail_language,
        "time_zone": profile.time_zone,
        "interests": [],
        "phone": profile.phone,
        "email_visibility": profile.email_visibility,
        "phone_visibility": profile.phone_visibility,
        "listed_in_directory": "on",
        "show_exchange_activity": "on",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def test_the_page_lists_their_questions_and_answers_newest_first(person):
    asked_first = ThreadFactory(author=person.user, title="Older question", created_at=ago(5))
    asked = ThreadFactory(
        author=person.user, title="Newer question", created_at=ago(1), answer_count=1
    )
    ThreadFactory(author=person.user, title="Held question", state="held")
    ThreadFactory(author=person.user, title="Hidden question", state="hidden")
    other = ThreadFactory(title="Someone else's question")
    helped = PostFactory(thread=other, author=person.user, created_at=ago(3))
    other.accepted_answer = helped
    other.save(update_fields=["accepted_answer"])
    later = PostFactory(thread=asked_first, author=person.user, created_at=ago(2))
    PostFactory(thread=other, author=person.user, parent=helped)  # a reply, not an answer
    PostFactory(thread=other, author=person.user, state="hidden")
    PostFactory(thread=ThreadFactory(state="hidden"), author=person.user)
    viewer = signed_in(ProfileFactory().user)

    shown = section(viewer.get(reverse("members:detail", args=[person.pk])))

    asked_part, answered_part = shown.split("<h3>Answers</h3>")
    assert links(asked_part) == [
        (asked.get_absolute_url(), "Newer question"),
        (asked_first.get_absolute_url(), "Older question"),
    ]
    assert links(answered_part) == [
        (later.get_absolute_url(), "Older question"),
        (helped.get_absolute_url(), "Someone else&#x27;s question"),
    ]
    assert "1 answer" in asked_part
    assert "0 answers" in asked_part
    assert answered_part.count("The answer that helped") == 1


def test_only_the_latest_ten_of_each(person):
    for index in range(12):
        thread = ThreadFactory(author=person.user, title=f"Question {index}", created_at=ago(index))
        PostFactory(thread=thread, author=person.user, created_at=ago(index))

    shown = section(
        signed_in(ProfileFactory().user).get(reverse("members:detail", args=[person.pk]))
    )

    asked_part, answered_part = shown.split("<h3>Answers</h3>")
    assert [title for _url, title in links(asked_part)] == [f"Question {i}" for i in range(10)]
    assert [title for _url, title in links(answered_part)] == [f"Question {i}" for i in range(10)]


def test_markup_in_a_title_comes_out_inert(person):
    ThreadFactory(author=person.user, title="<script>alert(1)</script>")

    shown = section(
        signed_in(ProfileFactory().user).get(reverse("members:detail", args=[person.pk]))
    )

    assert "<script>" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def test_the_page_is_for_members_only(client, person):
    ThreadFactory(author=person.user, title="Public question", visibility="public")
    url = reverse("members:detail", args=[person.pk])

    anonymous = client.get(url)
    applicant = signed_in(ProfileFactory(status="pending").user).get(url)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert applicant.status_code in (302, 403)
    assert "Public question" not in applicant.content.decode()


def test_a_member_who_chooses_not_to_show_it_hides_the_section(person):
    ThreadFactory(author=person.user, title="My question")
    url = reverse("members:detail", args=[person.pk])
    viewer = signed_in(ProfileFactory().user)
    owner = signed_in(person.user)
    assert "My question" in section(viewer.get(url))
    assert 'name="show_exchange_activity"' in owner.get(reverse("members:profile_edit")).text

    saved = owner.post(
        reverse("members:profile_edit"), profile_form(person, show_exchange_activity=None)
    )

    person.refresh_from_db()
    assert saved.status_code == 302
    assert person.show_exchange_activity is False
    assert section(viewer.get(url)) == ""
    exported = json.loads(owner.get(reverse("members:data_export")).content)
    assert exported["profile"]["show_exchange_activity"] is False

    owner.post(reverse("members:profile_edit"), profile_form(person))
    person.refresh_from_db()
    assert person.show_exchange_activity is True
    assert "My question" in section(viewer.get(url))


def test_a_new_profile_shows_it_by_default(db):
    user = ProfileFactory().user
    user.profile.delete()
    form = signed_in(user).get(reverse("members:profile_edit")).text

    assert re.search(r'<input type="checkbox" name="show_exchange_activity"[^>]* checked', form)


@pytest.mark.parametrize("size", [1, 20])
def test_member_page_query_count_is_constant(person, django_assert_num_queries, size):
    for index in range(size):
        thread = ThreadFactory(author=person.user, created_at=ago(index))
        PostFactory(thread=thread, author=person.user)
        PostFactory(thread=ThreadFactory(), author=person.user)
    viewer = signed_in(ProfileFactory().user)
    url = reverse("members:detail", args=[person.pk])
    viewer.get(url)  # the session and the viewer's profile settle on a first visit

    # the viewer with their profile (the session is in the cache), the member's profile, their
    # interests, their threads, their answers with their threads
    with django_assert_num_queries(5):
        response = viewer.get(url)

    assert len(links(section(response))) == min(size, 10) + min(2 * size, 10)

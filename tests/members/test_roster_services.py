"""Bad input on the roster and on requests: a clear message, and nothing saved half-way."""
# (Russian text is Cyrillic on purpose.)

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import Expert, ExpertLink, ExpertRequest, ExpertRequestNote
from members.roster.services import (
    ExpertRequestError,
    expert_create,
    expert_request_create,
    expert_update,
)
from mirpal.models import OutboxMessage, Topic
from tests.factories.roster import ExpertFactory, ExpertRequestFactory, photo_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _saved_files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def _expert_fields(**overrides):
    fields = {
        "name_en": "Helen Whitaker",
        "name_ru": "Хелен Уитакер",
        "countries": ["KZ", "PH"],
        "languages": ["en", "ru"],
        "help_kinds": ["field_visit"],
    }
    return {**fields, **overrides}


def test_expert_create_saves_topics_links_and_photo(media_root):
    expert = expert_create(
        topics=["remittances", Topic.objects.get(slug="gender")],
        links=[("Publications", "https://example.org/helen")],
        photo=photo_upload("helen.png"),
        **_expert_fields(),
    )
    expert.refresh_from_db()
    assert sorted(expert.topics.values_list("slug", flat=True)) == ["gender", "remittances"]
    assert list(expert.links.values_list("label", "url")) == [
        ("Publications", "https://example.org/helen")
    ]
    assert [country.code for country in expert.countries] == ["KZ", "PH"]
    assert _saved_files(media_root) == ["experts/photos/helen.png"]


def test_oversized_photo_is_refused_and_nothing_is_saved(media_root, settings):
    settings.EXPERT_PHOTO_MAX_BYTES = 1024 * 1024
    big = photo_upload("big.png", content=b"\x89PNG" + b"0" * (1024 * 1024 + 10))
    with pytest.raises(ValidationError) as error:
        expert_create(photo=big, topics=["remittances"], **_expert_fields())
    assert error.value.message_dict == {
        "photo": ["The photo is 1.0 MB; the largest allowed is 1 MB."]
    }
    assert Expert.objects.count() == 0
    assert _saved_files(media_root) == []


def test_non_image_photo_is_refused_and_nothing_is_saved(media_root):
    fake = photo_upload("cv.png", content=b"%PDF-1.7 this is a CV, not a photo")
    with pytest.raises(ValidationError) as error:
        expert_create(photo=fake, **_expert_fields())
    assert error.value.message_dict == {
        "photo": ["The photo must be an image file (JPEG, PNG or WebP)."]
    }
    assert Expert.objects.count() == 0
    assert _saved_files(media_root) == []


def test_image_of_another_format_is_refused(media_root):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="BMP")
    with pytest.raises(ValidationError) as error:
        expert_create(photo=photo_upload("x.bmp", buffer.getvalue()), **_expert_fields())
    assert list(error.value.message_dict) == ["photo"]
    assert Expert.objects.count() == 0


def test_unknown_topic_is_refused_and_nothing_is_saved(media_root):
    with pytest.raises(ValidationError) as error:
        expert_create(topics=["remittances", "astrology"], photo=photo_upload(), **_expert_fields())
    assert error.value.message_dict == {"topics": ["Unknown topic: astrology."]}
    assert Expert.objects.count() == 0
    assert _saved_files(media_root) == []


def test_bad_link_is_refused_and_nothing_is_saved(media_root):
    with pytest.raises(ValidationError):
        expert_create(
            links=[("Site", "not a web address")], photo=photo_upload(), **_expert_fields()
        )
    assert (Expert.objects.count(), ExpertLink.objects.count()) == (0, 0)
    assert _saved_files(media_root) == []


def test_update_with_unknown_topic_changes_nothing():
    expert = ExpertFactory(topics=[Topic.objects.get(slug="gender")], name_en="Before")
    with pytest.raises(ValidationError):
        expert_update(expert=expert, name_en="After", topics=["gender", "nope"])
    expert.refresh_from_db()
    assert expert.name_en == "Before"
    assert list(expert.topics.values_list("slug", flat=True)) == ["gender"]


def test_unknown_language_and_help_kind_are_refused():
    with pytest.raises(ValidationError) as error:
        expert_create(**_expert_fields(languages=["xx"], help_kinds=["dancing"]))
    assert sorted(error.value.message_dict) == ["help_kinds", "languages"]
    assert Expert.objects.count() == 0


def test_database_refuses_unknown_help_kind():
    with pytest.raises(IntegrityError), transaction.atomic():
        Expert.objects.bulk_create([Expert(name_en="A", name_ru="А", help_kinds=["dancing"])])


def _request_data(**overrides):
    today = timezone.localdate()
    data = {
        "topic": "labour-migration",
        "countries": ["KG", "KZ"],
        "language": "ru",
        "help_kind": "video_conference",
        "starts_on": today + datetime.timedelta(days=10),
        "ends_on": today + datetime.timedelta(days=11),
        "purpose": "A webinar for the ministry.",
    }
    return {**data, **overrides}


def test_request_with_dates_in_the_past_is_refused(member):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        expert_request_create(requester=member, **_request_data(starts_on=yesterday))
    assert error.value.message_dict == {"starts_on": ["The dates cannot be in the past."]}
    assert (ExpertRequest.objects.count(), OutboxMessage.objects.count()) == (0, 0)


def test_request_ending_before_it_starts_is_refused(member):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        expert_request_create(
            requester=member,
            **_request_data(
                starts_on=today + datetime.timedelta(days=5),
                ends_on=today + datetime.timedelta(days=4),
            ),
        )
    assert error.value.message_dict == {
        "ends_on": ["The end date cannot be before the start date."]
    }
    assert (ExpertRequest.objects.count(), OutboxMessage.objects.count()) == (0, 0)


def test_request_with_unknown_topic_is_refused(member):
    with pytest.raises(ValidationError) as error:
        expert_request_create(requester=member, **_request_data(topic="astrology"))
    assert error.value.message_dict == {"topic": ["Unknown topic: astrology."]}
    assert (ExpertRequest.objects.count(), ExpertRequestNote.objects.count()) == (0, 0)


def test_request_with_unknown_country_is_refused(member):
    with pytest.raises(ValidationError) as error:
        expert_request_create(requester=member, **_request_data(countries=["QQ"]))
    assert list(error.value.message_dict) == ["countries"]
    assert (ExpertRequest.objects.count(), OutboxMessage.objects.count()) == (0, 0)


def test_applicant_cannot_ask_for_an_expert(applicant):
    with pytest.raises(ExpertRequestError):
        expert_request_create(requester=applicant, **_request_data())
    assert ExpertRequest.objects.count() == 0


def test_request_of_a_member_is_saved_with_its_first_step_and_mail(member):
    created = expert_request_create(requester=member, **_request_data())
    assert created.status == "new"
    assert [country.code for country in created.countries] == ["KG", "KZ"]
    assert list(created.notes.values_list("from_status", "to_status", "author")) == [
        ("", "new", member.pk)
    ]
    assert list(OutboxMessage.objects.values_list("to_email", "kind")) == [
        (member.email, "expert_request")
    ]


def test_database_refuses_a_request_that_ends_before_it_starts(member):
    today = timezone.localdate()
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertRequestFactory(
            requester=member, starts_on=today, ends_on=today - datetime.timedelta(days=1)
        )


def test_database_refuses_a_matched_request_without_expert(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExpertRequestFactory(requester=member, status="matched")

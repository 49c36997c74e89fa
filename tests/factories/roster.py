import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from members.models import Expert, ExpertRequest
from mirpal.models import Topic
from tests.factories.members import UserFactory


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 92, 138)).save(buffer, format="PNG")
    return buffer.getvalue()


def photo_upload(name: str = "photo.png", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes() if content is None else content, "image/png")


class ExpertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expert
        skip_postgeneration_save = True

    name_en = factory.Sequence(lambda n: f"Expert {n:04d}")
    name_ru = factory.Sequence(lambda n: f"Эксперт {n:04d}")
    title_en = "Migration Specialist"
    title_ru = "специалист по миграции"
    affiliation_en = "Policy Institute"
    affiliation_ru = "Институт политики"
    bio_en = "Works on migration policy."
    bio_ru = "Занимается миграционной политикой."
    countries = factory.LazyFunction(lambda: ["KZ"])
    languages = factory.LazyFunction(lambda: ["en"])
    help_kinds = factory.LazyFunction(lambda: ["written_review"])
    contact_email = factory.Sequence(lambda n: f"secret-expert{n}@private.example")
    contact_phone = factory.Sequence(lambda n: f"+41 22 777 {n:04d}")
    is_listed = True

    @factory.post_generation
    def topics(expert, create, extracted, **kwargs):
        if create and extracted:
            expert.topics.set(extracted)


class ExpertRequestFactory(factory.django.DjangoModelFactory):
    """A request as the service would leave it (no history row, no mail): for page tests."""

    class Meta:
        model = ExpertRequest

    requester = factory.SubFactory(UserFactory)
    topic = factory.LazyFunction(lambda: Topic.objects.order_by("pk").first())
    countries = factory.LazyFunction(lambda: ["KZ"])
    language = "ru"
    help_kind = "video_conference"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=31))
    purpose = "A video conference on labour migration."

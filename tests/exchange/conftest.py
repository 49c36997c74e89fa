import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from library.pdf import pdf_compose
from mirpal.models import Topic
from tests.factories.members import ProfileFactory

# Attachments go to a fresh folder per test and messages compare in English, as in the library.
from tests.library.conftest import _english, _protected_media  # noqa: F401


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def asker(db):
    return ProfileFactory(
        user__first_name="Nodira",
        user__last_name="Karimova",
        country="TJ",
        organisation="Migration Service",
    ).user


@pytest.fixture
def answerer(db):
    return ProfileFactory(
        user__first_name="Ion",
        user__last_name="Rusu",
        country="MD",
        organisation="Bureau for Migration",
    ).user


@pytest.fixture
def topic(db):
    return Topic.objects.order_by("position", "slug").first()


def pdf_file(name: str = "procedure.pdf", *lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, pdf_compose(pages=[list(lines or ["Registration procedure"])]), "application/pdf"
    )


def png_file(name: str = "chart.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")


def thread_form(topic, **overrides) -> dict:
    data = {
        "kind": "question",
        "title": "How do you register seasonal workers?",
        "body": "We are drafting a new procedure and would like to learn from colleagues.",
        "language": "",
        "topics": [topic.pk],
        "countries": ["TJ", "KZ"],
        "visibility": "members",
    }
    data.update(overrides)
    return data


def ask(client: Client, topic, **overrides):
    """Post the real ask form."""
    return client.post(reverse("exchange:thread_new"), thread_form(topic, **overrides))


def answer(client: Client, thread, body: str = "In our ministry we register them online.", **extra):
    return client.post(
        reverse("exchange:post_new", args=[thread.pk]), {"body": body, "language": "", **extra}
    )

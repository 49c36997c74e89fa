"""The privacy notice and the terms of use, in English and in Russian."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def main(response) -> str:
    return re.search(r"<main[^>]*>(.*?)</main>", response.content.decode(), re.S)[1]


@pytest.mark.parametrize(
    ("language", "title", "rights"),
    [
        ("en", "Privacy notice", ["your profile", "Download everything", "Close your account"]),
        (
            "ru",
            "Уведомление о конфиденциальности",
            ["профиле", "Скачать все сведения", "закрыть учётную запись"],
        ),
    ],
)
def test_privacy_notice_names_the_data_the_rights_and_the_contact(
    client, settings, language, title, rights
):
    settings.SECRETARIAT_CONTACT_EMAIL = "privacy@mirpal.example"
    settings.SECURITY_EVENTS_RETENTION_DAYS = 365
    response = client.get(reverse("privacy"), headers={"accept-language": language})
    assert response.status_code == 200
    html = main(response)
    assert re.findall(r"<h1>(.*?)</h1>", html) == [title]
    links = {text(label): href for href, label in re.findall(r'<a href="([^"]+)">(.*?)</a>', html)}
    assert [links[label] for label in rights] == [
        reverse("members:profile_edit"),
        reverse("members:data_export"),
        reverse("members:account_close"),
    ]
    assert links["privacy@mirpal.example"] == "mailto:privacy@mirpal.example"
    days = "365 days" if language == "en" else "365 дней"
    assert days in text(html)


@pytest.mark.parametrize(
    ("language", "title", "privacy"),
    [
        ("en", "Terms of use", "privacy notice"),
        ("ru", "Условия использования", "уведомлении о конфиденциальности"),
    ],
)
def test_terms_link_the_privacy_notice_and_the_contact(client, settings, language, title, privacy):
    settings.SECRETARIAT_CONTACT_EMAIL = "privacy@mirpal.example"
    response = client.get(reverse("terms"), headers={"accept-language": language})
    assert response.status_code == 200
    html = main(response)
    assert re.findall(r"<h1>(.*?)</h1>", html) == [title]
    links = {text(label): href for href, label in re.findall(r'<a href="([^"]+)">(.*?)</a>', html)}
    assert links[privacy] == reverse("privacy")
    assert links["privacy@mirpal.example"] == "mailto:privacy@mirpal.example"

"""Attendance is content work: the editor role, which holds manage_attendance, runs the import."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from events.models import Attendance
from tests.factories.events import EventFactory, in_days
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_event():
    return EventFactory(starts_at=in_days(-1), ends_at=in_days(-1) + datetime.timedelta(hours=2))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report(*emails: str) -> SimpleUploadedFile:
    rows = "".join(f"{email},45\n" for email in emails)
    return SimpleUploadedFile("report.csv", f"Email,Duration\n{rows}".encode(), "text/csv")


def test_editor_opens_and_posts_the_attendance_import(editor, past_event):
    present = ProfileFactory(user__email="present@example.org").user
    client = signed_in(editor)
    url = reverse("events:attendance_import", args=[past_event.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": report("present@example.org")}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Attendance imported: 1 participant marked present."
    ]
    assert list(Attendance.objects.values_list("event", "user", "minutes", "marked_by")) == [
        (past_event.pk, present.pk, 45, editor.pk)
    ]
    assert signed_in(editor).get(reverse("events:attendance_report")).status_code == 200


def test_manager_without_manage_attendance_cannot_import(manager, past_event):
    ProfileFactory(user__email="present@example.org")
    client = signed_in(manager)
    url = reverse("events:attendance_import", args=[past_event.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"file": report("present@example.org")}).status_code == 403
    assert client.get(reverse("events:attendance_report")).status_code == 403
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize(
    ("count", "english", "russian"),
    [
        (1, "1 participant marked present.", "Отмечен 1 участник."),
        (3, "3 participants marked present.", "Отмечено 3 участника."),
        (5, "5 participants marked present.", "Отмечено 5 участников."),
    ],
)
def test_import_message_agrees_with_the_number(secretariat, past_event, count, english, russian):
    emails = [f"p{number}@example.org" for number in range(count)]
    for email in emails:
        ProfileFactory(user__email=email)
    url = reverse("events:attendance_import", args=[past_event.slug])
    client = signed_in(secretariat)
    response = client.post(url, {"file": report(*emails)}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [f"Attendance imported: {english}"]
    Attendance.objects.all().delete()
    response = client.post(
        url, {"file": report(*emails)}, headers={"accept-language": "ru"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        f"Данные об участии загружены. {russian}"
    ]

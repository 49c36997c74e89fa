"""Who among staff sees members' email addresses: the people-and-mail role (and the full
secretariat role, which holds it) does; the content role (events, library, roster) sees names,
organisations and countries instead, on its pages and in its exports alike."""

import csv
import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from events.models import Attendance
from mirpal.roles import EDITOR_PERMISSIONS, MANAGER_PERMISSIONS, SECRETARIAT_PERMISSIONS
from tests.factories.events import EventFactory, RegistrationFactory
from tests.factories.members import (
    EditorFactory,
    ManagerFactory,
    ProfileFactory,
    SecretariatFactory,
    UserFactory,
)
from tests.factories.roster import ExpertFactory, ExpertRequestFactory

EMAIL = "aigerim.private@ministry.example"


@pytest.fixture
def person(db):
    return ProfileFactory(
        user__first_name="Aigerim",
        user__last_name="Seitkali",
        user__email=EMAIL,
        organisation="Ministry of Labour",
        country="KZ",
    ).user


@pytest.fixture
def event(person):
    event = EventFactory()
    RegistrationFactory(event=event, user=person)
    Attendance.objects.create(event=event, user=person, minutes=50)
    return event


@pytest.fixture
def editor(db):
    client = Client()
    client.force_login(EditorFactory())
    return client


@pytest.fixture
def secretariat(db):
    client = Client()
    client.force_login(SecretariatFactory())
    return client


@pytest.fixture
def manager(db):
    client = Client()
    client.force_login(ManagerFactory())
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    if response.streaming:
        text = b"".join(response.streaming_content).decode()
    else:
        text = response.content.decode()
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_only_the_roles_that_manage_members_hold_the_permission():
    assert "members.view_member_email" in MANAGER_PERMISSIONS
    assert "members.view_member_email" in SECRETARIAT_PERMISSIONS
    assert "members.view_member_email" not in EDITOR_PERMISSIONS


def test_an_account_is_never_named_by_its_address(db):
    nameless = UserFactory(first_name="", last_name="", email="nameless@example.org")
    assert str(nameless) == f"account {nameless.pk}"
    assert "nameless@example.org" not in str(nameless)


# --- The admin pages an editor opens.


def test_registrations_and_attendance_in_the_admin_show_an_editor_names_only(editor, event):
    for url in (
        reverse("admin:events_registration_changelist"),
        reverse("admin:events_attendance_changelist"),
        reverse("admin:events_event_change", args=[event.pk]),
        reverse("admin:events_registration_change", args=[event.registrations.get().pk]),
        reverse("admin:events_attendance_change", args=[event.attendances.get().pk]),
    ):
        html = page(editor, url)
        assert "Aigerim Seitkali" in html, url
        assert EMAIL not in html, url


def test_a_nameless_account_shows_in_the_admin_without_its_address(editor, event):
    nameless = ProfileFactory(user__first_name="", user__last_name="").user
    RegistrationFactory(event=event, user=nameless)
    html = page(editor, reverse("admin:events_registration_changelist"))
    assert nameless.email not in html
    assert f"account {nameless.pk}" in html


@pytest.mark.parametrize(
    "changelist", ["admin:events_registration_changelist", "admin:events_attendance_changelist"]
)
def test_an_editor_cannot_find_a_member_by_address(editor, secretariat, event, changelist):
    url = reverse(changelist) + "?q=" + EMAIL
    assert "Aigerim Seitkali" not in page(editor, url)
    assert "Aigerim Seitkali" in page(secretariat, url)
    # By name, both do.
    assert "Aigerim Seitkali" in page(editor, reverse(changelist) + "?q=Seitkali")


def test_an_editor_cannot_find_an_expert_or_a_request_by_the_members_address(
    editor, secretariat, person
):
    ExpertFactory(name_en="Linked Expert", user=person)
    ExpertRequestFactory(requester=person, purpose="A review of the draft law")
    experts = reverse("admin:members_expert_changelist") + "?q=" + EMAIL
    requests = reverse("admin:members_expertrequest_changelist") + "?q=" + EMAIL
    assert "Linked Expert" not in page(editor, experts)
    assert "Linked Expert" in page(secretariat, experts)
    assert "Aigerim Seitkali" not in page(editor, requests)
    assert "Aigerim Seitkali" in page(secretariat, requests)
    assert EMAIL not in page(editor, reverse("admin:members_expertrequest_changelist"))


# --- Exports from the admin.


def _export(client, changelist, action, pks):
    return client.post(
        reverse(changelist), {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks]}
    )


def test_the_registration_exports_in_the_admin_have_no_email_column_for_an_editor(
    editor, secretariat, event
):
    registration = event.registrations.get()
    for client, sees in ((editor, False), (secretariat, True)):
        for changelist, action, pk in (
            ("admin:events_event_changelist", "export_registrations", event.pk),
            (
                "admin:events_registration_changelist",
                "export_selected_registrations",
                registration.pk,
            ),
        ):
            table = rows(_export(client, changelist, action, [pk]))
            assert ("email" in table[0]) is sees
            assert (EMAIL in table[1]) is sees
            assert "Aigerim" in table[1]
            assert "Ministry of Labour" in table[1]


def test_the_roster_exports_keep_the_experts_contact_but_not_the_members_address(
    editor, secretariat, person
):
    expert = ExpertFactory(user=person, contact_email="expert.office@institute.example")
    for client, sees in ((editor, False), (secretariat, True)):
        for response in (
            client.get(reverse("members:experts_export")),
            _export(client, "admin:members_expert_changelist", "export_csv", [expert.pk]),
        ):
            table = rows(response)
            assert ("member_email" in table[0]) is sees
            assert (EMAIL in table[1]) is sees
            assert "expert.office@institute.example" in table[1]
            assert len(table[0]) == len(table[1])


# --- The panel's exports.


@pytest.mark.parametrize("dataset", ["registrations", "attendance"])
def test_the_panel_exports_have_no_email_column_for_an_editor(editor, secretariat, event, dataset):
    start, end = event.starts_at.date(), event.starts_at.date()
    url = (
        reverse("panel:exports")
        + f"?dataset={dataset}&audience=secretariat&format=csv&start={start}&end={end}"
    )
    editor_table, secretariat_table = rows(editor.get(url)), rows(secretariat.get(url))
    assert "email" not in editor_table[0]
    assert EMAIL not in [cell for row in editor_table for cell in row]
    person = ["Aigerim", "Seitkali", "KZ", "Ministry of Labour"]
    assert [cell for cell in editor_table[1] if cell in person] == person
    assert "email" in secretariat_table[0]
    assert EMAIL in secretariat_table[1]


def test_the_panel_roster_export_has_no_member_address_for_an_editor(editor, secretariat, person):
    ExpertFactory(user=person)
    url = reverse("panel:exports") + (
        "?dataset=roster&audience=secretariat&format=xlsx&start=2026-01-01&end=2026-03-31"
    )
    editor_file, secretariat_file = editor.get(url), secretariat.get(url)
    assert editor_file.status_code == secretariat_file.status_code == 200
    # The sheet's strings are stored zipped; read them through openpyxl.
    from openpyxl import load_workbook

    def cells(response):
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    editor_rows, secretariat_rows = cells(editor_file), cells(secretariat_file)
    assert "member_email" not in editor_rows[0]
    assert "contact_email" in editor_rows[0]
    assert EMAIL not in [cell for row in editor_rows for cell in row]
    assert EMAIL in [cell for row in secretariat_rows for cell in row]


def test_the_exports_page_tells_an_editor_their_files_hold_no_addresses(editor, manager):
    notice = "hold no member"
    assert notice in page(editor, reverse("panel:exports"))
    assert notice not in page(manager, reverse("panel:exports"))


# --- The roster's pages.


def test_an_expert_linked_to_a_member_shows_the_editor_the_members_name(
    editor, secretariat, person
):
    expert = ExpertFactory(user=person)
    url = reverse("members:expert_detail", args=[expert.pk])
    editor_html, secretariat_html = page(editor, url), page(secretariat, url)
    assert "Aigerim Seitkali" in editor_html
    assert EMAIL not in editor_html
    assert expert.contact_email in editor_html  # the roster's own contact, which editors keep
    assert EMAIL in secretariat_html


def test_an_expert_request_shows_the_editor_who_asked_without_their_address(
    editor, secretariat, person
):
    expert_request = ExpertRequestFactory(requester=person)
    detail = reverse("members:expert_request_detail", args=[expert_request.pk])
    queue = reverse("members:expert_request_queue")
    for url in (detail, queue, reverse("panel:home")):
        html = page(editor, url)
        assert "Aigerim Seitkali" in html, url
        assert EMAIL not in html, url
    editor_detail = page(editor, detail)
    assert "Ministry of Labour" in editor_detail
    assert "Kazakhstan" in editor_detail or "Казахстан" in editor_detail
    assert EMAIL in page(secretariat, detail)


# --- The manager sees addresses where their pages show them.


def test_a_manager_sees_members_addresses_in_the_user_admin(manager, person):
    assert EMAIL in page(manager, reverse("admin:members_user_changelist"))
    assert EMAIL in page(manager, reverse("admin:members_user_change", args=[person.pk]))
    found = page(manager, reverse("admin:members_user_changelist") + "?q=" + EMAIL)
    assert "Seitkali" in found

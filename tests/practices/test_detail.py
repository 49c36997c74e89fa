"""One case's page: every field in the page's language with the other as fallback, its contact
people as each viewer may see them, its documents, events and discussions, and who may open it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from exchange.enums import Visibility as ThreadVisibility
from practices.enums import Visibility
from tests.factories.events import EventFactory
from tests.factories.exchange import ThreadFactory
from tests.factories.library import DocumentFactory
from tests.factories.members import ProfileFactory, SecretariatFactory
from tests.factories.practices import CaseFactory
from tests.factories.roster import ExpertFactory

pytestmark = pytest.mark.django_db

TERM = re.compile(r"<dt>(.*?)</dt>\s*<dd lang=\"(\w\w)\">(.*?)</dd>", re.DOTALL)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fields(response) -> list[tuple[str, str, str]]:
    assert response.status_code == 200
    return [
        (term, lang, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip())
        for term, lang, text in TERM.findall(response.content.decode())
    ]


@pytest.fixture
def contacts():
    listed = ProfileFactory(
        user__first_name="Aibek", user__last_name="Toktogulov", country="KG",
        organisation="Ministry of Labour",
    )  # fmt: skip
    unlisted = ProfileFactory(
        user__first_name="Gulnara", user__last_name="Osmonova", listed_in_directory=False,
        country="KG", organisation="State Migration Service",
    )  # fmt: skip
    expert = ExpertFactory(name_en="Dina Expert", name_ru="Дина Эксперт")
    return listed, unlisted, expert


@pytest.fixture
def case(contacts):
    listed, unlisted, expert = contacts
    made = CaseFactory(
        slug="public-agency",
        title_en="Public employment agency abroad",
        title_ru="Государственное агентство занятости за рубежом",
        legal_basis_en="",
        legal_basis_ru="Постановление правительства № 12",
        lessons_en="Needs agreements with employers first.",
        lessons_ru="",
        year_from=2019,
        year_to=2023,
    )
    made.contact_members.set([listed.user, unlisted.user])
    made.contact_experts.set([expert])
    return made


def test_every_field_in_english_with_russian_where_english_is_missing(client, case):
    response = client.get(case.get_absolute_url())
    page = response.content.decode()
    assert "<h1>Public employment agency abroad</h1>" in page
    assert "Kyrgyz Republic</span> · <span>2019–2023" in page
    assert fields(response) == [
        ("Summary", "en", case.summary_en),
        ("Problem addressed", "en", case.problem_en),
        ("What was done", "en", case.measure_en),
        ("Legal or policy basis", "ru", "Постановление правительства № 12 (in Russian only)"),
        ("Results", "en", case.results_en),
        ("Source of the results", "en", case.results_source_en),
        ("Before copying it", "en", "Needs agreements with employers first."),
    ]


def test_in_russian_with_english_where_russian_is_missing(client, case):
    client.cookies["django_language"] = "ru"
    response = client.get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru")
    assert "<h1>Государственное агентство занятости за рубежом</h1>" in response.content.decode()
    shown = fields(response)
    assert [lang for _term, lang, _text in shown] == ["ru", "ru", "ru", "ru", "ru", "ru", "en"]
    assert shown[3][2] == "Постановление правительства № 12"
    assert shown[-1][2].startswith("Needs agreements with employers first.")


def test_contacts_as_each_viewer_sees_them(client, case, contacts, member):
    listed, _unlisted, expert = contacts
    expert_link = f'<a href="{reverse("members:expert_detail", args=[expert.pk])}">Dina Expert</a>'
    anonymous = client.get(case.get_absolute_url()).content.decode()
    assert "Toktogulov" not in anonymous
    assert "Osmonova" not in anonymous
    assert "2 members of the network can tell you more." in anonymous
    assert expert_link in anonymous
    assert reverse("practices:ask", args=[case.slug]) not in anonymous

    as_member = signed_in(member).get(case.get_absolute_url()).content.decode()
    directory = reverse("members:detail", args=[listed.pk])
    assert (
        f'<a href="{directory}">Aibek Toktogulov</a>, Ministry of Labour, Kyrgyz Republic'
        in as_member
    )
    # Not in the directory: named, not linked.
    assert "<li>Gulnara Osmonova, State Migration Service, Kyrgyz Republic</li>" in as_member
    assert expert_link in as_member
    assert f'href="{reverse("practices:ask", args=[case.slug])}"' in as_member


def test_linked_documents_events_and_discussions_each_viewer_may_see(client, case, member):
    public_doc = DocumentFactory(title_en="Agency statute", access="public")
    members_doc = DocumentFactory(title_en="Internal evaluation", access="members")
    event = EventFactory(title_en="Video conference on recruitment")
    public_thread = ThreadFactory(title="How is the agency funded?", visibility="public")
    members_thread = ThreadFactory(
        title="Fees charged to workers?", visibility=ThreadVisibility.MEMBERS
    )
    case.documents.set([public_doc, members_doc])
    case.events.set([event])
    case.threads.set([public_thread, members_thread])

    anonymous = client.get(case.get_absolute_url()).content.decode()
    assert "Agency statute" in anonymous
    assert "Internal evaluation" not in anonymous
    assert f'<a href="{event.get_absolute_url()}">Video conference on recruitment</a>' in anonymous
    assert "How is the agency funded?" in anonymous
    assert "Fees charged to workers?" not in anonymous

    as_member = signed_in(member).get(case.get_absolute_url()).content.decode()
    assert "Agency statute" in as_member
    assert "Internal evaluation" in as_member
    assert "How is the agency funded?" in as_member
    assert "Fees charged to workers?" in as_member


def test_members_only_and_unpublished_cases(client, applicant, member):
    private = CaseFactory(visibility=Visibility.MEMBERS)
    response = client.get(private.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    response = signed_in(applicant).get(private.get_absolute_url())
    assert (response.status_code, response["Location"]) == (302, reverse("members:account"))
    assert signed_in(member).get(private.get_absolute_url()).status_code == 200

    proposer = ProfileFactory().user
    draft = CaseFactory(review_state="submitted", published_at=None, proposed_by=proposer)
    for viewer in (client, signed_in(applicant), signed_in(member)):
        assert viewer.get(draft.get_absolute_url()).status_code == 404
    own = signed_in(proposer).get(draft.get_absolute_url())
    assert "Not published: Awaiting review." in own.content.decode()
    reviewer = signed_in(SecretariatFactory())
    assert reviewer.get(draft.get_absolute_url()).status_code == 200
    assert client.get(reverse("practices:case", args=["no-such-case"])).status_code == 404


def test_the_secretariat_sees_its_part(case, member):
    staff = signed_in(SecretariatFactory())
    page = staff.get(case.get_absolute_url()).content.decode()
    assert "For the secretariat" in page
    assert (
        "For the secretariat" not in signed_in(member).get(case.get_absolute_url()).content.decode()
    )


def test_offers_cases_to_compare_with(client, case):
    near = CaseFactory(title_en="Another case in Kyrgyzstan", slug="near", countries=["KG"])
    CaseFactory(title_en="Far away", slug="far", countries=["UZ"])
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'<option value="{near.slug}">Another case in Kyrgyzstan</option>' in page
    assert 'value="far"' not in page
    assert f'<input type="hidden" name="case" value="{case.slug}">' in page

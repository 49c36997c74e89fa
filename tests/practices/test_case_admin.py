"""The Case admin: the list the secretariat reviews from (filters, search), the full change form
with its documents, events, discussions and contacts (opens and saves, through the service and
its audit entry), a case entered by the secretariat, and who may open it."""

import pytest
from django.urls import reverse

from exchange.enums import Moderation
from mirpal.models import AuditEntry, OutboxMessage, WebhookDelivery, WebhookEndpoint
from practices.enums import ReviewState, Visibility
from practices.models import Case
from tests.factories.api import PartnerFactory
from tests.factories.events import EventFactory
from tests.factories.exchange import ThreadFactory
from tests.factories.library import DocumentFactory
from tests.factories.members import (
    EditorFactory,
    ManagerFactory,
    ProfileFactory,
    SecretariatFactory,
)
from tests.factories.practices import CaseFactory
from tests.factories.roster import ExpertFactory
from tests.practices.review_support import admin_form, first_topic, page_form, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_case():
    """A published case with everything that can go with it."""
    case = CaseFactory(title_en="Organised recruitment", topics=[first_topic()])
    case.contact_members.set([ProfileFactory(user__first_name="Ion", user__last_name="Rusu").user])
    case.contact_experts.set([ExpertFactory(name_en="Dana Expert")])
    case.documents.set([DocumentFactory(title_en="Annual report of the agency")])
    case.events.set([EventFactory(title_en="Recruitment webinar")])
    case.threads.set([ThreadFactory(title="How do you vet recruiters?")])
    return case


def test_the_change_page_of_a_case_with_everything_opens_and_saves(full_case):
    staff = signed_in(SecretariatFactory())
    url = reverse("admin:practices_case_change", args=[full_case.pk])
    page = staff.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for shown in (
        "Organised recruitment",
        "Ion Rusu",
        "Dana Expert",
        "Annual report of the agency",
        "Recruitment webinar",
        "How do you vet recruiters?",
    ):
        assert shown in html
    # Published: no review buttons.
    assert reverse("admin:practices_case_review", args=[full_case.pk, "published"]) not in html

    relations = {
        name: sorted(getattr(full_case, name).values_list("pk", flat=True))
        for name in ("contact_members", "contact_experts", "documents", "events", "threads")
    }
    response = staff.post(url, admin_form(full_case, title_ru="Организованный набор"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    full_case.refresh_from_db()
    assert full_case.title_ru == "Организованный набор"
    assert full_case.review_state == ReviewState.PUBLISHED
    assert {
        name: sorted(getattr(full_case, name).values_list("pk", flat=True)) for name in relations
    } == relations
    [entry] = AuditEntry.objects.filter(object_type="practices.Case")
    assert entry.action == "change"
    assert entry.after["title_ru"] == "Организованный набор"
    assert entry.after["threads"] == relations["threads"]
    assert OutboxMessage.objects.count() == 0


def test_the_admin_form_says_what_is_wrong(full_case):
    staff = signed_in(SecretariatFactory())
    url = reverse("admin:practices_case_change", args=[full_case.pk])
    response = staff.post(
        url,
        admin_form(full_case, title_en="", title_ru="", countries=[], year_from=2020, year_to=2019),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "title_en": ["Give the case a title, in English or in Russian."],
        "year_to": ["The end year cannot be before the start year."],
        "countries": ["Choose at least one country."],
    }


def test_making_a_published_case_public_in_the_admin_tells_the_partners():
    WebhookEndpoint.objects.create(
        partner=PartnerFactory(), url="https://partner.example/cases", topics=["case.published"]
    )
    case = CaseFactory(visibility=Visibility.MEMBERS)
    staff = signed_in(SecretariatFactory())
    url = reverse("admin:practices_case_change", args=[case.pk])
    assert staff.post(url, admin_form(case, summary_en="Now in short.")).status_code == 302
    assert WebhookDelivery.objects.count() == 0
    assert staff.post(url, admin_form(case, visibility="public")).status_code == 302
    assert WebhookDelivery.objects.get().payload["data"]["slug"] == case.slug


def test_the_list_filters_by_review_state_and_country_and_searches():
    CaseFactory(title_en="Kyrgyz published", countries=["KG"])
    waiting = CaseFactory(
        title_en="Kyrgyz waiting",
        countries=["KG"],
        review_state=ReviewState.SUBMITTED,
        published_at=None,
    )
    CaseFactory(
        title_en="Armenian waiting",
        countries=["AM"],
        review_state=ReviewState.SUBMITTED,
        published_at=None,
    )
    staff = signed_in(SecretariatFactory())
    url = reverse("admin:practices_case_changelist")
    response = staff.get(url, {"review_state": "submitted", "country": "KG"})
    assert [case.pk for case in response.context["cl"].result_list] == [waiting.pk]
    response = staff.get(url, {"q": "Armenian"})
    assert [case.title_en for case in response.context["cl"].result_list] == ["Armenian waiting"]


def test_the_secretariat_enters_a_case_which_then_awaits_review():
    user = SecretariatFactory()
    response = signed_in(user).post(
        reverse("admin:practices_case_add"),
        page_form(
            title_en="Entered by staff",
            measure_en="A measure.",
            documents=[],
            events=[],
            threads=[],
            _save="Save",
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.slug, case.review_state, case.proposed_by) == (
        "entered-by-staff",
        ReviewState.SUBMITTED,
        user,
    )
    assert case.published_at is None
    assert AuditEntry.objects.get().action == "create"
    assert OutboxMessage.objects.count() == 0


def test_editors_review_and_managers_do_not(full_case):
    waiting = CaseFactory(review_state=ReviewState.SUBMITTED, published_at=None)
    editor = signed_in(EditorFactory())
    page = editor.get(reverse("admin:practices_case_change", args=[waiting.pk]))
    assert page.status_code == 200
    assert reverse("admin:practices_case_review", args=[waiting.pk, "changes"]) in (
        page.content.decode()
    )
    assert editor.get(reverse("admin:practices_case_change", args=[full_case.pk])).status_code == (
        200
    )
    manager = signed_in(ManagerFactory())
    assert manager.get(reverse("admin:practices_case_changelist")).status_code == 403
    response = manager.post(
        reverse("admin:practices_case_review", args=[waiting.pk, "published"]), {"note": ""}
    )
    assert response.status_code == 403
    waiting.refresh_from_db()
    assert waiting.review_state == ReviewState.SUBMITTED


def test_only_published_discussions_are_offered(full_case):
    ThreadFactory(title="A hidden thread", state=Moderation.HIDDEN)
    page = signed_in(SecretariatFactory()).get(
        reverse("admin:practices_case_change", args=[full_case.pk])
    )
    field = page.context["adminform"].form.fields["threads"]
    assert [thread.title for thread in field.queryset] == ["How do you vet recruiters?"]

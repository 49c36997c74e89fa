"""The secretariat reviews proposed cases in the admin: it asks for changes (the proposer edits
and sends the case again), publishes, or declines with a reason. Each step is audited and mails
the proposer once, in their language; a public case published is announced to the partners
subscribed to case.published, a members-only one to no one."""
# (Russian text is Cyrillic on purpose.)

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from mirpal.models import AuditEntry, OutboxMessage, WebhookDelivery, WebhookEndpoint
from practices import services
from practices.enums import ReviewState
from practices.models import Case
from tests.factories.api import PartnerFactory
from tests.factories.members import ProfileFactory, SecretariatFactory
from tests.practices.review_support import (
    RUSSIAN_CASE,
    mails_to,
    page_form,
    propose,
    review,
    signed_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://mirpal.example"


@pytest.fixture
def endpoints():
    """One partner hears of new cases; another listens to events only."""
    cases = WebhookEndpoint.objects.create(
        partner=PartnerFactory(), url="https://partner.example/cases", topics=["case.published"]
    )
    WebhookEndpoint.objects.create(
        partner=PartnerFactory(), url="https://other.example/hook", topics=["event.published"]
    )
    return cases


def _proposed(user, language: str, **values) -> Case:
    assert propose(signed_in(user, language), **values).status_code == 302
    return Case.objects.get(proposed_by=user)


def test_changes_requested_then_resubmitted_then_published_through_the_admin(endpoints):
    proposer = ProfileFactory(
        user__first_name="Айгуль", user__last_name="Сатпаева", mail_language="ru"
    ).user
    case = _proposed(proposer, "ru", **RUSSIAN_CASE)
    staff = signed_in(SecretariatFactory())

    page = staff.get(reverse("admin:practices_case_change", args=[case.pk])).content.decode()
    for step in ("published", "changes", "declined"):
        assert reverse("admin:practices_case_review", args=[case.pk, step]) in page

    # A request for changes without saying what to change is refused.
    response = review(staff, case, "changes", note="  ")
    assert response.status_code == 200
    assert response.context["form"].errors == {"note": ["Say what the proposer should change."]}
    case.refresh_from_db()
    assert case.review_state == ReviewState.SUBMITTED

    note = "Добавьте, пожалуйста, правовую основу и источник цифр."
    response = review(staff, case, "changes", note=note)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:practices_case_change", args=[case.pk])
    case.refresh_from_db()
    assert (case.review_state, case.review_note) == (ReviewState.CHANGES_REQUESTED, note)

    _received, changes = mails_to(proposer)
    assert changes.subject == (
        "[MIRPAL] Просьба внести изменения в практику "
        "«Оргнабор через Государственное агентство занятости»"
    )
    assert changes.body_text.startswith("Уважаемый(-ая) Айгуль Сатпаева!")
    assert note in changes.body_text
    edit_url = f"https://mirpal.example/practices/{case.slug}/edit/"
    assert edit_url in changes.body_text

    # The proposer follows the mail's link, sees the note, edits and sends the case again.
    client = signed_in(proposer, "ru")
    edit_path = edit_url.removeprefix("https://mirpal.example")
    page = client.get(edit_path).content.decode()
    assert note in page
    assert "Сохранить и отправить на повторное рассмотрение" in page
    assert "Мера" in page
    response = client.post(
        edit_path,
        page_form(
            **RUSSIAN_CASE,
            legal_basis_ru="Постановление Правительства № 123 от 1 марта 2021 года",
        ),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.review_state == ReviewState.SUBMITTED
    assert case.legal_basis_ru == "Постановление Правительства № 123 от 1 марта 2021 года"
    resubmitted = mails_to(proposer)[-1]
    assert resubmitted.subject == (
        "[MIRPAL] Исправленная практика «Оргнабор через Государственное агентство занятости» "
        "поступила в секретариат"
    )

    response = review(staff, case, "published", note="Спасибо!")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.review_state == ReviewState.PUBLISHED
    assert case.published_at is not None

    published = mails_to(proposer)[-1]
    assert published.subject == (
        "[MIRPAL] Ваша практика «Оргнабор через Государственное агентство занятости» опубликована"
    )
    assert "Она доступна всем, и организации-партнёры сети получат уведомление о ней." in (
        published.body_text
    )
    assert f"https://mirpal.example/practices/{case.slug}/" in published.body_text

    # Once each: four steps, four mails to the proposer, none to anyone else.
    assert len(mails_to(proposer)) == 4
    assert OutboxMessage.objects.count() == 4
    assert [key.split(":")[3] for key in mails_to_keys(proposer)] == [
        "received",
        "changes",
        "received",
        "published",
    ]
    entries = AuditEntry.objects.filter(object_type="practices.Case").order_by("pk")
    assert [(entry.action, entry.after["review_state"]) for entry in entries] == [
        ("create", "submitted"),
        ("change", "changes"),
        ("change", "submitted"),
        ("publish", "published"),
    ]

    [delivery] = WebhookDelivery.objects.all()
    assert delivery.endpoint == endpoints
    assert delivery.topic == "case.published"
    data = delivery.payload["data"]
    assert data["slug"] == case.slug
    assert (data["title_en"], data["title_ru"]) == ("", RUSSIAN_CASE["title_ru"])
    assert data["countries"] == ["KG", "KZ"]
    assert data["status"] == "pilot"
    assert data["url"] == f"https://mirpal.example/practices/{case.slug}/"
    for private in ("proposed_by", "review_note", "contact_members", "contact_experts"):
        assert private not in data

    # Published already: the button is gone, and the step refused.
    response = review(staff, case, "published")
    assert response.status_code == 302
    assert len(mails_to(proposer)) == 4
    assert WebhookDelivery.objects.count() == 1


def mails_to_keys(user) -> list[str]:
    return [mail.idempotency_key for mail in mails_to(user)]


def test_a_case_declined_says_why_in_the_proposers_language(endpoints):
    proposer = ProfileFactory(user__first_name="Ion", user__last_name="Rusu").user
    case = _proposed(proposer, "en", title_en="Registration by post", measure_en="By post.")
    staff = signed_in(SecretariatFactory())

    response = review(staff, case, "declined")
    assert response.context["form"].errors == {
        "note": ["Give the proposer the reason for declining."]
    }
    reason = "The network already has this case from the same ministry."
    assert review(staff, case, "declined", note=reason).status_code == 302
    case.refresh_from_db()
    assert (case.review_state, case.review_note) == (ReviewState.DECLINED, reason)
    assert case.published_at is None

    declined = mails_to(proposer)[-1]
    assert declined.subject == "[MIRPAL] Your case “Registration by post” will not be published"
    assert declined.body_text.startswith("Dear Ion Rusu,")
    assert reason in declined.body_text
    assert len(mails_to(proposer)) == 2
    assert AuditEntry.objects.filter(action="reject", object_id=str(case.pk)).count() == 1
    assert WebhookDelivery.objects.count() == 0

    client = signed_in(proposer)
    mine = client.get(reverse("practices:mine")).content.decode()
    assert "Why the secretariat declined it:" in mine
    assert reason in mine
    assert client.get(reverse("practices:edit", args=[case.slug])).status_code == 403
    # A declined case is not published afterwards.
    assert review(staff, case, "published").status_code == 302
    case.refresh_from_db()
    assert case.review_state == ReviewState.DECLINED


def test_a_members_only_case_published_notifies_no_partner(endpoints):
    proposer = ProfileFactory().user
    case = _proposed(
        proposer,
        "en",
        title_en="Pre-departure courses",
        measure_en="Courses.",
        visibility="members",
    )
    assert review(signed_in(SecretariatFactory()), case, "published").status_code == 302
    case.refresh_from_db()
    assert case.review_state == ReviewState.PUBLISHED
    assert WebhookDelivery.objects.count() == 0
    assert "The network's members can read it." in mails_to(proposer)[-1].body_text


def test_only_reviewers_take_review_steps_and_only_from_an_open_state():
    proposer = ProfileFactory().user
    case = _proposed(proposer, "en", title_en="Online queue", measure_en="An online queue.")
    with pytest.raises(PermissionDenied):
        services.case_publish(case=case, by=proposer)
    staff = SecretariatFactory()
    services.case_decline(case=case, reason="Out of scope.", by=staff)
    with pytest.raises(services.CaseReviewError):
        services.case_publish(case=case, by=staff)
    with pytest.raises(services.CaseReviewError):
        services.case_request_changes(case=case, note="More figures.", by=staff)
    case.refresh_from_db()
    assert case.review_state == ReviewState.DECLINED


def test_publish_selected_from_the_list(endpoints):
    waiting = _proposed(ProfileFactory().user, "en", title_en="First", measure_en="One.")
    other = _proposed(ProfileFactory().user, "en", title_en="Second", measure_en="Two.")
    services.case_decline(case=other, reason="Duplicate.", by=SecretariatFactory())
    response = signed_in(SecretariatFactory()).post(
        reverse("admin:practices_case_changelist"),
        {"action": "publish_selected", "_selected_action": [waiting.pk, other.pk]},
        follow=True,
    )
    assert [str(message) for message in response.context["messages"]] == [
        "1 case published.",
        "1 left as it was: only a case awaiting review can be published.",
    ]
    assert dict(Case.objects.values_list("title_en", "review_state")) == {
        "First": "published",
        "Second": "declined",
    }
    assert WebhookDelivery.objects.get().payload["data"]["title_en"] == "First"

"""A member proposes a good practice through the page, in one language, section by section; the
case waits for review, is audited, and its proposer is mailed once, in their language."""
# (Russian text is Cyrillic on purpose.)

import pytest
from django.urls import reverse

from mirpal.models import AuditEntry, OutboxMessage
from practices.enums import ReviewState, Visibility
from practices.models import Case
from tests.factories.members import ProfileFactory
from tests.factories.practices import CaseFactory
from tests.factories.roster import ExpertFactory
from tests.practices.review_support import (
    RUSSIAN_CASE,
    first_topic,
    mails_to,
    propose,
    signed_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def russian_member(db):
    return ProfileFactory(
        user__first_name="Айгуль", user__last_name="Сатпаева", mail_language="ru", country="KZ"
    ).user


def test_a_russian_speaking_member_proposes_a_case_in_russian_only(russian_member):
    colleague = ProfileFactory(
        user__first_name="Ion", user__last_name="Rusu", organisation="Bureau for Migration"
    ).user
    expert = ExpertFactory(name_en="Dana Expert", name_ru="Дана Эксперт")
    client = signed_in(russian_member, "ru")

    page = client.get(reverse("practices:propose")).content.decode()
    assert "Предложить практику" in page
    assert "Кратко о практике" in page
    assert "Что учесть при заимствовании" in page
    assert "Ion Rusu — Bureau for Migration" in page

    response = propose(
        client,
        **RUSSIAN_CASE,
        countries=["KZ", "KG"],
        year_from="2021",
        year_to="2023",
        contact_members=[colleague.pk],
        contact_experts=[expert.pk],
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("practices:mine")
    case = Case.objects.get()
    assert case.slug == "orgnabor-cherez-gosudarstvennoe-agentstvo-zanyatosti"
    assert (case.title_en, case.title_ru) == ("", RUSSIAN_CASE["title_ru"])
    assert case.measure_ru == RUSSIAN_CASE["measure_ru"]
    assert case.countries == ["KG", "KZ"]
    assert (case.year_from, case.year_to, case.status) == (2021, 2023, "pilot")
    assert (case.visibility, case.review_state) == (Visibility.PUBLIC, ReviewState.SUBMITTED)
    assert case.published_at is None
    assert case.proposed_by == russian_member
    assert list(case.topics.all()) == [first_topic()]
    assert list(case.contact_members.all()) == [colleague]
    assert list(case.contact_experts.all()) == [expert]

    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id) == (
        "create",
        "practices.Case",
        str(case.pk),
    )
    assert entry.actor == russian_member
    assert entry.after["review_state"] == "submitted"
    assert entry.after["contact_experts"] == [expert.pk]

    [mail] = mails_to(russian_member)
    assert mail.idempotency_key == f"practices:case:{case.pk}:received:{entry.pk}"
    assert mail.subject == (
        "[MIRPAL] Ваша практика «Оргнабор через Государственное агентство занятости» "
        "поступила в секретариат"
    )
    assert mail.body_text.startswith("Уважаемый(-ая) Айгуль Сатпаева!")
    assert "Секретариат рассмотрит её и напишет вам" in mail.body_text
    assert f"http://127.0.0.1:8000/practices/{case.slug}/edit/" in mail.body_text
    assert mail.body_html.startswith('<!DOCTYPE html><html lang="ru">')
    assert OutboxMessage.objects.count() == 1

    mine = client.get(reverse("practices:mine")).content.decode()
    assert "Мои предложенные практики" in mine
    assert RUSSIAN_CASE["title_ru"] in mine
    assert "Изменить, пока практика ожидает рассмотрения" in mine
    assert reverse("practices:edit", args=[case.slug]) in mine


def test_a_form_with_errors_says_what_is_missing_and_keeps_what_was_written(russian_member):
    client = signed_in(russian_member)
    response = propose(
        client,
        summary_en="Workers go abroad through <b>a public agency</b>.",
        problem_ru="Посредники брали высокую плату.",
        countries=[],
        topics=[],
        year_from="2022",
        year_to="2020",
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "title_en": ["Give the case a title, in English or in Russian."],
        "measure_en": ["Describe what was done, in English or in Russian."],
        "year_to": ["The end year cannot be before the start year."],
        "countries": ["Choose at least one country."],
        "topics": ["Choose at least one topic."],
    }
    page = response.content.decode()
    assert "Some answers need your attention" in page
    # What the member typed is still in the boxes, escaped.
    assert "Workers go abroad through &lt;b&gt;a public agency&lt;/b&gt;." in page
    assert "Посредники брали высокую плату." in page
    assert 'value="2022"' in page
    assert Case.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_one_language_is_enough_and_slugs_stay_unique_and_off_the_sections_paths(
    russian_member,
):
    client = signed_in(russian_member)
    CaseFactory(slug="seasonal-work-visas")
    for title in ("Seasonal work visas", "Seasonal work visas", "Propose"):
        response = propose(client, title_en=title, measure_en="A visa for six months.")
        assert response.status_code == 302
    assert list(Case.objects.order_by("pk").values_list("slug", flat=True)) == [
        "seasonal-work-visas",
        "seasonal-work-visas-2",
        "seasonal-work-visas-3",
        "propose-case",
    ]


def test_the_contacts_offered_are_listed_members_and_listed_experts(russian_member):
    ProfileFactory(user__first_name="Listed", user__last_name="Member")
    ProfileFactory(user__first_name="Unlisted", user__last_name="Member", listed_in_directory=False)
    ProfileFactory(user__first_name="Pending", user__last_name="Applicant", status="pending")
    ExpertFactory(name_en="Roster Expert")
    ExpertFactory(name_en="Hidden Expert", is_listed=False)
    form = signed_in(russian_member).get(reverse("practices:propose")).context["form"]

    members = {user.get_full_name() for user in form.fields["contact_members"].queryset}
    assert members == {"Listed Member", "Айгуль Сатпаева"}
    experts = [str(expert) for expert in form.fields["contact_experts"].queryset]
    assert experts == ["Roster Expert"]

    unlisted = ProfileFactory(listed_in_directory=False).user
    response = propose(
        signed_in(russian_member),
        title_en="A title",
        measure_en="A measure",
        contact_members=[unlisted.pk],
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["contact_members"]

"""What the review tests share: signed-in clients, the propose page's form and the admin's
change form as a browser posts them, and the mails the outbox holds for one person."""

from django.test import Client
from django.urls import reverse

from mirpal.models import OutboxMessage, Topic
from practices.models import CASE_TEXT_FIELDS

TEXTS = [f"{name}_{language}" for name in CASE_TEXT_FIELDS for language in ("en", "ru")]

# A case as a Russian-speaking member writes it: in Russian only.
RUSSIAN_CASE = {
    "title_ru": "Оргнабор через Государственное агентство занятости",
    "summary_ru": "Работники выезжают через государственное агентство, а не через посредников.",
    "problem_ru": "Недобросовестные посредники брали с работников высокую плату.",
    "measure_ru": "Агентство заключает соглашения с работодателями за рубежом и отбирает людей.",
    "results_ru": "В 2023 году трудоустроено 12 000 человек; расходы работников снизились на 60%.",
    "results_source_ru": "Министерство труда, годовой отчёт за 2023 год",
}


def signed_in(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def first_topic() -> Topic:
    return Topic.objects.order_by("position", "slug").first()


def page_form(**values) -> dict:
    """The propose (or edit) page's form: every text box empty unless given."""
    data = dict.fromkeys(TEXTS, "")
    data.update(
        year_from="2021",
        year_to="",
        status="pilot",
        countries=["KZ", "KG"],
        topics=[first_topic().pk],
        visibility="public",
        contact_members=[],
        contact_experts=[],
    )
    data.update(values)
    return data


def propose(client: Client, **values):
    return client.post(reverse("practices:propose"), page_form(**values))


def admin_form(case, **values) -> dict:
    """The admin's change form as it comes filled with the case."""
    data = {name: getattr(case, name) for name in TEXTS}
    data.update(
        year_from=case.year_from or "",
        year_to=case.year_to or "",
        status=case.status,
        visibility=case.visibility,
        countries=list(case.countries),
        topics=[topic.pk for topic in case.topics.all()],
        contact_members=[user.pk for user in case.contact_members.all()],
        contact_experts=[expert.pk for expert in case.contact_experts.all()],
        documents=[document.pk for document in case.documents.all()],
        events=[event.pk for event in case.events.all()],
        threads=[thread.pk for thread in case.threads.all()],
        _save="Save",
    )
    data.update(values)
    return data


def review(client: Client, case, step: str, note: str = ""):
    return client.post(reverse("admin:practices_case_review", args=[case.pk, step]), {"note": note})


def mails_to(user) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to_email=user.email).order_by("pk"))

"""What the answers, programme and webhook tests share: a call, a proposal with a Russian-speaking
author and an English-speaking supporter, and the doors the secretariat uses (the form on the
proposal's page, the proposal's admin form)."""
# (Russian text is Cyrillic on purpose.)

from __future__ import annotations

import datetime
import html
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories.members import ProfileFactory
from tests.factories.programme import CallFactory, ProposalFactory, SupportFactory

YEAR = 2031


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person(first: str, last: str, *, language: str = "en", **more):
    return ProfileFactory(
        user__first_name=first, user__last_name=last, mail_language=language, **more
    ).user


def call_of(year: int = YEAR, **fields):
    now = timezone.now()
    return CallFactory(
        year=year,
        title_en=f"Work programme {year}",
        title_ru=f"Программа работы на {year} год",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=30),
        **fields,
    )


def proposal_with_people(call, **fields):
    """A proposal by a Russian-speaking author, supported by an English-speaking member and by
    its own author (who is mailed once all the same)."""
    author = person("Айгуль", "Сатпаева", language="ru", country="KZ")
    supporter = person("Ion", "Rusu", language="en", country="MD")
    proposal = ProposalFactory(
        call=call,
        author=author,
        title=fields.pop("title", "Pre-departure orientation"),
        countries=fields.pop("countries", ["KZ", "TJ"]),
        **fields,
    )
    SupportFactory(proposal=proposal, user=supporter)
    SupportFactory(proposal=proposal, user=author)
    return proposal, author, supporter


def answer_on_page(client, proposal, **data):
    return client.post(reverse("programme:answer", args=[proposal.pk]), data)


def page_text(response) -> str:
    """The page's text without tags, spaces squeezed, entities decoded."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def admin_form_data(response) -> dict:
    """What the admin's change form posts back as it stands: the main form's values and each
    inline's management form and rows."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[form.add_prefix(name)] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for row in formset.forms:
            for name in row.fields:
                value = row[name].value()
                if value is not None:
                    data[row.add_prefix(name)] = value
    return data


def answer_in_admin(client, proposal, **answer):
    url = reverse("admin:programme_proposal_change", args=[proposal.pk])
    data = admin_form_data(client.get(url))
    data.update(answer)
    return client.post(url, data)


def year_world(call) -> dict:
    """A year's programme with every case the page shows: activities in three quarters (one
    cancelled), what two of them became, accepted, open, declined and merged proposals, and an
    activity of the next year that must not show."""
    # Imported here: only the programme page and export tests need these factories.
    from mirpal.models import Topic
    from practices.enums import Visibility
    from programme.enums import ActivityKind, ActivityStatus, ProposalState
    from tests.factories.events import EventFactory
    from tests.factories.library import DocumentFactory
    from tests.factories.practices import CaseFactory
    from tests.factories.programme import ActivityFactory

    first, second = Topic.objects.order_by("position", "slug")[:2]
    conference = ActivityFactory(
        year=call.year,
        quarter=1,
        kind=ActivityKind.VIDEO_CONFERENCE,
        title_en="Video conference on pre-departure orientation",
        title_ru="Видеоконференция о подготовке к выезду",
        countries=["KZ", "TJ"],
    )
    conference.topics.set([first])
    visit = ActivityFactory(
        year=call.year,
        quarter=1,
        kind=ActivityKind.FIELD_VISIT,
        status=ActivityStatus.HELD,
        title_en="Visit to the Tashkent migrant centre",
        title_ru="Визит в ташкентский центр для мигрантов",
        countries=["UZ"],
        event=EventFactory(title_en="Field visit to Tashkent", title_ru="Выезд в Ташкент"),
        document=DocumentFactory(title_en="Visit report", title_ru="Отчёт о визите"),
    )
    study = ActivityFactory(
        year=call.year,
        quarter=3,
        kind=ActivityKind.STUDY,
        title_en="Study of return programmes",
        title_ru="Исследование программ возвращения",
        countries=["AM", "MD"],
        case=CaseFactory(
            title_en="Reintegration grants", title_ru="Гранты на реинтеграцию",
            visibility=Visibility.MEMBERS,
        ),
    )  # fmt: skip
    study.topics.set([second])
    cancelled = ActivityFactory(
        year=call.year,
        quarter=2,
        kind=ActivityKind.TRAINING,
        status=ActivityStatus.CANCELLED,
        title_en="Training of consular staff",
        title_ru="Обучение консульских работников",
        countries=["BY"],
    )
    ActivityFactory(year=call.year + 1, quarter=1, title_en="Next year's conference")

    supported = ProposalFactory(
        call=call,
        title="Orientation before departure",
        countries=["KZ"],
        state=ProposalState.ACCEPTED,
        activity=conference,
        topics=[first],
    )
    SupportFactory(proposal=supported)
    SupportFactory(proposal=supported)
    also = ProposalFactory(
        call=call,
        title="Courses for families staying behind",
        countries=["TJ", "KZ"],
        state=ProposalState.ACCEPTED,
        activity=conference,
    )
    open_one = ProposalFactory(
        call=call, title="Return and reintegration", countries=["MD"], topics=[second]
    )
    declined = ProposalFactory(
        call=call,
        title="Statistics of seasonal work",
        countries=["UZ"],
        state=ProposalState.NOT_THIS_YEAR,
        answer="The 2031 budget is committed.",
    )
    merged = ProposalFactory(
        call=call,
        title="Reintegration (duplicate)",
        countries=["RU"],
        state=ProposalState.MERGED,
        merged_into=open_one,
    )
    return {
        "topics": (first, second),
        "activities": (conference, visit, study, cancelled),
        "proposals": (supported, also, open_one, declined, merged),
    }

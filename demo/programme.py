"""The demo network's work programme: the open call for next year with members' proposals in
Russian and English, supports from all nine countries (each member within the yearly limit),
comments and the secretariat's first answers; this year's published programme, whose activities
became events; and one open scheduling poll for a planned video conference.

Idempotent: calls are keyed by year, proposals by call and title, activities by year and title,
the poll by its title; a second run adds nothing.
"""
# (Russian text is Cyrillic on purpose.)

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from events.models import Event
from members.models import User
from mirpal.fragments import data_changed
from mirpal.models import Topic
from programme.enums import ActivityKind, ActivityStatus, ProposalState, SlotAnswer
from programme.models import (
    Activity,
    Answer,
    Call,
    Comment,
    Poll,
    Proposal,
    Slot,
    StateChange,
    Support,
)

DEMO_DOMAIN = "@demo.mirpal.example"
MEMBER = "member@mirpal.example"
SECRETARIAT = "secretariat@mirpal.example"
NINE = ["AM", "BY", "KZ", "KG", "MD", "RU", "TJ", "UA", "UZ"]

# (title, need, why now, kind, countries, topics, language, author's country, supports wanted)
NEXT_YEAR_PROPOSALS = [
    (
        "Оргнабор: как проверять работодателей за рубежом",
        "Нашему министерству нужно понять, как агентства других стран проверяют "
        "иностранных работодателей до заключения договоров.",
        "В будущем году вступают в силу новые правила оргнабора.",
        ActivityKind.VIDEO_CONFERENCE,
        ["KG", "UZ", "TJ"],
        ["organised-recruitment"],
        "ru",
        "KG",
        14,
    ),
    (
        "Reintegration of returning migrants with re-entry bans",
        "We need to learn which reintegration services worked for people who cannot go back "
        "to their country of work.",
        "The number of returnees with bans doubled this year.",
        ActivityKind.STUDY,
        ["TJ", "UZ", "KG"],
        ["return-reintegration"],
        "en",
        "TJ",
        11,
    ),
    (
        "Учёт денежных переводов в платёжном балансе",
        "Нацбанку нужна методика оценки неформальных переводов и опыт обследований домохозяйств.",
        "Готовим новую методологию статистики переводов.",
        ActivityKind.TRAINING,
        ["BY", "KG", "MD", "AM"],
        ["remittances", "migration-data"],
        "ru",
        "BY",
        9,
    ),
    (
        "Field visit: pre-departure centres",
        "Our ministry would like to see how pre-departure orientation centres work in practice.",
        "We plan to open three centres next year.",
        ActivityKind.FIELD_VISIT,
        ["UZ", "TJ"],
        ["pre-departure"],
        "en",
        "UZ",
        8,
    ),
    (
        "Гендерная экспертиза миграционных законов",
        "Хотим обсудить с коллегами, как проводить гендерную экспертизу законопроектов о миграции.",
        "Парламент рассматривает новый закон о внешней трудовой миграции.",
        ActivityKind.EXPERT_REVIEW,
        ["KG", "TJ", "AM"],
        ["gender", "legislation-policy"],
        "ru",
        "AM",
        6,
    ),
    (
        "Digital consular services for citizens abroad",
        "We need to compare how consular registration apps identify people remotely.",
        "Our consulates cannot keep up with requests.",
        ActivityKind.VIDEO_CONFERENCE,
        ["UA", "MD", "KZ"],
        ["diaspora", "migration-data"],
        "en",
        "UA",
        5,
    ),
    (
        "Вовлечение диаспоры в местное развитие",
        "Нужно изучить механизмы софинансирования местных проектов землячествами.",
        "Муниципалитеты просят методические рекомендации.",
        ActivityKind.STUDY,
        ["MD", "AM", "UA"],
        ["diaspora"],
        "ru",
        "MD",
        4,
    ),
    (
        "Обмен данными о пересечении границы",
        "Хотим изучить соглашения об автоматическом обмене данными о въезде и выезде.",
        "Готовим соглашение с соседней страной.",
        ActivityKind.VIDEO_CONFERENCE,
        ["KZ", "RU", "KG"],
        ["border-management", "migration-data"],
        "ru",
        "KZ",
        3,
    ),
    (
        "Interagency data on returning migrants",
        "We would like to discuss how to link border, employment and social data on returnees.",
        "A new national strategy is being drafted.",
        ActivityKind.VIDEO_CONFERENCE,
        ["TJ", "UZ"],
        ["return-reintegration", "migration-data"],
        "en",
        "UZ",
        2,
    ),
    (
        "Языковые экзамены для мигрантов: подготовка до выезда",
        "Нужно понять, как организовать подготовку к экзаменам в стране происхождения.",
        "Растёт число мигрантов, не сдавших экзамен с первого раза.",
        ActivityKind.TRAINING,
        ["RU", "TJ", "UZ", "KG"],
        ["integration", "pre-departure"],
        "ru",
        "RU",
        2,
    ),
    (
        "Reintegration services after return: what works",
        "A comparative look at reintegration services for returnees in the region.",
        "",
        ActivityKind.STUDY,
        ["TJ", "KG"],
        ["return-reintegration"],
        "en",
        "KG",
        3,
    ),
]

# The secretariat's first answers on next year's proposals (by index above).
ANSWERS = {
    0: (ProposalState.ACCEPTED, "Planned for the first quarter as a video conference.", 1),
    1: (ProposalState.EVALUATING, "We are asking the roster's experts about a study.", None),
    2: (ProposalState.ACCEPTED, "A training with the central banks in the second quarter.", 2),
    6: (
        ProposalState.NOT_THIS_YEAR,
        "The donor's programme for diaspora work starts the year after; we will come back to it.",
        None,
    ),
}
# Proposal 10 is merged into proposal 1 (the same need, written twice).
MERGED = (10, 1)

# This year's programme: (quarter, kind, title_en, title_ru, countries, topic, proposal title)
THIS_YEAR_ACTIVITIES = [
    (
        1,
        ActivityKind.VIDEO_CONFERENCE,
        "Video conference: remittances and financial inclusion",
        "Видеоконференция: денежные переводы и финансовая доступность",
        ["TJ", "KG", "UZ"],
        "remittances",
        "Remittances into accounts: what banks can do",
    ),
    (
        2,
        ActivityKind.VIDEO_CONFERENCE,
        "Video conference: organised recruitment",
        "Видеоконференция: организованный набор",
        ["KG", "UZ", "AM"],
        "organised-recruitment",
        "Проверка частных агентств занятости",
    ),
    (
        3,
        ActivityKind.FIELD_VISIT,
        "Field visit: migration data in Moldova",
        "Ознакомительный визит: миграционная статистика в Молдове",
        ["MD", "AM", "BY"],
        "migration-data",
        "Measuring emigration with border data",
    ),
    (
        4,
        ActivityKind.STUDY,
        "Study: pre-departure orientation in the region",
        "Исследование: предвыездная подготовка в регионе",
        ["TJ", "UZ", "KG", "KZ"],
        "pre-departure",
        "Сравнительное исследование предвыездной подготовки",
    ),
]


def _members_by_country() -> dict[str, list[int]]:
    by_country: dict[str, list[int]] = defaultdict(list)
    rows = (
        User.objects.filter(profile__status="approved", email__endswith=DEMO_DOMAIN)
        .order_by("pk")
        .values_list("pk", "profile__country")
    )
    for pk, country in rows:
        by_country[country].append(pk)
    return by_country


def _call(year: int, opens_at, closes_at, *, published: bool) -> Call:
    call, _created = Call.objects.get_or_create(
        year=year,
        defaults={
            "title_en": f"Work programme {year}: call for proposals",
            "title_ru": f"Программа работы на {year} год: приём предложений",
            "description_en": "Tell the network what your institution needs to learn or "
            "discuss next year. Each member has "
            f"{settings.PROGRAMME_SUPPORTS_PER_YEAR} supports to give.",
            "description_ru": "Расскажите, что вашему ведомству нужно изучить или обсудить в "
            "следующем году. У каждого участника "
            f"{settings.PROGRAMME_SUPPORTS_PER_YEAR} голосов поддержки.",
            "opens_at": opens_at,
            "closes_at": closes_at,
            "programme_published": published,
        },
    )
    return call


def _history(proposal: Proposal, state: str, note: str, actor_id: int | None, when) -> None:
    StateChange.objects.create(
        proposal=proposal,
        from_state=ProposalState.SUBMITTED,
        to_state=state,
        note=note,
        actor_id=actor_id,
        created_at=when,
    )


def _supports(call: Call, proposals: list[tuple[Proposal, int]], members: list[int]) -> None:
    """Each proposal gets its wanted number of supports, from members in turn across the
    countries, none over the yearly limit and never the author's own."""
    limit = settings.PROGRAMME_SUPPORTS_PER_YEAR
    spent: dict[int, int] = defaultdict(int)
    rows = []
    cursor = 0
    for proposal, wanted in proposals:
        given = 0
        for _step in range(len(members)):
            if given == wanted:
                break
            pk = members[cursor % len(members)]
            cursor += 1
            if pk == proposal.author_id or spent[pk] >= limit:
                continue
            spent[pk] += 1
            given += 1
            rows.append(Support(call=call, proposal=proposal, user_id=pk))
    Support.objects.bulk_create(rows, ignore_conflicts=True)
    for proposal, _wanted in proposals:
        count = Support.objects.filter(proposal=proposal).count()
        Proposal.objects.filter(pk=proposal.pk).update(support_count=count)


def _interleaved(by_country: dict[str, list[int]]) -> list[int]:
    """Members taken one country at a time, so the supports come from all nine."""
    pools = [list(by_country.get(country, [])) for country in NINE]
    order: list[int] = []
    while any(pools):
        for pool in pools:
            if pool:
                order.append(pool.pop(0))
    return order


def _load_this_year(year: int, by_country, secretariat_id, topics) -> int:
    now = timezone.now()
    call = _call(
        year,
        datetime.datetime(year - 1, 10, 1, tzinfo=datetime.UTC),
        datetime.datetime(year - 1, 11, 15, tzinfo=datetime.UTC),
        published=True,
    )
    events = list(Event.objects.filter(starts_at__year=year).order_by("starts_at"))
    created = 0
    for index, (quarter, kind, title_en, title_ru, countries, topic, asked) in enumerate(
        THIS_YEAR_ACTIVITIES
    ):
        activity, new = Activity.objects.get_or_create(
            year=year,
            title_en=title_en,
            defaults={
                "title_ru": title_ru,
                "quarter": quarter,
                "kind": kind,
                "countries": countries,
            },
        )
        if not new:
            continue
        created += 1
        if topic in topics:
            activity.topics.set([topics[topic]])
        # Activities of past quarters became events (those the demo has in that quarter).
        in_quarter = [e for e in events if (e.starts_at.month - 1) // 3 + 1 == quarter]
        if in_quarter and in_quarter[0].starts_at < now:
            activity.event = in_quarter[0]
            activity.status = ActivityStatus.HELD
            activity.save(update_fields=["event", "status"])
        author_country = countries[0]
        pool = by_country.get(author_country) or [secretariat_id]
        proposal = Proposal.objects.create(
            call=call,
            author_id=pool[index % len(pool)],
            title=asked,
            need=title_en if asked.isascii() else title_ru,
            activity_kind=kind,
            countries=countries,
            language="en" if asked.isascii() else "ru",
            state=ProposalState.ACCEPTED,
            answer="Included in the programme."
            if asked.isascii()
            else "Включено в программу работы.",
            answered_at=call.closes_at + datetime.timedelta(days=20),
            activity=activity,
            created_at=call.opens_at + datetime.timedelta(days=3 + index),
        )
        if topic in topics:
            proposal.topics.set([topics[topic]])
        _history(
            proposal,
            ProposalState.ACCEPTED,
            proposal.answer,
            secretariat_id,
            call.closes_at + datetime.timedelta(days=20),
        )
    return created


def _load_next_year(year: int, by_country, secretariat_id, topics) -> int:
    now = timezone.now()
    call = _call(
        year,
        now - datetime.timedelta(days=20),
        now + datetime.timedelta(days=25),
        published=False,
    )
    if call.proposals.exists():
        return 0
    made: list[Proposal] = []
    for index, (
        title,
        need,
        why,
        kind,
        countries,
        topic_slugs,
        language,
        author_country,
        _w,
    ) in enumerate(NEXT_YEAR_PROPOSALS):
        pool = by_country.get(author_country) or [secretariat_id]
        proposal = Proposal.objects.create(
            call=call,
            author_id=pool[(index + 1) % len(pool)],
            title=title,
            need=need,
            why_now=why,
            activity_kind=kind,
            countries=countries,
            language=language,
            created_at=call.opens_at + datetime.timedelta(days=1 + index),
        )
        proposal.topics.set([topics[slug] for slug in topic_slugs if slug in topics])
        made.append(proposal)
    _supports(
        call,
        [(proposal, spec[8]) for proposal, spec in zip(made, NEXT_YEAR_PROPOSALS, strict=True)],
        _interleaved(by_country),
    )
    # Comments from colleagues in other countries.
    commenters = _interleaved(by_country)
    for index, (proposal, body) in enumerate(
        [
            (made[0], "У нас та же задача: в марте меняется порядок проверки работодателей."),
            (made[0], "We would join from Tashkent; our agency checks employers on site."),
            (made[1], "Важно включить в исследование опыт районов с наибольшим числом запретов."),
        ]
    ):
        Comment.objects.create(proposal=proposal, author_id=commenters[index * 7], body=body)
    for proposal in made:
        Proposal.objects.filter(pk=proposal.pk).update(
            comment_count=Comment.objects.filter(proposal=proposal).count()
        )
    # The secretariat's first answers.
    answered = now - datetime.timedelta(days=2)
    for index, (state, note, quarter) in ANSWERS.items():
        proposal = made[index]
        activity = None
        if quarter is not None:
            activity = Activity.objects.create(
                year=year,
                quarter=quarter,
                kind=proposal.activity_kind,
                title_en=proposal.title if proposal.language == "en" else "",
                title_ru=proposal.title if proposal.language == "ru" else "",
                countries=proposal.countries,
            )
            activity.topics.set(proposal.topics.all())
        Proposal.objects.filter(pk=proposal.pk).update(
            state=state, answer=note, answered_at=answered, activity=activity
        )
        _history(proposal, state, note, secretariat_id, answered)
    source, target = made[MERGED[0]], made[MERGED[1]]
    moved = Support.objects.filter(proposal=source).exclude(
        user_id__in=Support.objects.filter(proposal=target).values("user_id")
    )
    moved.update(proposal=target)
    Support.objects.filter(proposal=source).delete()
    Proposal.objects.filter(pk=source.pk).update(
        state=ProposalState.MERGED,
        merged_into=target,
        answer="Merged with a proposal on the same need.",
        answered_at=answered,
        support_count=0,
    )
    Proposal.objects.filter(pk=target.pk).update(
        support_count=Support.objects.filter(proposal=target).count()
    )
    _history(
        source,
        ProposalState.MERGED,
        "Merged with a proposal on the same need.",
        secretariat_id,
        answered,
    )
    _load_poll(made[0], by_country, secretariat_id)
    return len(made)


def _load_poll(proposal: Proposal, by_country, secretariat_id) -> None:
    """An open poll for the first quarter's video conference: six slots, one member from each
    country invited (and the demo member), some answers in."""
    proposal.refresh_from_db()
    title_en = "Video conference: checking employers abroad"
    if Poll.objects.filter(title_en=title_en).exists():
        return
    poll = Poll.objects.create(
        activity=proposal.activity,
        title_en=title_en,
        title_ru="Видеоконференция: проверка работодателей за рубежом",
        duration_minutes=90,
        created_by_id=secretariat_id,
    )
    invitees = [pool[0] for country in NINE if (pool := by_country.get(country))]
    member = User.objects.filter(email=MEMBER).values_list("pk", flat=True).first()
    if member:
        invitees.append(member)
    poll.invitees.set(invitees)
    # Weekdays in the second half of January next year, at 05:00, 07:00 and 11:00 UTC.
    year = timezone.now().year + 1
    starts = [
        datetime.datetime(year, 1, day, hour, tzinfo=datetime.UTC)
        for day, hour in [(19, 5), (19, 7), (20, 7), (21, 11), (26, 7), (27, 5)]
    ]
    slots = [Slot.objects.create(poll=poll, starts_at=start) for start in starts]
    answers = []
    for position, user_id in enumerate(invitees[:6]):
        for index, slot in enumerate(slots):
            choice = [SlotAnswer.YES, SlotAnswer.IF_NEED_BE, SlotAnswer.NO][(position + index) % 3]
            answers.append(Answer(slot=slot, user_id=user_id, answer=choice))
    Answer.objects.bulk_create(answers, ignore_conflicts=True)


def load() -> dict[str, int]:
    by_country = _members_by_country()
    secretariat_id = User.objects.filter(email=SECRETARIAT).values_list("pk", flat=True).first()
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    this_year = timezone.now().year
    with transaction.atomic():
        activities = _load_this_year(this_year, by_country, secretariat_id, topics)
        proposals = _load_next_year(this_year + 1, by_country, secretariat_id, topics)
    data_changed("programme")
    return {"activities": activities, "proposals": proposals}


def supports_by_country(year: int) -> dict[str, int]:
    """For the demo's own test: supports given in that year's call, by the giver's country."""
    rows = (
        Support.objects.filter(call__year=year)
        .values("user__profile__country")
        .annotate(n=Count("id"))
    )
    return {row["user__profile__country"]: row["n"] for row in rows}

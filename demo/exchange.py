"""The demo network's peer exchange: about two dozen discussions in Russian and English across
the nine countries (demo.exchange_threads), with answers, replies, the answers that helped,
"this helped me" marks, follows and an expert invitation, so that a newcomer sees members
talking to each other. Dated over the last six months, for the secretariat's figures.

For the benchmark, `load(threads=2000)` adds generated threads up to that number and one thread
of 200 answers (BIG_THREAD_ANSWERS).

Idempotent: a thread is keyed by its title, so a second run adds nothing; the marks, follows
and invitation go in with ignore_conflicts. Bulk writes: 2,000 threads take a few seconds. The
counters the lists sort by (answers, marks, first answer, last activity) are computed from the
rows by the writing services' own rule.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from demo.exchange_threads import (
    BIG_THREAD_BODY,
    BIG_THREAD_TITLE,
    GENERATED_ANSWERS,
    GENERATED_BODY,
    STEMS,
    THREADS,
    DemoThread,
)
from exchange.enums import Moderation, ThreadKind, Visibility
from exchange.markup import markdown_render
from exchange.models import ExpertInvitation, Follow, Helpful, Post, Thread
from exchange.services import thread_counts_refresh
from members.models import Expert, User
from mirpal.fragments import data_changed
from mirpal.models import Topic

MEMBER = "member@mirpal.example"
SECRETARIAT = "secretariat@mirpal.example"
DEMO_DOMAIN = "@demo.mirpal.example"
BIG_THREAD_ANSWERS = 200
COUNTRIES = ["AM", "BY", "KZ", "KG", "MD", "RU", "TJ", "UA", "UZ"]
COUNTRY_NAMES = {
    "AM": ("Armenia", "Армения"),
    "BY": ("Belarus", "Беларусь"),
    "KZ": ("Kazakhstan", "Казахстан"),
    "KG": ("the Kyrgyz Republic", "Кыргызская Республика"),
    "MD": ("Moldova", "Молдова"),
    "RU": ("Russia", "Россия"),
    "TJ": ("Tajikistan", "Таджикистан"),
    "UA": ("Ukraine", "Украина"),
    "UZ": ("Uzbekistan", "Узбекистан"),
}
# Whom the demo member follows: two topics and two countries, besides the threads.
MEMBER_FOLLOWS_TOPICS = ("remittances", "organised-recruitment")
MEMBER_FOLLOWS_COUNTRIES = ("KZ", "UZ")
# The thread an expert from the roster is invited to answer (still without an answer).
INVITED_TO = "border-statistics-comparable"


class People:
    """The approved demo members by country, and the demo accounts, as authors are named in
    demo.exchange_threads ("TJ", "TJ:1", "@member")."""

    def __init__(self) -> None:
        approved = User.objects.filter(profile__status="approved").order_by("pk")
        self.by_country: dict[str, list[int]] = defaultdict(list)
        for pk, country in approved.filter(email__endswith=DEMO_DOMAIN).values_list(
            "pk", "profile__country"
        ):
            self.by_country[country].append(pk)
        self.accounts = dict(
            approved.filter(email__in=[MEMBER, SECRETARIAT]).values_list("email", "pk")
        )
        self.everyone = [pk for pks in self.by_country.values() for pk in pks] + list(
            self.accounts.values()
        )
        self.everyone.sort()

    def __bool__(self) -> bool:
        return bool(self.everyone)

    def get(self, name: str) -> int:
        if name.startswith("@"):
            email = {"@member": MEMBER, "@secretariat": SECRETARIAT}[name]
            return self.accounts.get(email) or self.everyone[0]
        country, _colon, number = name.partition(":")
        pool = self.by_country.get(country) or self.everyone
        return pool[int(number or 0) % len(pool)]

    def others(self, count: int, *, besides: set[int], start: int) -> list[int]:
        """`count` members (fewer if there are not enough), none of `besides`, from `start`."""
        chosen: list[int] = []
        if count <= 0:
            return chosen
        for step in range(len(self.everyone)):
            pk = self.everyone[(start + step) % len(self.everyone)]
            if pk not in besides:
                chosen.append(pk)
            if len(chosen) == count:
                break
        return chosen


def _mentions(body: str, people: People, names: dict[int, str]) -> str:
    """`{@TJ}` in a demo text becomes the mention of that member (exchange.markup)."""
    for country in [*COUNTRIES, "XX"]:
        for number in range(4):
            token = "{@" + country + (f":{number}" if number else "") + "}"
            if token in body:
                pk = people.get(f"{country}:{number}")
                body = body.replace(token, f"@[{names[pk]}](member:{pk})")
    return body


def _start(now: datetime.datetime, days_ago: int, index: int) -> datetime.datetime:
    """A working hour `days_ago` days back, different for each thread."""
    day = (now - datetime.timedelta(days=days_ago)).replace(minute=0, second=0, microsecond=0)
    return day.replace(hour=5 + index * 7 % 9) + datetime.timedelta(minutes=index * 13 % 60)


def load(*, threads: int = len(THREADS)) -> dict[str, int]:
    """The written discussions (the first `threads` of them), and generated ones beyond them up
    to `threads`; from 1,000 threads on (the benchmark), one thread of 200 answers. Returns how
    many threads and posts were created (none on a second run)."""
    people = People()
    if not people:
        return {"threads": 0, "posts": 0}
    now = timezone.now()
    topic_ids = dict(Topic.objects.values_list("slug", "pk"))
    existing = set(Thread.objects.values_list("title", flat=True))
    names = {
        user.pk: user.get_full_name() or user.email
        for user in User.objects.filter(pk__in=people.everyone).only(
            "pk", "first_name", "last_name", "email"
        )
    }
    created = {"threads": 0, "posts": 0}
    with transaction.atomic():
        written = [item for item in THREADS[:threads] if item.title not in existing]
        written_threads = _written_load(written, people, names, topic_ids, now, created)
        generated = _generated_load(
            count=max(threads - len(THREADS), 0),
            existing=existing,
            people=people,
            topic_ids=topic_ids,
            now=now,
            created=created,
        )
        if threads >= 1000 and BIG_THREAD_TITLE not in existing:
            generated.append(_big_thread_load(people, topic_ids, now, created))
        new_threads = written_threads + generated
        if new_threads:
            thread_counters_set(thread_ids=[thread.pk for thread in new_threads])
            _writers_follow(new_threads)
        _member_follows(people, topic_ids)
        _expert_invitation(people)
    if new_threads:
        # Bulk inserts send no signal: the cached lists are renewed here.
        data_changed("exchange")
    return created


def _written_load(
    written: list[DemoThread],
    people: People,
    names: dict[int, str],
    topic_ids: dict[str, int],
    now: datetime.datetime,
    created: dict[str, int],
) -> list[Thread]:
    index = {item.key: position for position, item in enumerate(THREADS)}
    threads = Thread.objects.bulk_create(
        [
            Thread(
                kind=item.kind,
                author_id=people.get(item.author),
                title=item.title,
                body=_mentions(item.body, people, names),
                language=item.language,
                visibility=Visibility.PUBLIC if item.public else Visibility.MEMBERS,
                countries=list(item.countries),
                state=Moderation.PUBLISHED,
                created_at=_start(now, item.days_ago, index[item.key]),
                last_activity_at=_start(now, item.days_ago, index[item.key]),
            )
            for item in written
        ]
    )
    for thread in threads:
        thread.body_html = markdown_render(thread.body)
    Thread.objects.bulk_update(threads, ["body_html"])
    Thread.topics.through.objects.bulk_create(
        [
            Thread.topics.through(thread_id=thread.pk, topic_id=topic_ids[slug])
            for thread, item in zip(threads, written, strict=True)
            for slug in item.topics
            if slug in topic_ids
        ]
    )
    created["threads"] += len(threads)

    answers: list[tuple[Post, DemoThread, int]] = []
    for thread, item in zip(threads, written, strict=True):
        for position, answer in enumerate(item.answers):
            body = _mentions(answer.body, people, names)
            post = Post(
                thread=thread,
                author_id=people.get(answer.author),
                body=body,
                body_html=markdown_render(body),
                language=answer.language,
                created_at=_moment(thread.created_at, answer.hours, now),
            )
            answers.append((post, item, position))
    Post.objects.bulk_create([post for post, _item, _position in answers])
    replies = []
    for post, item, position in answers:
        for reply in item.answers[position].replies:
            body = _mentions(reply.body, people, names)
            replies.append(
                Post(
                    thread=post.thread,
                    parent=post,
                    author_id=people.get(reply.author),
                    body=body,
                    body_html=markdown_render(body),
                    language=reply.language,
                    created_at=_moment(post.created_at, reply.hours, now),
                )
            )
    Post.objects.bulk_create(replies)
    created["posts"] += len(answers) + len(replies)

    accepted = []
    marks = []
    follows = []
    for number, (post, item, position) in enumerate(answers):
        thread = post.thread
        helpful = item.answers[position].helpful
        markers = []
        if item.accepted == position:
            thread.accepted_answer = post
            accepted.append(thread)
            # The asker says it helped them too.
            if thread.author_id != post.author_id:
                markers.append(thread.author_id)
        markers += people.others(
            helpful - len(markers),
            besides={post.author_id, *markers},
            start=number * 7,
        )
        marks += [
            Helpful(post=post, user_id=user, created_at=_moment(post.created_at, 3 + n * 5, now))
            for n, user in enumerate(markers)
        ]
    for thread, item in zip(threads, written, strict=True):
        follows += [Follow(user_id=people.get(name), thread=thread) for name in item.follows]
    Thread.objects.bulk_update(accepted, ["accepted_answer"])
    Helpful.objects.bulk_create(marks, ignore_conflicts=True)
    Follow.objects.bulk_create(follows, ignore_conflicts=True)
    return threads


def _moment(start: datetime.datetime, hours: float, now: datetime.datetime) -> datetime.datetime:
    """`hours` after `start`, but never in the future."""
    return min(start + datetime.timedelta(hours=hours), now - datetime.timedelta(minutes=5))


def _generated_load(
    *,
    count: int,
    existing: set[str],
    people: People,
    topic_ids: dict[str, int],
    now: datetime.datetime,
    created: dict[str, int],
) -> list[Thread]:
    """`count` threads from the stems, spread over the last year, each with up to four answers
    from members of other countries; about half of the questions answered."""
    if not count:
        return []
    rng = random.Random(2028)
    slugs = sorted(topic_ids)
    planned = []
    for number in range(1, count + 1):
        language, stem = STEMS[number % len(STEMS)]
        country = COUNTRIES[number % len(COUNTRIES)]
        name = COUNTRY_NAMES[country][1 if language == "ru" else 0]
        suffix = f" (№ {number})" if language == "ru" else f" (no. {number})"
        title = stem.format(country=name) + suffix
        # The same choices whether or not the thread is already there, so a re-run is stable.
        plan = (
            title,
            language,
            country,
            rng.sample(slugs, 2),
            rng.randint(0, 4),
            rng.random() < 0.5,
            rng.random() < 0.3,
            rng.randint(1, 365 * 24 * 60),
        )
        if title not in existing:
            planned.append(plan)
    html = {language: markdown_render(body) for language, body in GENERATED_BODY.items()}
    threads = Thread.objects.bulk_create(
        [
            Thread(
                kind=ThreadKind.QUESTION,
                author_id=people.get(f"{country}:{len(title)}"),
                title=title,
                body=GENERATED_BODY[language],
                body_html=html[language],
                language=language,
                visibility=Visibility.PUBLIC if public else Visibility.MEMBERS,
                countries=[country],
                created_at=now - datetime.timedelta(minutes=minutes),
                last_activity_at=now - datetime.timedelta(minutes=minutes),
            )
            for title, language, country, _topics, _answers, _accepted, public, minutes in planned
        ],
        batch_size=2000,
    )
    Thread.topics.through.objects.bulk_create(
        [
            Thread.topics.through(thread_id=thread.pk, topic_id=topic_ids[slug])
            for thread, plan in zip(threads, planned, strict=True)
            for slug in plan[3]
        ],
        batch_size=5000,
    )
    posts, accepted_first = _generated_answers(threads, planned, people, now)
    created["threads"] += len(threads)
    created["posts"] += len(posts)
    accepted = []
    for thread, first in accepted_first.items():
        thread.accepted_answer = first
        accepted.append(thread)
    Thread.objects.bulk_update(accepted, ["accepted_answer"], batch_size=2000)
    return threads


def _generated_answers(threads, planned, people: People, now: datetime.datetime):
    answer_html = {
        (language, position): markdown_render(text)
        for language, texts in GENERATED_ANSWERS.items()
        for position, text in enumerate(texts)
    }
    posts = []
    accepted_first = {}
    for number, (thread, plan) in enumerate(zip(threads, planned, strict=True)):
        answers, has_accepted = plan[4], plan[5]
        for position in range(answers):
            # Every other answer in the thread's language, the rest in the other one.
            language = (
                thread.language if position % 2 == 0 else ("en", "ru")[thread.language == "en"]
            )
            text = (number + position) % len(GENERATED_ANSWERS[language])
            author = people.others(1, besides={thread.author_id}, start=number * 5 + position)
            post = Post(
                thread=thread,
                author_id=author[0] if author else thread.author_id,
                body=GENERATED_ANSWERS[language][text],
                body_html=answer_html[(language, text)],
                language=language,
                created_at=_moment(thread.created_at, 3 + position * 11, now),
            )
            posts.append(post)
            if position == 0 and has_accepted:
                accepted_first[thread] = post
    Post.objects.bulk_create(posts, batch_size=2000)
    marks = [
        Helpful(post=post, user_id=user)
        for number, post in enumerate(posts)
        for user in people.others(number % 4, besides={post.author_id}, start=number * 3)
    ]
    Helpful.objects.bulk_create(marks, batch_size=5000, ignore_conflicts=True)
    return posts, accepted_first


def _big_thread_load(
    people: People, topic_ids: dict[str, int], now: datetime.datetime, created: dict[str, int]
) -> Thread:
    """The benchmark's long thread: 200 answers from members across the network."""
    started = now - datetime.timedelta(days=40)
    thread = Thread.objects.create(
        kind=ThreadKind.DISCUSSION,
        author_id=people.get("@secretariat"),
        title=BIG_THREAD_TITLE,
        body=BIG_THREAD_BODY,
        body_html=markdown_render(BIG_THREAD_BODY),
        language="ru",
        countries=list(COUNTRIES),
        created_at=started,
        last_activity_at=started,
    )
    thread.topics.set([topic_ids[slug] for slug in ("organised-recruitment", "labour-migration")])
    texts = GENERATED_ANSWERS["ru"] + GENERATED_ANSWERS["en"]
    html = [markdown_render(text) for text in texts]
    posts = Post.objects.bulk_create(
        [
            Post(
                thread=thread,
                author_id=people.everyone[number % len(people.everyone)],
                body=texts[number % len(texts)],
                body_html=html[number % len(texts)],
                language="ru" if number % len(texts) < len(GENERATED_ANSWERS["ru"]) else "en",
                created_at=started + datetime.timedelta(hours=4 * number + 1),
            )
            for number in range(BIG_THREAD_ANSWERS)
        ]
    )
    Helpful.objects.bulk_create(
        [
            Helpful(post=post, user_id=user)
            for number, post in enumerate(posts)
            for user in people.others(number % 3, besides={post.author_id}, start=number)
        ],
        ignore_conflicts=True,
    )
    created["threads"] += 1
    created["posts"] += len(posts)
    return thread


def thread_counters_set(*, thread_ids: list[int]) -> None:
    """Each answer's "helped me" marks counted in one statement, then each thread's kept figures
    by the writing services' own rule (exchange.services.thread_counts_refresh)."""
    Post.objects.filter(thread_id__in=thread_ids).update(
        helpful_count=Coalesce(
            Subquery(
                Helpful.objects.filter(post=OuterRef("pk"))
                .values("post")
                .annotate(total=Count("pk"))
                .values("total"),
                output_field=IntegerField(),
            ),
            0,
        )
    )
    for thread in Thread.objects.filter(pk__in=thread_ids).only("pk", "author_id"):
        thread_counts_refresh(thread)


def _writers_follow(threads: list[Thread]) -> None:
    """A thread you wrote or answered is followed: so it is for the demo's writers."""
    pairs = set(
        Post.objects.filter(thread__in=threads, author__isnull=False).values_list(
            "author_id", "thread_id"
        )
    )
    pairs |= {(thread.author_id, thread.pk) for thread in threads if thread.author_id}
    Follow.objects.bulk_create(
        [Follow(user_id=user, thread_id=thread) for user, thread in sorted(pairs)],
        batch_size=5000,
        ignore_conflicts=True,
    )


def _member_follows(people: People, topic_ids: dict[str, int]) -> None:
    """The demo member follows two topics and two countries; each writer of a written thread
    follows their own country's discussions."""
    member = people.accounts.get(MEMBER)
    follows = []
    if member:
        follows += [
            Follow(user_id=member, topic_id=topic_ids[slug])
            for slug in MEMBER_FOLLOWS_TOPICS
            if slug in topic_ids
        ]
        follows += [Follow(user_id=member, country=code) for code in MEMBER_FOLLOWS_COUNTRIES]
    for item in THREADS:
        country = item.author.partition(":")[0]
        if country in COUNTRIES:
            follows.append(Follow(user_id=people.get(item.author), country=country))
    Follow.objects.bulk_create(follows, ignore_conflicts=True)


def _expert_invitation(people: People) -> None:
    """The asker of the unanswered question on border statistics invites an expert on data."""
    thread = Thread.objects.filter(
        title=next(item.title for item in THREADS if item.key == INVITED_TO)
    ).first()
    experts = Expert.objects.filter(contact_email__endswith=DEMO_DOMAIN).order_by("pk")
    expert = experts.filter(topics__slug="migration-data").first() or experts.first()
    if thread is None or expert is None:
        return
    ExpertInvitation.objects.bulk_create(
        [ExpertInvitation(thread=thread, expert=expert, invited_by_id=thread.author_id)],
        ignore_conflicts=True,
    )


def bench_urls() -> dict[str, str]:
    """The pages the benchmark measures: the list, and the thread with the most answers."""
    biggest = (
        Thread.objects.filter(state=Moderation.PUBLISHED)
        .order_by("-answer_count", "pk")
        .only("pk")
        .first()
    )
    return {
        "list": reverse("exchange:list"),
        "thread": biggest.get_absolute_url() if biggest else "",
    }

"""What the peer exchange mails, through the outbox: new questions to those who follow their
topics or countries, answers and replies to those who follow the thread, mentions, and
invitations to experts. Once each (keyed), in the recipient's language, after their preferences.

The writing services (exchange.services) call these inside their transaction; each queues its
mails with `outbox_enqueue`, which sends them after the commit.

Who gets what:
- Followers are approved, active members other than the author; a members-only thread is theirs
  to read. Their `discussions` preference decides: "at_once" mails now, "digest" leaves it to the
  weekly or monthly digest (exchange.digest), "none" sends nothing.
- A mention is addressed to one person, so it comes at once unless they chose "none"; it replaces
  the follower's mail for the same person and post (one key per person and post).
- An expert (mentioned or invited) is mailed at their member account (Expert.user). The roster's
  contact address is for the secretariat only and is never used here: an expert without an
  account is not mailed. On a members-only thread the account must be an approved member's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from exchange.enums import Moderation, Visibility
from exchange.markup import markdown_plain, mentions_in
from exchange.models import Follow
from members.enums import MembershipStatus
from members.models import Expert, Profile, User
from mirpal.countries import Country
from mirpal.enums import DiscussionMail, MailKind
from mirpal.mail import mail_render
from mirpal.outbox import Mail, outbox_enqueue
from mirpal.preferences import unsubscribe_headers, unsubscribe_url

KIND_THREAD = "exchange_thread"
KIND_POST = "exchange_post"
KIND_MENTION = "exchange_mention"
KIND_INVITATION = "exchange_invitation"


@dataclass(frozen=True)
class _Reader:
    user: User
    language: str
    choice: str  # DiscussionMail
    approved: bool


def _readers(user_ids) -> dict[int, _Reader]:
    """Active users among these, with their language and discussion-mail choice; one query."""
    if not user_ids:
        return {}
    readers = {}
    for user in User.objects.filter(pk__in=list(user_ids), is_active=True).select_related(
        "profile", "mail_preference"
    ):
        profile = getattr(user, "profile", None)
        preference = getattr(user, "mail_preference", None)
        readers[user.pk] = _Reader(
            user=user,
            language=profile.mail_language if profile else settings.LANGUAGE_CODE,
            choice=preference.discussions if preference else DiscussionMail.AT_ONCE,
            approved=profile is not None and profile.status == MembershipStatus.APPROVED,
        )
    return readers


def _mentioned_user_ids(source: str) -> tuple[set[int], set[int]]:
    """The user ids of the members mentioned, and of the experts mentioned (their accounts).
    A mention names a member by their directory entry (the profile's id, as members:detail)."""
    mentions = mentions_in(source)
    member_users, expert_users = set(), set()
    if mentions.member_ids:
        member_users = set(
            Profile.objects.filter(pk__in=mentions.member_ids).values_list("user_id", flat=True)
        )
    if mentions.expert_ids:
        expert_users = set(
            Expert.objects.filter(pk__in=mentions.expert_ids, user__isnull=False).values_list(
                "user_id", flat=True
            )
        )
    return member_users, expert_users


def _may_read(reader: _Reader, thread, *, expert: bool = False) -> bool:
    """Approved members read every published thread; an expert's account that is not a
    member's reads the public ones."""
    if reader.approved:
        return True
    return expert and thread.visibility == Visibility.PUBLIC


def _person(user) -> str:
    # Never the address: members' addresses are not shown to other members.
    if user is None:
        return gettext("A former member")
    return user.get_full_name() or gettext("A member")


# The sanitised HTML links mentions and the site's pages by path; a mail needs the whole address.
_SITE_PATH_LINK = re.compile(r'href="/(?!/)')


def _absolute_links(body_html: str) -> str:
    return _SITE_PATH_LINK.sub(f'href="{settings.SITE_URL}/', body_html or "")


def _mail(*, template: str, kind: str, key: str, reader: _Reader, thread, context: dict) -> Mail:
    user = reader.user
    context = {**context, "body_html": _absolute_links(context.get("body_html", ""))}
    with translation.override(reader.language):
        mail = mail_render(
            template=template,
            context={
                **context,
                "name": user.get_full_name() or user.email,
                "author": _person(context.get("author_user")),
                "inviter": _person(context.get("inviter_user")),
                "thread": thread,
                "thread_url": settings.SITE_URL + thread.get_absolute_url(),
                "following_url": settings.SITE_URL + reverse("exchange:following"),
                "preferences_url": settings.SITE_URL + reverse("mail_preferences"),
                "unsubscribe_url": unsubscribe_url(user_id=user.pk, kind=MailKind.DISCUSSIONS),
                "LANGUAGE_CODE": reader.language,  # the HTML part's lang attribute
            },
            language=reader.language,
            key=key,
            kind=kind,
            to_email=user.email,
            recipient_id=user.pk,
            headers=unsubscribe_headers(user_id=user.pk, kind=MailKind.DISCUSSIONS),
        )
    return replace(mail, members_only=thread.visibility != Visibility.PUBLIC)


def _topic_and_country_followers(thread, topics) -> dict[int, tuple[set[int], set[str]]]:
    """Who follows a topic or country of this thread: user id → (topic ids, countries)."""
    topic_ids = {topic.pk for topic in topics}
    followers: dict[int, tuple[set[int], set[str]]] = {}
    wanted = Q(topic_id__in=topic_ids)
    if thread.countries:
        wanted |= Q(country__in=list(thread.countries))
    follows = Follow.objects.filter(wanted)
    for user_id, topic_id, country in follows.values_list("user_id", "topic_id", "country"):
        topics, countries = followers.setdefault(user_id, (set(), set()))
        if topic_id:
            topics.add(topic_id)
        if country:
            countries.add(country)
    return followers


def _where(thread, topics, topic_ids: set[int], countries: set[str]) -> str:
    """What the reader follows that brought them this question: a topic first, else a country,
    named in the active language."""
    for topic in topics:
        if topic.pk in topic_ids:
            return topic.name
    labels = dict(Country.choices)
    for code in thread.countries:
        if code in countries:
            return str(labels.get(code, code))
    return ""


def thread_published_notify(thread) -> int:
    """A thread became visible (posted, or released from review): tell followers of its topics
    and countries, and the members and experts it mentions. Returns how many mails were queued.

    Keyed f"exchange:thread:{thread.pk}:{user.pk}": a thread released twice mails no one twice.
    """
    if thread.state != Moderation.PUBLISHED:
        return 0
    topics = list(thread.topics.all())
    followers = _topic_and_country_followers(thread, topics)
    members, experts = _mentioned_user_ids(thread.body)
    readers = _readers(set(followers) | members | experts)
    mails = []
    for user_id, reader in sorted(readers.items()):
        if user_id == thread.author_id or reader.choice == DiscussionMail.NONE:
            continue
        key = f"exchange:thread:{thread.pk}:{user_id}"
        context = {"author_user": thread.author, "body_html": thread.body_html}
        context["body_text"] = markdown_plain(thread.body)
        if user_id in members | experts:
            if not _may_read(reader, thread, expert=user_id in experts):
                continue
            mails.append(
                _mail(
                    template="exchange_mention",
                    kind=KIND_MENTION,
                    key=key,
                    reader=reader,
                    thread=thread,
                    context={**context, "in_question": True},
                )
            )
        elif reader.approved and reader.choice == DiscussionMail.AT_ONCE:
            topic_ids, countries = followers[user_id]
            with translation.override(reader.language):
                where = _where(thread, topics, topic_ids, countries)
            mails.append(
                _mail(
                    template="exchange_thread",
                    kind=KIND_THREAD,
                    key=key,
                    reader=reader,
                    thread=thread,
                    context={**context, "where": where},
                )
            )
    return len(outbox_enqueue(mails))


def post_published_notify(post) -> int:
    """An answer or reply became visible: tell the thread's followers (not its author) and the
    members and experts it mentions. Returns how many mails were queued.

    Keyed f"exchange:post:{post.pk}:{user.pk}": one mail per person and post, a mention when
    they are mentioned, else the follower's.
    """
    thread = post.thread
    if post.state != Moderation.PUBLISHED or thread.state != Moderation.PUBLISHED:
        return 0
    followers = set(Follow.objects.filter(thread=thread).values_list("user_id", flat=True))
    members, experts = _mentioned_user_ids(post.body)
    readers = _readers(followers | members | experts)
    context = {
        "author_user": post.author,
        "post": post,
        "post_url": settings.SITE_URL + post.get_absolute_url(),
        "body_html": post.body_html,
        "body_text": markdown_plain(post.body),
        "is_answer": post.is_answer,
    }
    mails = []
    for user_id, reader in sorted(readers.items()):
        if user_id == post.author_id or reader.choice == DiscussionMail.NONE:
            continue
        key = f"exchange:post:{post.pk}:{user_id}"
        if user_id in members | experts:
            if not _may_read(reader, thread, expert=user_id in experts):
                continue
            template, kind = "exchange_mention", KIND_MENTION
        elif reader.approved and reader.choice == DiscussionMail.AT_ONCE:
            template, kind = "exchange_post", KIND_POST
        else:
            continue
        mails.append(
            _mail(
                template=template, kind=kind, key=key, reader=reader, thread=thread, context=context
            )
        )
    return len(outbox_enqueue(mails))


def expert_invited_notify(invitation) -> int:
    """Mail the invited expert at their member account, once (keyed by the invitation), unless
    they chose no discussion mail or cannot read the thread. Returns 0 or 1."""
    expert, thread = invitation.expert, invitation.thread
    if thread.state != Moderation.PUBLISHED:
        return 0
    if expert.user_id is None:
        return _expert_without_account_invite(invitation)
    reader = _readers({expert.user_id}).get(expert.user_id)
    if (
        reader is None
        or reader.choice == DiscussionMail.NONE
        or not _may_read(reader, thread, expert=True)
    ):
        return 0
    mail = _mail(
        template="exchange_invitation",
        kind=KIND_INVITATION,
        key=f"exchange:invitation:{invitation.pk}",
        reader=reader,
        thread=thread,
        context={
            "author_user": thread.author,
            "inviter_user": invitation.invited_by,
            "body_html": thread.body_html,
            "body_text": markdown_plain(thread.body),
        },
    )
    return len(outbox_enqueue([mail]))


def _expert_without_account_invite(invitation) -> int:
    """An expert with no account on the platform is invited at the contact address the
    secretariat keeps (the address itself is shown to no one), in Russian if they speak it,
    else in English. A members-only question's text stays on the platform: the mail carries
    its title and how to get an account."""
    expert, thread = invitation.expert, invitation.thread
    if not expert.contact_email:
        return 0
    language = "ru" if "ru" in (expert.languages or []) else "en"
    public = thread.visibility == Visibility.PUBLIC
    with translation.override(language):
        mail = mail_render(
            template="exchange_invitation_guest",
            context={
                "name": expert.name,
                "inviter": _person(invitation.invited_by),
                "thread": thread,
                "thread_url": settings.SITE_URL + thread.get_absolute_url(),
                "body_html": _absolute_links(thread.body_html) if public else "",
                "body_text": markdown_plain(thread.body) if public else "",
                "secretariat": settings.SECRETARIAT_CONTACT_EMAIL,
                "LANGUAGE_CODE": language,
            },
            language=language,
            key=f"exchange:invitation:{invitation.pk}",
            kind=KIND_INVITATION,
            to_email=expert.contact_email,
        )
    return len(outbox_enqueue([mail]))

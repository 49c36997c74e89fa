"""The secretariat's moderation of the peer exchange, and the flags members raise for it.

Members flag a thread or a post (one open flag per person and target, kept by the database); the
moderators (exchange.moderate_exchange) are told through the secretariat's notices (at once or in
the daily summary, members.notices) and work through the queue: hide, show again, release what
awaits review (its followers hear of it then), lock, dismiss the flags, edit with a reason, or
suspend the author through the members' own service. Every one of these writes an audit entry in
its own transaction, so the entry exists exactly when the change committed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.enums import FlagOutcome, Moderation
from exchange.errors import ExchangeError
from exchange.models import Edit, Flag, Post, Thread
from exchange.notify import post_published_notify, thread_published_notify
from exchange.services import post_edit, thread_counts_refresh, thread_edit
from members.models import Profile
from members.notices import SUMMARY_ITEMS, SectionSource, SummaryItem, notices_send
from members.services import MembershipError, membership_suspend
from mirpal.audit import audit_record, audit_snapshot
from mirpal.models import AuditAction

NOTICE_KIND = "flag"
# The queue shows this many open flags, oldest first; the rest wait for the next look.
QUEUE_FLAGS = 300
QUEUE_HELD = 100


class ModerationError(ExchangeError):
    """The target's state does not allow this action (hiding what is hidden, releasing what
    does not await review)."""


class AlreadyFlagged(ExchangeError):
    """This person's earlier flag on the same target is still open."""


# --- Flags.


def flag_create(
    *, user, reason: str, note: str = "", thread: Thread | None = None, post: Post | None = None
) -> Flag:
    """Record `user`'s flag on a thread or a post. The first open flag on a target tells the
    moderators who want it at once (members.notices, through the outbox after the commit); later
    ones join it in the queue. Raises AlreadyFlagged while the same person's flag is open (the
    database's partial unique constraint decides, also between two clicks at once)."""
    if (thread is None) == (post is None):
        raise TypeError("flag a thread or a post")
    with transaction.atomic():
        target = {"thread": thread} if thread is not None else {"post": post}
        first = not Flag.objects.filter(outcome=FlagOutcome.OPEN, **target).exists()
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    flagged_by=user, reason=reason, note=note.strip(), **target
                )
        except IntegrityError as error:
            raise AlreadyFlagged(
                _("You have flagged this already; the secretariat will look at it.")
            ) from error
        if first:
            _flag_notice(flag)
    return flag


def _flag_notice(flag: Flag) -> list[int]:
    target = flag.post or flag.thread
    thread = flag.post.thread if flag.post is not None else flag.thread
    flagger = flag.flagged_by
    return notices_send(
        kind=NOTICE_KIND,
        obj=flag,
        context={
            "flag": flag,
            "thread": thread,
            "is_post": flag.post is not None,
            "flagged_by": str(flagger) if flagger else "",
            "target_url": settings.SITE_URL + target.get_absolute_url(),
            "queue_url": settings.SITE_URL + reverse("exchange:moderation"),
        },
        exclude_user_id=flagger.pk if flagger else None,
    )


def _flags_summary(since, until) -> tuple[list[SummaryItem], int]:
    """The daily summary's part: flags raised in the span that are still open."""
    arrived = Flag.objects.filter(
        outcome=FlagOutcome.OPEN, created_at__gt=since, created_at__lte=until
    )
    rows = list(
        arrived.select_related("thread", "post__thread").order_by("created_at", "pk")[
            :SUMMARY_ITEMS
        ]
    )
    total = len(rows) if len(rows) < SUMMARY_ITEMS else arrived.count()
    return [
        SummaryItem(
            title=(flag.post.thread if flag.post is not None else flag.thread).title,
            detail=str(flag.get_reason_display()),
            url=settings.SITE_URL + (flag.post or flag.thread).get_absolute_url(),
        )
        for flag in rows
    ], total


def flag_notices_register() -> None:
    """Give the secretariat's daily summary its section of flags (called by the app's ready())."""
    from members.notices import SUMMARY_SECTIONS

    SUMMARY_SECTIONS[NOTICE_KIND] = SectionSource(
        title=_("Posts flagged in the discussions"),
        queue_url=lambda: settings.SITE_URL + reverse("exchange:moderation"),
        collect=_flags_summary,
    )


def _flags_resolve(*, target, outcome: str, by) -> list[int]:
    """Close the target's open flags with this outcome; returns their ids."""
    field_name = "post" if isinstance(target, Post) else "thread"
    flags = Flag.objects.select_for_update().filter(
        outcome=FlagOutcome.OPEN, **{field_name: target}
    )
    ids = list(flags.values_list("pk", flat=True))
    if ids:
        Flag.objects.filter(pk__in=ids).update(
            outcome=outcome, handled_by=by, handled_at=timezone.now()
        )
    return ids


# --- Actions on a thread or a post.


def _locked(target):
    model = type(target)
    query = model.objects.select_for_update()
    if model is Post:
        query = query.select_related("thread")
    return query.get(pk=target.pk)


def _audited(*, target, by, action: str, change, extra: dict | None = None):
    """Lock the target, apply `change(locked)` and record the entry: before and after the change,
    plus what the action did beyond the row's columns (flags closed)."""
    locked = _locked(target)
    before = audit_snapshot(locked)
    done = change(locked) or {}
    audit_record(
        actor=by,
        action=action,
        obj=locked,
        before=before,
        after={**audit_snapshot(locked), **(extra or {}), **done},
    )
    return locked


def _state_change(*, target, to: str, allowed_from: set[str], by, action: str, flags: str = ""):
    def change(locked):
        if locked.state not in allowed_from:
            raise ModerationError(_("It is no longer in a state that allows this."))
        locked.state = to
        locked.save(update_fields=["state"])
        done = {"moderation": to}
        if flags:
            done["flags_closed"] = _flags_resolve(target=locked, outcome=flags, by=by)
        if isinstance(locked, Post):
            thread_counts_refresh(locked.thread)
        return done

    return _audited(target=target, by=by, action=action, change=change)


@transaction.atomic
def target_hide(*, target: Thread | Post, by) -> Thread | Post:
    """Hide a thread or post from everyone but the moderators; its open flags close as "hidden";
    a post's thread counts again without it."""
    return _state_change(
        target=target,
        to=Moderation.HIDDEN,
        allowed_from={Moderation.PUBLISHED, Moderation.HELD},
        by=by,
        action=AuditAction.CHANGE,
        flags=FlagOutcome.HIDDEN,
    )


@transaction.atomic
def target_show(*, target: Thread | Post, by) -> Thread | Post:
    """Show a hidden thread or post again (no mail: its followers were told when it first
    appeared)."""
    return _state_change(
        target=target,
        to=Moderation.PUBLISHED,
        allowed_from={Moderation.HIDDEN},
        by=by,
        action=AuditAction.CHANGE,
    )


@transaction.atomic
def target_approve(*, target: Thread | Post, by) -> Thread | Post:
    """Release a thread or post that awaited review: it is published and its followers (and the
    people it mentions) are told now, through the outbox after the commit."""
    locked = _state_change(
        target=target,
        to=Moderation.PUBLISHED,
        allowed_from={Moderation.HELD},
        by=by,
        action=AuditAction.APPROVE,
    )
    if isinstance(locked, Post):
        post_published_notify(locked)
    else:
        thread_published_notify(locked)
    return locked


def _lock(*, thread: Thread, by, locked_now: bool) -> Thread:
    def change(locked):
        if locked.is_locked == locked_now:
            raise ModerationError(
                _("The thread is locked already.") if locked_now else _("The thread is not locked.")
            )
        locked.is_locked = locked_now
        locked.save(update_fields=["is_locked"])

    return _audited(target=thread, by=by, action=AuditAction.CHANGE, change=change)


@transaction.atomic
def thread_lock(*, thread: Thread, by) -> Thread:
    """Lock a thread: it takes no new answers or replies (exchange.services refuses them)."""
    return _lock(thread=thread, by=by, locked_now=True)


@transaction.atomic
def thread_unlock(*, thread: Thread, by) -> Thread:
    return _lock(thread=thread, by=by, locked_now=False)


@transaction.atomic
def flags_dismiss(*, target: Thread | Post, by) -> list[int]:
    """Close the target's open flags as "dismissed", leaving it as it is; returns their ids."""
    closed: list[int] = []

    def change(locked):
        closed.extend(_flags_resolve(target=locked, outcome=FlagOutcome.DISMISSED, by=by))
        if not closed:
            raise ModerationError(_("No flag is open on it."))
        return {"flags_dismissed": closed}

    _audited(target=target, by=by, action=AuditAction.CHANGE, change=change)
    return closed


@transaction.atomic
def thread_moderator_edit(*, thread: Thread, by, title: str, body: str, reason: str) -> Thread:
    """A moderator's change of a thread's title and text, with the reason (kept in the Edit row
    beside what it said before, and in the audit log); the text is rendered again."""
    locked = _locked(thread)
    before = audit_snapshot(locked)
    edited = thread_edit(user=by, thread=locked, title=title, body=body, reason=reason.strip())
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=edited,
        before=before,
        after={**audit_snapshot(edited), "reason": reason.strip()},
    )
    return edited


@transaction.atomic
def post_moderator_edit(*, post: Post, by, body: str, reason: str) -> Post:
    """A moderator's change of an answer or reply, recorded as thread_moderator_edit does."""
    locked = _locked(post)
    before = audit_snapshot(locked)
    edited = post_edit(user=by, post=locked, body=body, reason=reason.strip())
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=edited,
        before=before,
        after={**audit_snapshot(edited), "reason": reason.strip()},
    )
    return edited


def author_suspend(*, target: Thread | Post, by, reason: str):
    """Suspend the membership of the target's author through the members' service (its own
    transaction: the decision, the audit entry and the mail to the member). What the member
    wrote stays as it is; they can no longer write or read what is for members. Raises
    ModerationError when the author has no membership, or when the rules refuse (a staff
    account, a membership not approved)."""
    author = target.author
    profile = Profile.objects.filter(user_id=target.author_id).first() if author else None
    if profile is None:
        raise ModerationError(_("The author has no membership to suspend."))
    label = "post" if isinstance(target, Post) else "thread"
    note = (
        f"{reason.strip()}\n({label} #{target.pk}: {settings.SITE_URL}{target.get_absolute_url()})"
    )
    try:
        return membership_suspend(profile=profile, by=by, note=note)
    except MembershipError as error:
        raise ModerationError(
            _("The author's membership cannot be suspended: it is not an approved member's.")
        ) from error


# --- What the thread page and the queue read.


def moderator_edited() -> Exists:
    """Annotation for a Thread or Post queryset: whether someone other than its author (the
    secretariat) changed it, for the "edited by the secretariat" line."""
    return Exists(
        Edit.objects.filter(post=OuterRef("pk")).exclude(edited_by_id=OuterRef("author_id"))
    )


def thread_moderator_edited() -> Exists:
    return Exists(
        Edit.objects.filter(thread=OuterRef("pk")).exclude(edited_by_id=OuterRef("author_id"))
    )


@dataclass
class FlaggedItem:
    """One flagged thread or post in the queue, with its open flags."""

    thread: Thread
    post: Post | None
    flags: list[Flag] = field(default_factory=list)

    @property
    def target(self):
        return self.post or self.thread

    @property
    def is_thread(self) -> bool:
        return self.post is None

    @property
    def reasons(self) -> list[tuple[str, int]]:
        counts = Counter(str(flag.get_reason_display()) for flag in self.flags)
        return counts.most_common()

    @property
    def first_flagged(self):
        return self.flags[0].created_at


@dataclass
class ModerationQueue:
    flagged: list[FlaggedItem]
    held_threads: list[Thread]
    held_posts: list[Post]

    @property
    def empty(self) -> bool:
        return not (self.flagged or self.held_threads or self.held_posts)


def moderation_queue() -> ModerationQueue:
    """The moderators' queue: open flags grouped by their thread or post, oldest flag first, and
    what awaits review, oldest first. Three queries whatever its length."""
    flags = (
        Flag.objects.filter(outcome=FlagOutcome.OPEN)
        .select_related("flagged_by", "thread__author", "post__author", "post__thread")
        .order_by("created_at", "pk")[:QUEUE_FLAGS]
    )
    items: dict[tuple, FlaggedItem] = {}
    for flag in flags:
        key = ("post", flag.post_id) if flag.post_id else ("thread", flag.thread_id)
        if key not in items:
            thread = flag.post.thread if flag.post is not None else flag.thread
            items[key] = FlaggedItem(thread=thread, post=flag.post)
        items[key].flags.append(flag)
    held_threads = list(
        Thread.objects.filter(state=Moderation.HELD)
        .select_related("author")
        .defer("search_vector")
        .order_by("created_at", "pk")[:QUEUE_HELD]
    )
    held_posts = list(
        Post.objects.filter(state=Moderation.HELD)
        .select_related("author", "thread")
        .defer("search_vector", "thread__search_vector")
        .order_by("created_at", "pk")[:QUEUE_HELD]
    )
    return ModerationQueue(
        flagged=list(items.values()), held_threads=held_threads, held_posts=held_posts
    )

"""Questions and discussions members start, the answers and replies they write, and what
follows from them: marks, "this helped me", follows, expert invitations, flags and edits.

A post's Markdown source is what its author wrote; `body_html` is that source rendered and
sanitised once, when it is saved (exchange.markup), and is what every page and mail shows.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from exchange.enums import (
    AttachmentKind,
    FlagOutcome,
    FlagReason,
    Moderation,
    ThreadKind,
    Visibility,
    WrittenIn,
)
from library.storage import protected_storage
from mirpal.countries import Country


def attachment_upload_to(instance, filename: str) -> str:
    return f"exchange/{instance.kind}/{filename}"


class Thread(models.Model):
    """A question or a discussion: its opening post is the thread itself."""

    kind = models.CharField(
        _("kind"), max_length=12, choices=ThreadKind.choices, default=ThreadKind.QUESTION
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_threads",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(_("text as shown"), blank=True, editable=False)
    language = models.CharField(
        _("written in"), max_length=2, choices=WrittenIn.choices, default=WrittenIn.RUSSIAN
    )
    visibility = models.CharField(
        _("who can read it"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    topics = models.ManyToManyField(
        "mirpal.Topic", verbose_name=_("topics"), related_name="exchange_threads"
    )
    countries = ArrayField(
        models.CharField(max_length=2, choices=Country.choices),
        verbose_name=_("about countries"),
        default=list,
        blank=True,
    )
    state = models.CharField(
        _("state"), max_length=10, choices=Moderation.choices, default=Moderation.PUBLISHED
    )
    is_locked = models.BooleanField(
        _("locked"), default=False, help_text=_("A locked thread takes no new answers or replies.")
    )
    accepted_answer = models.OneToOneField(
        "exchange.Post",
        verbose_name=_("the answer that helped"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_in",
    )
    # Kept by the services as answers come and go, so that lists sort and filter without counting.
    answer_count = models.PositiveIntegerField(_("answers"), default=0, editable=False)
    helpful_count = models.PositiveIntegerField(
        _("“helped me” marks on its answers"), default=0, editable=False
    )
    first_answer_at = models.DateTimeField(
        _("first answered"), null=True, blank=True, editable=False
    )
    last_activity_at = models.DateTimeField(_("last activity"), db_default=Now())
    # The library document the secretariat made of this thread (exchange.services).
    document = models.ForeignKey(
        "library.Document",
        verbose_name=_("library document made of it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_threads",
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", config="english", weight="A")
        + SearchVector("title", config="russian", weight="A")
        + SearchVector("body", config="english", weight="B")
        + SearchVector("body", config="russian", weight="B"),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), db_default=Now())
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        verbose_name = _("discussion")
        verbose_name_plural = _("discussions")
        permissions = [("moderate_exchange", "Can moderate the peer exchange")]
        indexes = [
            models.Index(fields=["-last_activity_at", "-id"], name="exchange_thread_recent_idx"),
            models.Index(fields=["-created_at", "-id"], name="exchange_thread_newest_idx"),
            models.Index(fields=["-helpful_count", "-id"], name="exchange_thread_helpful_idx"),
            GinIndex(fields=["countries"], name="exchange_thread_countries_idx"),
            GinIndex(fields=["search_vector"], name="exchange_thread_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ThreadKind.values), name="exchange_thread_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="exchange_thread_visibility_known",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=WrittenIn.values),
                name="exchange_thread_language_known",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=Moderation.values),
                name="exchange_thread_state_known",
            ),
            models.CheckConstraint(
                condition=models.Q(countries__contained_by=Country.values),
                name="exchange_thread_countries_known",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="exchange_thread_has_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:thread", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def is_answered(self) -> bool:
        return self.accepted_answer_id is not None

    def countries_display(self) -> list[str]:
        labels = dict(Country.choices)
        return [str(labels.get(code, code)) for code in self.countries]


class Post(models.Model):
    """An answer to a thread (no parent) or a reply to an answer (its parent)."""

    thread = models.ForeignKey(
        Thread, verbose_name=_("discussion"), on_delete=models.CASCADE, related_name="posts"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchange_posts",
    )
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(_("text as shown"), blank=True, editable=False)
    language = models.CharField(
        _("written in"), max_length=2, choices=WrittenIn.choices, default=WrittenIn.RUSSIAN
    )
    state = models.CharField(
        _("state"), max_length=10, choices=Moderation.choices, default=Moderation.PUBLISHED
    )
    helpful_count = models.PositiveIntegerField(_("“helped me” marks"), default=0, editable=False)
    search_vector = models.GeneratedField(
        expression=SearchVector("body", config="english") + SearchVector("body", config="russian"),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), db_default=Now())
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("answer or reply")
        verbose_name_plural = _("answers and replies")
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="exchange_post_thread_idx"),
            models.Index(fields=["author", "-created_at"], name="exchange_post_author_idx"),
            GinIndex(fields=["search_vector"], name="exchange_post_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=Moderation.values), name="exchange_post_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=WrittenIn.values),
                name="exchange_post_language_known",
            ),
            models.CheckConstraint(condition=~models.Q(body=""), name="exchange_post_has_body"),
        ]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"

    def get_absolute_url(self) -> str:
        # The answers come a page at a time: this address finds the post's page (exchange.views).
        return reverse("exchange:post", args=[self.pk])

    @property
    def is_answer(self) -> bool:
        return self.parent_id is None


class Helpful(models.Model):
    """ "This helped me": one per member and answer."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="helpful_marks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_helpful"
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("“helped me” mark")
        verbose_name_plural = _("“helped me” marks")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="exchange_helpful_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.post_id}"


class Attachment(models.Model):
    """A PDF (through the library's content checks) or an image, on a thread or on a post."""

    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=5, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), storage=protected_storage, upload_to=attachment_upload_to)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    created_at = models.DateTimeField(_("created"), db_default=Now())

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(thread__isnull=False, post__isnull=True)
                | models.Q(thread__isnull=True, post__isnull=False),
                name="exchange_attachment_one_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=AttachmentKind.values),
                name="exchange_attachment_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Follow(models.Model):
    """A member follows a topic, a country or one thread: exactly one of the three."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_follows"
    )
    topic = models.ForeignKey(
        "mirpal.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    country = models.CharField(max_length=2, choices=Country.choices, blank=True)
    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(topic__isnull=False, country="", thread__isnull=True)
                    | models.Q(topic__isnull=True, thread__isnull=True) & ~models.Q(country="")
                    | models.Q(topic__isnull=True, country="", thread__isnull=False)
                ),
                name="exchange_follow_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(country="") | models.Q(country__in=Country.values),
                name="exchange_follow_country_known",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=models.Q(topic__isnull=False),
                name="exchange_follow_topic_once",
            ),
            models.UniqueConstraint(
                fields=["user", "country"],
                condition=~models.Q(country=""),
                name="exchange_follow_country_once",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=models.Q(thread__isnull=False),
                name="exchange_follow_thread_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.topic or self.country or self.thread}"


class ExpertInvitation(models.Model):
    """The secretariat or the asker invites a roster expert to answer a thread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="expert_invitations")
    expert = models.ForeignKey(
        "members.Expert", verbose_name=_("expert"), on_delete=models.CASCADE, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("invited"), db_default=Now())

    class Meta:
        verbose_name = _("expert invitation")
        verbose_name_plural = _("expert invitations")
        constraints = [
            models.UniqueConstraint(fields=["thread", "expert"], name="exchange_invite_once"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.thread}"


class Flag(models.Model):
    """A member's report of a thread or a post, with a reason, for the secretariat's queue."""

    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("flagged by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=16, choices=FlagReason.choices)
    note = models.TextField(_("what is wrong"), blank=True, max_length=1000)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=FlagOutcome.choices, default=FlagOutcome.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    created_at = models.DateTimeField(_("flagged"), db_default=Now())

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(outcome="open"),
                name="exchange_flag_open_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(thread__isnull=False, post__isnull=True)
                | models.Q(thread__isnull=True, post__isnull=False),
                name="exchange_flag_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(reason__in=FlagReason.values), name="exchange_flag_reason_known"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=FlagOutcome.values),
                name="exchange_flag_outcome_known",
            ),
            # One open flag per person and post: flagging again adds nothing to the queue.
            models.UniqueConstraint(
                fields=["flagged_by", "thread"],
                condition=models.Q(outcome="open", thread__isnull=False),
                name="exchange_flag_thread_once",
            ),
            models.UniqueConstraint(
                fields=["flagged_by", "post"],
                condition=models.Q(outcome="open", post__isnull=False),
                name="exchange_flag_post_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.post or self.thread}"


class Edit(models.Model):
    """What a thread or a post said before someone (its author or the secretariat) changed it."""

    thread = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="edits"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="edits"
    )
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title_before = models.CharField(_("title before"), max_length=200, blank=True)
    body_before = models.TextField(_("text before"))
    reason = models.CharField(_("reason for the edit"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("edited"), db_default=Now())

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("edit")
        verbose_name_plural = _("edits")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(thread__isnull=False, post__isnull=True)
                | models.Q(thread__isnull=True, post__isnull=False),
                name="exchange_edit_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post or self.thread} ({self.created_at:%Y-%m-%d %H:%M})"

"""The work programme: what members ask for, how the secretariat answers, what the year holds.

A call opens a programme year for proposals. Approved members propose (what their institution
needs), support proposals with a limited number of supports per year (PROGRAMME_SUPPORTS_PER_YEAR)
and comment. The secretariat answers each proposal officially (evaluating, accepted with a planned
activity, not this year with a reason, merged into another), every change kept in its history.
Activities make up the programme by quarter and link to what they became (an event, a document,
a case). A scheduling poll finds the slot for a planned session across nine time zones.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.enums import EventKind
from mirpal.bilingual import Localized
from mirpal.countries import Country
from programme.enums import (
    ActivityKind,
    ActivityStatus,
    PollState,
    ProposalState,
    SlotAnswer,
    WrittenIn,
)

NETWORK_COUNTRIES = [(code, label) for code, label in Country.choices if code != Country.OTHER]


class Call(models.Model):
    """The call for proposals of one programme year, open between its dates."""

    year = models.PositiveSmallIntegerField(_("programme year"), unique=True)
    title_en = models.CharField(_("title in English"), max_length=200)
    title_ru = models.CharField(_("title in Russian"), max_length=200)
    description_en = models.TextField(_("description in English"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # Until then the proposals and the programme are for members only.
    programme_published = models.BooleanField(
        _("programme published"),
        default=False,
        help_text=_("Shows the year's programme and its proposals to everyone, not only members."),
    )
    reminder_sent_at = models.DateTimeField(
        _("closing reminder sent"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), db_default=Now())

    title = Localized("title")
    description = Localized("description")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        permissions = [("answer_proposal", "Can answer programme proposals and run polls")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="programme_call_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="programme_call_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_ru

    def is_open_at(self, moment) -> bool:
        return self.opens_at <= moment < self.closes_at


class Activity(models.Model):
    """One item of a year's programme: planned for a quarter, then held (or cancelled), and
    linked to what it became."""

    year = models.PositiveSmallIntegerField(_("programme year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)]
    )
    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    title_ru = models.CharField(_("title in Russian"), max_length=200, blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    countries = ArrayField(
        models.CharField(max_length=2, choices=NETWORK_COUNTRIES),
        verbose_name=_("countries"),
        default=list,
        blank=True,
    )
    topics = models.ManyToManyField(
        "mirpal.Topic", verbose_name=_("topics"), blank=True, related_name="programme_activities"
    )
    # What it became.
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_activities",
    )
    document = models.ForeignKey(
        "library.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_activities",
    )
    case = models.ForeignKey(
        "practices.Case",
        verbose_name=_("good-practice case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_activities",
    )
    created_at = models.DateTimeField(_("created"), db_default=Now())
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    title = Localized("title")
    description = Localized("description")

    class Meta:
        ordering = ["year", "quarter", "id"]
        verbose_name = _("programme activity")
        verbose_name_plural = _("programme activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4),
                name="programme_activity_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ActivityKind.values),
                name="programme_activity_kind_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ActivityStatus.values),
                name="programme_activity_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(title_en="", title_ru=""), name="programme_activity_has_title"
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter"], name="programme_activity_year_idx")]

    def __str__(self) -> str:
        return self.title_en or self.title_ru


class Proposal(models.Model):
    """What a member's institution needs the network to take up in the programme year."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_proposals",
    )
    title = models.CharField(_("title"), max_length=200)
    need = models.TextField(_("what our institution needs to learn or discuss"))
    why_now = models.TextField(_("why now"), blank=True)
    activity_kind = models.CharField(
        _("kind of activity wanted"), max_length=20, choices=ActivityKind.choices
    )
    countries = ArrayField(
        models.CharField(max_length=2, choices=NETWORK_COUNTRIES),
        verbose_name=_("countries concerned"),
        default=list,
    )
    topics = models.ManyToManyField(
        "mirpal.Topic", verbose_name=_("topics"), blank=True, related_name="programme_proposals"
    )
    language = models.CharField(
        _("written in"), max_length=2, choices=WrittenIn.choices, default=WrittenIn.RUSSIAN
    )
    state = models.CharField(
        _("state"), max_length=14, choices=ProposalState.choices, default=ProposalState.SUBMITTED
    )
    # The official answer's text: the reason for "not this year", a word on the plan, the merge.
    answer = models.TextField(_("official answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_proposals",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("planned activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    # Kept by the services, so that lists sort by support without counting.
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("comments"), default=0, editable=False)
    created_at = models.DateTimeField(_("proposed"), db_default=Now())
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-support_count", "-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(
                fields=["call", "-support_count", "-id"], name="programme_proposal_support_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=ProposalState.values),
                name="programme_proposal_state_known",
            ),
            models.CheckConstraint(
                condition=models.Q(activity_kind__in=ActivityKind.values),
                name="programme_proposal_kind_known",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=WrittenIn.values),
                name="programme_proposal_language_known",
            ),
            models.CheckConstraint(
                condition=models.Q(countries__len__gte=1), name="programme_proposal_has_country"
            ),
            # Merged exactly when it points at the proposal it went into (never itself).
            models.CheckConstraint(
                condition=(
                    models.Q(state=ProposalState.MERGED, merged_into__isnull=False)
                    & ~models.Q(merged_into=models.F("id"))
                )
                | (~models.Q(state=ProposalState.MERGED) & models.Q(merged_into__isnull=True)),
                name="programme_proposal_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=ProposalState.ACCEPTED, activity__isnull=True),
                name="programme_proposal_accepted_has_activity",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=ProposalState.NOT_THIS_YEAR, answer=""),
                name="programme_proposal_not_this_year_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:proposal", kwargs={"pk": self.pk})


class Support(models.Model):
    """One member's support for one proposal; a member has PROGRAMME_SUPPORTS_PER_YEAR of them
    per call (programme.services.support_give enforces it under a lock)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="supports")
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="programme_supports",
    )
    created_at = models.DateTimeField(_("given"), db_default=Now())

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="programme_support_once"),
        ]
        indexes = [models.Index(fields=["call", "user"], name="programme_support_member_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


class Comment(models.Model):
    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_comments",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), db_default=Now())

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]


class StateChange(models.Model):
    """One step of a proposal's history of official answers, shown on its page."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="history"
    )
    from_state = models.CharField(_("from"), max_length=14, choices=ProposalState.choices)
    to_state = models.CharField(_("to"), max_length=14, choices=ProposalState.choices)
    note = models.TextField(_("answer"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("time"), db_default=Now())

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("state change")
        verbose_name_plural = _("state changes")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_state} → {self.to_state}"


class Poll(models.Model):
    """A scheduling poll for a planned session: slots proposed by the secretariat, answered by
    the invited members, each in their own time zone."""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="polls",
    )
    title_en = models.CharField(_("title in English"), max_length=200)
    title_ru = models.CharField(_("title in Russian"), max_length=200)
    event_kind = models.CharField(
        _("kind of event"),
        max_length=20,
        choices=EventKind.choices,
        default=EventKind.VIDEO_CONFERENCE,
    )
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=90)
    state = models.CharField(
        _("state"), max_length=8, choices=PollState.choices, default=PollState.OPEN
    )
    invitees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited members"),
        blank=True,
        related_name="programme_polls",
    )
    chosen_slot = models.ForeignKey(
        "programme.Slot",
        verbose_name=_("chosen slot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event created"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programme_polls",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), db_default=Now())

    title = Localized("title")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scheduling poll")
        verbose_name_plural = _("scheduling polls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=PollState.values), name="programme_poll_state_known"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=15, duration_minutes__lte=600),
                name="programme_poll_duration_sane",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=PollState.DECIDED, chosen_slot__isnull=True),
                name="programme_poll_decided_has_slot",
            ),
        ]

    def __str__(self) -> str:
        return self.title_en or self.title_ru

    def get_absolute_url(self) -> str:
        return reverse("programme:poll", kwargs={"pk": self.pk})


class Slot(models.Model):
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="slots"
    )
    starts_at = models.DateTimeField(_("starts"))

    class Meta:
        ordering = ["poll", "starts_at", "id"]
        verbose_name = pgettext_lazy("poll", "slot")
        verbose_name_plural = pgettext_lazy("poll", "slots")
        constraints = [
            models.UniqueConstraint(fields=["poll", "starts_at"], name="programme_slot_unique"),
        ]

    def __str__(self) -> str:
        return self.starts_at.isoformat()


class Answer(models.Model):
    """An invited member's yes / if need be / no for one slot."""

    slot = models.ForeignKey(
        Slot,
        verbose_name=pgettext_lazy("poll", "slot"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="programme_poll_answers",
    )
    answer = models.CharField(_("answer"), max_length=5, choices=SlotAnswer.choices)
    answered_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        constraints = [
            models.UniqueConstraint(fields=["slot", "user"], name="programme_answer_once"),
            models.CheckConstraint(
                condition=models.Q(answer__in=SlotAnswer.values),
                name="programme_answer_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.answer}"

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from events.enums import (
    IN_PERSON_KINDS,
    AttendanceSource,
    EventKind,
    EventStatus,
    InvitationAnswer,
    RegistrationStatus,
    VideoPlatform,
)
from events.querysets import EventQuerySet
from members.models import validate_time_zone
from mirpal.bilingual import Localized
from mirpal.countries import Country
from mirpal.enums import RunStatus
from mirpal.fields import HttpURLField
from mirpal.languages import SpokenLanguage
from mirpal.mailruns import MailRun

# Paths of events/urls.py that an event's slug must not take.
RESERVED_SLUGS = frozenset({"past", "calendar", "mine", "feed", "series", "attendance", "answer"})


class Series(models.Model):
    """A recurring run of events (a monthly seminar, say) with a page listing all of them."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title_en = models.CharField(_("title in English"), max_length=200)
    title_ru = models.CharField(_("title in Russian"), max_length=200)
    description_en = models.TextField(_("description in English"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)

    class Meta:
        ordering = ["title_en", "pk"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:series", args=[self.slug])

    title = Localized("title")
    description = Localized("description")


class Event(models.Model):
    """A video conference, the annual conference, a seminar or a field visit.

    Times are stored in UTC; `time_zone` is the zone the event is organised in, shown beside the
    viewer's own. `sequence` is the iCalendar SEQUENCE: the services raise it whenever the time,
    the place, the link or the status changes, so calendar clients replace their copy.
    """

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EventStatus.choices,
        default=EventStatus.DRAFT,
        db_index=True,
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    title_en = models.CharField(_("title in English"), max_length=200)
    title_ru = models.CharField(_("title in Russian"), max_length=200)
    description_en = models.TextField(_("description in English"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    topics = models.ManyToManyField(
        "mirpal.Topic", verbose_name=_("topics"), blank=True, related_name="events"
    )
    countries = ArrayField(
        models.CharField(max_length=2, choices=Country.choices),
        verbose_name=_("countries concerned"),
        default=list,
        blank=True,
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone of the event"),
        max_length=64,
        default="Europe/Moscow",
        validators=[validate_time_zone],
        help_text=_("The zone the event is organised in, for example Asia/Almaty."),
    )
    languages = ArrayField(
        models.CharField(max_length=5, choices=SpokenLanguage.choices),
        verbose_name=_("languages spoken"),
        default=list,
        blank=True,
    )
    interpretation = models.BooleanField(_("interpretation offered"), default=False)
    venue_city = models.CharField(_("city"), max_length=120, blank=True)
    venue_city_ru = models.CharField(
        _("city in Russian"),
        max_length=120,
        blank=True,
        help_text=_("As Russian pages and mail show it, e.g. “Кишинёв” for Chisinau."),
    )
    venue_country = models.CharField(
        _("country of the venue"), max_length=2, choices=Country.choices, blank=True
    )
    venue_address = models.CharField(_("address"), max_length=300, blank=True)
    platform = models.CharField(
        _("video platform"), max_length=20, choices=VideoPlatform.choices, blank=True
    )
    join_url = HttpURLField(
        _("join link"),
        max_length=500,
        blank=True,
        help_text=_("Shown only to registered members, speakers and the secretariat."),
    )
    passcode = models.CharField(_("passcode"), max_length=60, blank=True)
    recording_url = HttpURLField(
        _("recording link"),
        max_length=500,
        blank=True,
        help_text=_("Shown to members after the event."),
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep registration open until the start."),
    )
    speakers = models.ManyToManyField(
        "members.Expert", verbose_name=_("speakers"), blank=True, related_name="events_spoken"
    )
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0, editable=False)
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [("manage_attendance", _("Can import attendance and see attendance figures"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=0),
                name="event_capacity_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(join_url="")
                | models.Q(join_url__startswith="https://")
                | models.Q(join_url__startswith="http://"),
                name="event_join_url_http",
            ),
            models.CheckConstraint(
                condition=models.Q(registration_opens_at__isnull=True)
                | models.Q(registration_closes_at__isnull=True)
                | models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=EventKind.values), name="event_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=EventStatus.values), name="event_status_known"
            ),
            models.CheckConstraint(
                condition=models.Q(countries__contained_by=Country.values),
                name="event_countries_known",
            ),
            models.CheckConstraint(
                condition=models.Q(languages__contained_by=SpokenLanguage.values),
                name="event_languages_known",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"], name="event_status_start_idx"),
            models.Index(fields=["ends_at"], name="event_ends_idx"),
            # The order of the lists of coming (forwards) and past (backwards) events.
            models.Index(fields=["starts_at", "id"], name="event_start_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.slug])

    title = Localized("title")
    description = Localized("description")

    @property
    def venue_city_name(self) -> str:
        """The venue's city in the reader's language: the Russian name on Russian pages when
        the secretariat gave one, else the city as typed."""
        if self.venue_city_ru and (translation.get_language() or "").startswith("ru"):
            return self.venue_city_ru
        return self.venue_city

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_in_person(self) -> bool:
        return self.kind in IN_PERSON_KINDS or bool(self.venue_city)

    @property
    def is_online(self) -> bool:
        return bool(self.platform or self.join_url)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    def has_ended(self, now: datetime.datetime) -> bool:
        return self.ends_at <= now

    def registration_closes(self) -> datetime.datetime:
        return self.registration_closes_at or self.starts_at

    def countries_display(self) -> list[str]:
        labels = dict(Country.choices)
        return [str(labels.get(code, code)) for code in self.countries]

    def languages_display(self) -> list[str]:
        labels = dict(SpokenLanguage.choices)
        return [str(labels.get(code, code)) for code in self.languages]

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.slug in RESERVED_SLUGS:
            errors.setdefault("slug", []).append(
                _("“%(slug)s” is the address of another page; choose another.")
                % {"slug": self.slug}
            )
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors.setdefault("ends_at", []).append(_("The event must end after it starts."))
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and (self.registration_closes_at <= self.registration_opens_at)
        ):
            errors.setdefault("registration_closes_at", []).append(
                _("Registration must close after it opens.")
            )
        if self.kind in IN_PERSON_KINDS and not (self.venue_city and self.venue_country):
            errors.setdefault("venue_city", []).append(
                _("An event held in person needs the city and the country of its venue.")
            )
        if self.kind == EventKind.VIDEO_CONFERENCE and not self.platform:
            errors.setdefault("platform", []).append(
                _("A video conference needs its video platform.")
            )
        if errors:
            raise ValidationError(errors)


class Session(models.Model):
    """One item of a conference's agenda, with its own times and speakers."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions"
    )
    title_en = models.CharField(_("title in English"), max_length=200)
    title_ru = models.CharField(_("title in Russian"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    speakers = models.ManyToManyField(
        "members.Expert", verbose_name=_("speakers"), blank=True, related_name="sessions_spoken"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("agenda session")
        verbose_name_plural = _("agenda")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    title = Localized("title")

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})


class Registration(models.Model):
    """A member's answer for one event: going (confirmed or on the wait list) or not going."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(_("answer"), max_length=10, choices=RegistrationStatus.choices)
    # The wait list is served in the order people joined it.
    waiting_since = models.DateTimeField(_("on the wait list since"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_once_per_event"),
            models.CheckConstraint(
                condition=models.Q(status__in=RegistrationStatus.values),
                name="registration_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="waiting") | models.Q(waiting_since__isnull=False),
                name="registration_waiting_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["event", "status", "waiting_since"], name="registration_queue_idx"
            ),
            models.Index(fields=["user", "status"], name="registration_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"


class Attendance(models.Model):
    """Who took part, marked by the secretariat or imported from the platform's report."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="event_attendances",
    )
    minutes = models.PositiveIntegerField(_("minutes present"), null=True, blank=True)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=AttendanceSource.choices,
        default=AttendanceSource.MANUAL,
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("marked"), auto_now=True)

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="attendance_once_per_event"),
            models.CheckConstraint(
                condition=models.Q(source__in=AttendanceSource.values),
                name="attendance_source_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"


class EventFeedToken(models.Model):
    """The secret in a member's personal calendar feed address; regenerating it retires the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="event_feed_token",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("events:feed", args=[self.token])


class Invitation(models.Model):
    """A member was invited to an event; the answer comes from the one-click links in the mail."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="event_invitations",
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.CharField(
        _("answer"), max_length=10, choices=InvitationAnswer.choices, blank=True
    )

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        permissions = [("send_event_mail", _("Can send invitations and resend event mail"))]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="invitation_once_per_event"),
            models.CheckConstraint(
                condition=models.Q(answer="", answered_at__isnull=True)
                | models.Q(answer__in=InvitationAnswer.values, answered_at__isnull=False),
                name="invitation_answer_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event}"


class InvitationRun(MailRun):
    """Invitations to an event decided in one click and written by a worker (mirpal.mailruns):
    whom the click invited (recipient_ids, fixed then) and how many have been written. At most
    one run per event is being written, so a second click meanwhile adds nothing."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="invitation_runs"
    )
    audience = models.JSONField(_("audience"), default=dict)
    total = models.PositiveIntegerField(_("recipients"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), db_default=Now())

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation run")
        verbose_name_plural = _("invitation runs")
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=models.Q(status=RunStatus.WRITING),
                name="invitation_run_one_writing_per_event",
            ),
            models.CheckConstraint(
                condition=models.Q(written__lte=models.F("total")),
                name="invitation_run_written_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.written}/{self.total}"

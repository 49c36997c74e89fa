"""Choices of the events app: stable English slugs stored, translatable labels shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    VIDEO_CONFERENCE = "video_conference", _("Video conference")
    ANNUAL_CONFERENCE = "annual_conference", _("Annual conference")
    SEMINAR = "seminar", _("Seminar or workshop")
    FIELD_VISIT = "field_visit", _("Field visit")


# Kinds that happen in a room and so need a venue; seminars may be either.
IN_PERSON_KINDS = {EventKind.ANNUAL_CONFERENCE, EventKind.FIELD_VISIT}


class EventStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("event status", "draft")
    PUBLISHED = "published", pgettext_lazy("event status", "published")
    CANCELLED = "cancelled", pgettext_lazy("event status", "cancelled")
    COMPLETED = "completed", pgettext_lazy("event status", "completed")


class VideoPlatform(models.TextChoices):
    ZOOM = "zoom", "Zoom"
    TEAMS = "teams", "Microsoft Teams"
    WEBEX = "webex", "Webex"
    GOOGLE_MEET = "google_meet", "Google Meet"
    JITSI = "jitsi", "Jitsi Meet"
    OTHER = "other", _("Other platform")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", pgettext_lazy("registration status", "going")
    WAITING = "waiting", pgettext_lazy("registration status", "on the wait list")
    DECLINED = "declined", pgettext_lazy("registration status", "not going")


class AttendanceSource(models.TextChoices):
    MANUAL = "manual", _("Marked by the secretariat")
    IMPORT = "import", _("Imported from the platform's report")


class InvitationAnswer(models.TextChoices):
    GOING = "going", pgettext_lazy("invitation answer", "going")
    NOT_GOING = "not_going", pgettext_lazy("invitation answer", "not going")

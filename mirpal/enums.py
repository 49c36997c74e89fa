"""The ground's vocabularies: stable English slugs stored, translatable labels shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    # Not sent on purpose: the recipient's membership was suspended or rejected before sending.
    SKIPPED = "skipped", _("not sent")


class MailKind(models.TextChoices):
    """Kinds of mail a member can turn off; account and membership mail always goes."""

    INVITATIONS = "invitations", _("Invitations to events")
    REMINDERS = "reminders", _("Reminders before events I registered for")
    DIGEST = "digest", _("Digest of new events and publications")
    NEWS = "news", _("News and calls from the secretariat")
    # To managers only: new applications and expert requests (members.notices).
    SECRETARIAT_NOTICES = "secretariat_notices", _("Notices of what waits for the secretariat")
    # New questions in what a member follows, replies in followed threads, mentions (exchange).
    DISCUSSIONS = "discussions", _("Discussions I follow")


class DiscussionMail(models.TextChoices):
    """How a member hears of new questions and replies in what they follow (exchange)."""

    AT_ONCE = "at_once", _("As they happen")
    DIGEST = "digest", _("In the digest")
    NONE = "none", _("Not at all")


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    NEVER = "never", _("Never")


class ApiScope(models.TextChoices):
    READ_EVENTS = "read:events", _("Read events")
    READ_LIBRARY = "read:library", _("Read the library")
    READ_EXPERTS = "read:experts", _("Read the expert roster")
    READ_CASES = "read:cases", _("Read good-practice cases")
    READ_COLLECTIONS = "read:collections", _("Read curated collections")
    READ_PROGRAMME = "read:programme", _("Read the work programme")


class WebhookTopic(models.TextChoices):
    EVENT_PUBLISHED = "event.published", _("Event published")
    EVENT_CHANGED = "event.changed", _("Event changed")
    EVENT_CANCELLED = "event.cancelled", _("Event cancelled")
    ISSUE_PUBLISHED = "issue.published", _("Magazine issue published")
    DOCUMENT_PUBLISHED = "document.published", _("Document published")
    CASE_PUBLISHED = "case.published", _("Good-practice case published")
    ACTIVITY_PLANNED = "activity.planned", _("Programme activity planned")


class WebhookStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed")


class RunStatus(models.TextChoices):
    WRITING = "writing", _("being written")
    DONE = "done", _("all written")
    STOPPED = "stopped", _("stopped")

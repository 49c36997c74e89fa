"""The peer exchange's vocabularies: stable English slugs stored, translatable labels shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ThreadKind(models.TextChoices):
    QUESTION = "question", pgettext_lazy("thread kind", "Question")
    DISCUSSION = "discussion", pgettext_lazy("thread kind", "Discussion")


class Visibility(models.TextChoices):
    MEMBERS = "members", pgettext_lazy("discussion visibility", "Members only")
    PUBLIC = "public", pgettext_lazy("discussion visibility", "Public")


class WrittenIn(models.TextChoices):
    """The two languages a post may be written in (the network's working languages)."""

    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


class Moderation(models.TextChoices):
    """Where a thread or a post stands: shown, waiting for the secretariat, or hidden by it."""

    PUBLISHED = "published", pgettext_lazy("post state", "published")
    HELD = "held", pgettext_lazy("post state", "awaiting review")
    HIDDEN = "hidden", pgettext_lazy("post state", "hidden")


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive or abusive")
    OFF_TOPIC = "off_topic", _("Off topic")
    PERSONAL_DATA = "personal_data", _("Discloses personal data")
    OTHER = "other", pgettext_lazy("flag reason", "Other")


class FlagOutcome(models.TextChoices):
    OPEN = "open", pgettext_lazy("flag outcome", "open")
    HIDDEN = "hidden", pgettext_lazy("flag outcome", "post hidden")
    DISMISSED = "dismissed", pgettext_lazy("flag outcome", "dismissed")


class AttachmentKind(models.TextChoices):
    PDF = "pdf", _("PDF")
    IMAGE = "image", _("Image")

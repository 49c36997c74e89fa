"""Vocabularies of good-practice cases and collections: stable slugs stored, labels shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStatus(models.TextChoices):
    """Where the measure itself stands in its country."""

    IDEA = "idea", pgettext_lazy("case status", "Idea")
    PILOT = "pilot", pgettext_lazy("case status", "Pilot")
    IN_FORCE = "in_force", pgettext_lazy("case status", "In force")
    ENDED = "ended", pgettext_lazy("case status", "Ended")


class ReviewState(models.TextChoices):
    """Where the case stands with the secretariat."""

    SUBMITTED = "submitted", pgettext_lazy("case review", "Awaiting review")
    CHANGES_REQUESTED = "changes", pgettext_lazy("case review", "Changes requested")
    PUBLISHED = "published", pgettext_lazy("case review", "Published")
    DECLINED = "declined", pgettext_lazy("case review", "Declined")


class Visibility(models.TextChoices):
    MEMBERS = "members", pgettext_lazy("case visibility", "Members only")
    PUBLIC = "public", pgettext_lazy("case visibility", "Public")


class ItemKind(models.TextChoices):
    """What a collection's item points at; a NOTE is text of the secretariat's own."""

    NOTE = "note", _("Note")
    ARTICLE = "article", _("Magazine article")
    DOCUMENT = "document", _("Document")
    CASE = "case", _("Good-practice case")
    RECORDING = "recording", _("Event recording")
    EXPERT = "expert", _("Expert")
    DISCUSSION = "discussion", _("Discussion")

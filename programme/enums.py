"""Vocabularies of the work programme: stable slugs stored, translatable labels shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActivityKind(models.TextChoices):
    VIDEO_CONFERENCE = "video_conference", _("Video conference")
    FIELD_VISIT = "field_visit", _("Field visit")
    STUDY = "study", _("Study")
    TRAINING = "training", _("Training")
    EXPERT_REVIEW = "expert_review", _("Expert review")


class ProposalState(models.TextChoices):
    """The official answer a proposal has had (Decidim's states)."""

    SUBMITTED = "submitted", pgettext_lazy("proposal state", "Submitted")
    EVALUATING = "evaluating", pgettext_lazy("proposal state", "Being evaluated")
    ACCEPTED = "accepted", pgettext_lazy("proposal state", "Accepted")
    NOT_THIS_YEAR = "not_this_year", pgettext_lazy("proposal state", "Not this year")
    MERGED = "merged", pgettext_lazy("proposal state", "Merged")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("activity status", "Planned")
    HELD = "held", pgettext_lazy("activity status", "Held")
    CANCELLED = "cancelled", pgettext_lazy("activity status", "Cancelled")


class PollState(models.TextChoices):
    OPEN = "open", pgettext_lazy("poll state", "Open")
    DECIDED = "decided", pgettext_lazy("poll state", "Slot chosen")
    CLOSED = "closed", pgettext_lazy("poll state", "Closed")


class SlotAnswer(models.TextChoices):
    YES = "yes", pgettext_lazy("poll answer", "Yes")
    IF_NEED_BE = "maybe", pgettext_lazy("poll answer", "If need be")
    NO = "no", pgettext_lazy("poll answer", "No")


class WrittenIn(models.TextChoices):
    """The two languages a proposal may be written in (the network's working languages)."""

    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")

"""Choices of the expert roster: stable English slugs stored, translatable labels shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class HelpKind(models.TextChoices):
    VIDEO_CONFERENCE = "video_conference", _("Speaking at a video conference")
    FIELD_VISIT = "field_visit", _("Field visit")
    WRITTEN_REVIEW = "written_review", _("Written review")
    TRAINING = "training", _("Training")


class ExpertRequestStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("expert request status", "new")
    IN_REVIEW = "in_review", pgettext_lazy("expert request status", "in review")
    MATCHED = "matched", pgettext_lazy("expert request status", "matched")
    DECLINED = "declined", pgettext_lazy("expert request status", "declined")
    DONE = "done", pgettext_lazy("expert request status", "done")


# Where the secretariat may move a request from each state; "done" is final.
EXPERT_REQUEST_TRANSITIONS: dict[str, tuple[str, ...]] = {
    ExpertRequestStatus.NEW: (
        ExpertRequestStatus.IN_REVIEW,
        ExpertRequestStatus.MATCHED,
        ExpertRequestStatus.DECLINED,
    ),
    ExpertRequestStatus.IN_REVIEW: (ExpertRequestStatus.MATCHED, ExpertRequestStatus.DECLINED),
    ExpertRequestStatus.MATCHED: (ExpertRequestStatus.DONE, ExpertRequestStatus.IN_REVIEW),
    ExpertRequestStatus.DECLINED: (ExpertRequestStatus.IN_REVIEW,),
    ExpertRequestStatus.DONE: (),
}

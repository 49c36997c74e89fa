import hashlib

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from mirpal.bilingual import localized


class Topic(models.Model):
    """One entry of the topic list that members' interests, events, the roster and the library share."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_en = models.CharField(_("name in English"), max_length=120)
    name_ru = models.CharField(_("name in Russian"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutboxMessage(models.Model):
    """One mail to send, written in the same transaction as the action that caused it.

    The idempotency key names the message (recipient, subject, kind, version); the database keeps
    it unique, so an action repeated or retried never queues the same mail twice.
    """

    idempotency_key = models.CharField(_("idempotency key"), max_length=255, unique=True)
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
    )
    to_email = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), db_default=Now())
    next_attempt_at = models.DateTimeField(_("next attempt"), db_default=Now())
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=models.Q(status__in=["pending", "sending"]),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_email}"

    @property
    def message_id(self) -> str:
        digest = hashlib.sha256(self.idempotency_key.encode()).hexdigest()[:32]
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "mirpal"
        return f"<{digest}@{domain}>"

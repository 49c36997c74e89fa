import hashlib
import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mirpal.bilingual import Localized
from mirpal.countries import Country
from mirpal.enums import (
    ApiScope,
    DigestFrequency,
    DiscussionMail,
    OutboxStatus,
    WebhookStatus,
    WebhookTopic,
)
from mirpal.mailruns import MailRun


class Topic(models.Model):
    """One entry of the topic list shared by interests, events, the roster and the library."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_en = models.CharField(_("name in English"), max_length=120)
    name_ru = models.CharField(_("name in Russian"), max_length=120)
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("order in a list", "position"), default=0
    )

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    name = Localized("name")


class SecretariatNotices(models.TextChoices):
    """How a manager hears of what arrives for the secretariat (mirpal.preferences)."""

    NONE = "none", _("Not at all")
    AT_ONCE = "at_once", _("At once: one mail for each")
    DAILY = "daily", _("A daily summary")


class MailPreference(models.Model):
    """Which mail a person wants; a missing row means the defaults (everything, weekly digest,
    a daily summary of the secretariat's notices for those who receive them)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="mail_preference",
    )
    invitations = models.BooleanField(_("invitations to events"), default=True)
    reminders = models.BooleanField(_("reminders before events I registered for"), default=True)
    news = models.BooleanField(_("news and calls from the secretariat"), default=True)
    digest = models.CharField(
        _("digest of new events and publications"),
        max_length=8,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    followed_countries = ArrayField(
        models.CharField(max_length=2, choices=Country.choices),
        verbose_name=_("countries I follow"),
        default=list,
        blank=True,
    )
    secretariat_notices = models.CharField(
        _("new applications and expert requests"),
        max_length=8,
        choices=SecretariatNotices.choices,
        default=SecretariatNotices.DAILY,
    )
    discussions = models.CharField(
        _("new questions and replies in discussions I follow"),
        max_length=8,
        choices=DiscussionMail.choices,
        default=DiscussionMail.AT_ONCE,
    )
    # The end of the span the last daily summary covered; the next one starts there.
    notices_summarised_until = models.DateTimeField(
        _("notices summarised until"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mail preferences")
        verbose_name_plural = _("mail preferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digest__in=DigestFrequency.values), name="mail_digest_known"
            ),
            models.CheckConstraint(
                condition=models.Q(secretariat_notices__in=SecretariatNotices.values),
                name="mail_secretariat_notices_known",
            ),
            models.CheckConstraint(
                condition=models.Q(discussions__in=DiscussionMail.values),
                name="mail_discussions_known",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


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
    members_only = models.BooleanField(
        _("only for approved members"),
        default=False,
        help_text=_("Not sent if the recipient's membership is suspended or rejected by then."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), db_default=Now())
    next_attempt_at = models.DateTimeField(_("next attempt"), db_default=Now())
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    # The token of the advisory lock that the claiming task's database session holds: the claim
    # lives exactly as long as that session (mirpal.outbox).
    claimed_by = models.BigIntegerField(_("sending session"), null=True, blank=True, editable=False)
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
            ),
            # The secretariat's home counts and lists failed mail; the outbox keeps every mail
            # ever sent, so without it that is a scan of all of them.
            models.Index(
                fields=["-created_at", "-id"],
                name="outbox_failed_idx",
                condition=models.Q(status="failed"),
            ),
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


# --- Partner API: partners, their keys, their webhooks (issue 7).


def webhook_secret_new() -> str:
    return secrets.token_hex(32)


class Partner(models.Model):
    """An organisation that shows the network's content on its own site through the API."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    allowed_origins = ArrayField(
        models.CharField(max_length=200),
        verbose_name=_("web origins allowed to call the API from a browser"),
        default=list,
        blank=True,
        help_text=_("One per line, for example https://partner.example (scheme and host only)."),
    )
    webhook_secret = models.CharField(
        _("webhook signing secret"),
        max_length=64,
        default=webhook_secret_new,
        help_text=_("Give it to the partner: every webhook delivery is signed with it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), db_default=Now())

    class Meta:
        ordering = ["name"]
        verbose_name = _("API partner")
        verbose_name_plural = _("API partners")

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A key to the API: a partner's (scoped, read-only) or a member's personal one (acts as the
    member). Only the SHA-256 of the key is stored; the key itself is shown once, at creation."""

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    name = models.CharField(_("label"), max_length=120)
    prefix = models.CharField(_("first characters"), max_length=12, editable=False)
    key_hash = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True, editable=False)
    scopes = ArrayField(
        models.CharField(max_length=20, choices=ApiScope.choices),
        verbose_name=_("scopes"),
        default=list,
        blank=True,
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
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partner__isnull=False, user__isnull=True)
                | models.Q(partner__isnull=True, user__isnull=False),
                name="apikey_partner_or_member",
            ),
            models.CheckConstraint(
                condition=models.Q(scopes__contained_by=ApiScope.values),
                name="apikey_scopes_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class WebhookEndpoint(models.Model):
    """A partner's address that receives signed notices of the topics it chose."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(_("address"), max_length=500)
    topics = ArrayField(
        models.CharField(max_length=30, choices=WebhookTopic.choices),
        verbose_name=_("notices wanted"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), db_default=Now())

    class Meta:
        ordering = ["partner", "pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(topics__contained_by=WebhookTopic.values),
                name="webhook_topics_known",
            ),
            models.CheckConstraint(
                condition=models.Q(url__startswith="https://")
                | models.Q(url__startswith="http://"),
                name="webhook_url_http",
            ),
        ]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One notice to one endpoint, written in the transaction of the change it reports; `log`
    keeps every attempt (time, HTTP status or error) for the secretariat."""

    id = models.UUIDField(primary_key=True, editable=False)
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("webhook"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    topic = models.CharField(_("notice"), max_length=30, choices=WebhookTopic.choices)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=WebhookStatus.choices, default=WebhookStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(
        _("last HTTP status"), null=True, blank=True
    )
    last_error = models.TextField(_("last error"), blank=True)
    log = models.JSONField(_("attempts log"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), db_default=Now())
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    # Set while a worker makes the HTTP request, which happens outside any transaction: other
    # workers leave the row alone until then, and take it up if that worker died.
    claimed_until = models.DateTimeField(_("being sent until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=WebhookStatus.values),
                name="webhook_delivery_status_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="delivered") | models.Q(delivered_at__isnull=False),
                name="webhook_delivered_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic} → {self.endpoint}"


# --- The secretariat's panel: the audit log and messages to members (issue 8).


class AuditAction(models.TextChoices):
    APPROVE = "approve", _("approved")
    REJECT = "reject", _("rejected")
    SUSPEND = "suspend", _("suspended")
    PUBLISH = "publish", _("published")
    CANCEL = "cancel", _("cancelled")
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")
    SEND = "send", _("sent")
    # A change the rules did not allow, tried anyway (members.services, privileges).
    REFUSE = "refuse", _("refused")
    # A person closed their own account (members.personal_data); the entry names no one.
    CLOSE_ACCOUNT = "close_account", _("account closed")


class AuditEntry(models.Model):
    """One decision or change by secretariat staff. It names its object by type, id and text
    rather than by a foreign key, so the entry outlives the object it describes."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_email = models.EmailField(_("by (email)"), blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), db_default=Now(), db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.actor_email or '—'} {self.action} {self.object_repr}"


class Message(MailRun):
    """A message the secretariat sent to members: its text in both languages, the audience, whom
    it goes to and how many of their mails a worker has written (mirpal.mailruns). The token names
    the form that sent it, so a form submitted twice records one message."""

    token = models.UUIDField(_("token"), unique=True, editable=False)
    subject_en = models.CharField(_("subject in English"), max_length=200)
    subject_ru = models.CharField(_("subject in Russian"), max_length=200)
    body_en = models.TextField(_("text in English"))
    body_ru = models.TextField(_("text in Russian"))
    audience = models.JSONField(_("audience"), default=dict)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), db_default=Now())
    recipients_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("message to members")
        verbose_name_plural = _("messages to members")
        permissions = [("send_message", _("Can send messages to members"))]

    def __str__(self) -> str:
        return self.subject_en

    subject = Localized("subject")


# --- Security events: sign-ins, failures, lock-outs, changes to how one signs in (issue 13).


class SecurityEventKind(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Wrong password")
    LOCKED_OUT = "locked_out", _("Sign-in blocked after too many attempts")
    MFA_FAILED = "mfa_failed", _("Wrong second-factor code")
    MFA_ADDED = "mfa_added", _("Second factor added")
    MFA_REMOVED = "mfa_removed", _("Second factor removed")
    MFA_RESET = "mfa_reset", _("Recovery codes renewed")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_SET = "password_set", _("Password set")
    PASSWORD_RESET = "password_reset", _("Password reset by mailed link")
    EMAIL_ADDED = "email_added", _("Email address added")
    EMAIL_REMOVED = "email_removed", _("Email address removed")
    EMAIL_CONFIRMED = "email_confirmed", _("Email address confirmed")
    EMAIL_PRIMARY_CHANGED = "email_primary_changed", _("Main email address changed")
    API_KEY_NEW_ADDRESS = "api_key_new_address", _("API key used from a new address")


class SecurityEvent(models.Model):
    """One thing that happened to an account's security, written by mirpal.security_events.

    `ip`, `user_agent`, `device` and `detail` are personal data: closing an account blanks them
    (security_events_anonymise) and rows older than SECURITY_EVENTS_RETENTION_DAYS are deleted.
    A failed sign-in for an address no account has keeps no user, and only a keyed hash of the
    address typed (`detail["login_hash"]`), never the address itself.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="security_events",
    )
    kind = models.CharField(_("what happened"), max_length=32, choices=SecurityEventKind.choices)
    created_at = models.DateTimeField(_("time"), db_default=Now())
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    # SHA-256 of the random id in the browser's signed device cookie; empty without one.
    device = models.CharField(_("device"), max_length=64, blank=True)
    new_device = models.BooleanField(_("new device"), default=False)
    api_key = models.ForeignKey(
        ApiKey,
        verbose_name=_("API key"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="security_event_user_idx"),
            models.Index(fields=["created_at"], name="security_event_time_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SecurityEventKind.values),
                name="security_event_kind_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.user or '—'}"

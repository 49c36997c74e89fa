"""What the platform holds about one person: each app exports its part and erases it.

The ground imports no app, so every app registers its own section at start-up (in its
AppConfig.ready(), as the outbox's recipient checks are): `personal_data_register(section,
export=..., erase=...)`. The member's download (members.personal_data) asks every section for its
part; closing an account runs every eraser inside the one transaction that closes it. An export
function reads with a fixed number of queries, whatever the number of rows; an eraser writes and
adds the objects it knows to be about the person to `subject.objects`, so that the audit log,
scrubbed last, can drop what identifies them from the entries about those objects.

This module holds the ground's own sections: mail sent to the person, their mail preferences,
their personal API keys, and the audit and admin logs.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from mirpal.enums import OutboxStatus
from mirpal.models import ApiKey, AuditEntry, MailPreference, OutboxMessage, SecurityEvent
from mirpal.security_events import security_events_anonymise

# A closed account keeps its row, so that what the network must keep (attendance, registrations,
# decisions) still points somewhere; its address becomes one that can never receive mail
# (RFC 2606 reserves .invalid) and never collides with a real one.
CLOSED_EMAIL_DOMAIN = "closed.invalid"
ERASED = "[erased]"


def closed_email(user_pk: int) -> str:
    return f"closed-{user_pk}@{CLOSED_EMAIL_DOMAIN}"


def email_mask(address: str) -> str:
    """ "m•••@example.org": enough for its owner to recognise, not enough to harvest."""
    local, at, domain = (address or "").partition("@")
    if not at:
        return "•••"
    return f"{local[:1]}•••@{domain}"


@dataclass
class DataSubject:
    """The person whose account closes, as they were before anything was erased."""

    user: Any
    emails: frozenset[str]  # lower case: the sign-in address and every other one on file
    names: tuple[str, ...]  # full name, surname, first name: text that identifies them
    placeholder_email: str
    # (model label, pk as text) of objects about the person, filled in by the erasers.
    objects: set[tuple[str, str]] = field(default_factory=set)

    def needles(self) -> list[str]:
        found = {*self.emails, *(name for name in self.names if len(name) >= 2)}
        return sorted(found, key=len, reverse=True)  # "Ivan Petrov" before "Ivan"

    def about(self, objects: Iterable) -> None:
        for obj in objects:
            self.objects.add((obj._meta.label, str(obj.pk)))


Exporter = Callable[[Any], Any]
Eraser = Callable[[DataSubject], None]


@dataclass(frozen=True)
class Section:
    name: str
    export: Exporter | None
    erase: Eraser | None
    position: int


_sections: dict[str, Section] = {}


def personal_data_register(
    section: str,
    *,
    export: Exporter | None = None,
    erase: Eraser | None = None,
    position: int = 50,
) -> None:
    """Add a section to the download (`export(user)` returns JSON-ready data) and to account
    closure (`erase(subject)`). Sections run in `position` order; registering a name again
    replaces it, so a second ready() changes nothing."""
    _sections[section] = Section(section, export, erase, position)


def _ordered() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.position, section.name))


def personal_data_export(*, user) -> dict:
    """Everything the platform holds about `user`, section by section, ready for json.dumps."""
    return {
        "format": "mirpal-personal-data/1",
        "exported_at": export_value(timezone.now()),
        **{
            section.name: section.export(user)
            for section in _ordered()
            if section.export is not None
        },
    }


def personal_data_erase(*, subject: DataSubject) -> None:
    """Run every section's eraser, in the caller's transaction."""
    for section in _ordered():
        if section.erase is not None:
            section.erase(subject)


def export_value(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def choice(value: str, label) -> dict | None:
    """A stored code with its label in the reader's language."""
    if value in (None, ""):
        return None
    return {"value": value, "label": str(label)}


def text_scrub(value, needles: list[str], blank_keys: frozenset[str] = frozenset()):
    """`value` (text, or JSON of lists and dicts) with every needle replaced by ERASED, and the
    values of `blank_keys` blanked wherever they appear as keys."""
    if isinstance(value, str):
        lowered = value.lower()
        for needle in needles:
            start = lowered.find(needle.lower())
            while start != -1:
                value = value[:start] + ERASED + value[start + len(needle) :]
                lowered = value.lower()
                start = lowered.find(needle.lower(), start + len(ERASED))
        return value
    if isinstance(value, list):
        return [text_scrub(item, needles, blank_keys) for item in value]
    if isinstance(value, dict):
        return {
            key: _blank(item) if key in blank_keys else text_scrub(item, needles, blank_keys)
            for key, item in value.items()
        }
    return value


def _blank(value):
    if isinstance(value, str):
        return ""
    if isinstance(value, list | dict):
        return type(value)()
    return value


def emails_match(field: str, emails: Iterable[str]) -> Q:
    """Rows whose `field` is one of these addresses, in any case."""
    found = Q(pk__in=[])
    for email in emails:
        found |= Q(**{f"{field}__iexact": email})
    return found


# --- The ground's own sections.


def _mail_export(user) -> list[dict]:
    rows = OutboxMessage.objects.filter(
        Q(recipient=user) | Q(to_email__iexact=user.email)
    ).order_by("created_at", "pk")
    return [
        {
            "date": export_value(row.created_at),
            "kind": row.kind,
            "to": row.to_email,
            "subject": row.subject,
            "status": choice(row.status, row.get_status_display()),
            "sent_at": export_value(row.sent_at),
            "body": row.body_text,
        }
        for row in rows.only(
            "created_at", "kind", "to_email", "subject", "status", "sent_at", "body_text"
        )
    ]


def _mail_erase(subject: DataSubject) -> None:
    """Mail to the person keeps its kind, date and status (the counts of what was sent); its
    address, body, headers (unsubscribe links) and attachments go; mail not yet sent never will."""
    rows = OutboxMessage.objects.filter(
        Q(recipient=subject.user) | emails_match("to_email", subject.emails)
    )
    rows.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED]).update(
        status=OutboxStatus.SKIPPED, last_error="account closed"
    )
    needles = subject.needles()
    changed = []
    for row in rows.only("pk", "subject"):
        scrubbed = text_scrub(row.subject, needles)
        if scrubbed != row.subject:
            row.subject = scrubbed
            changed.append(row)
    OutboxMessage.objects.bulk_update(changed, ["subject"])
    rows.update(
        recipient=None,
        to_email=subject.placeholder_email,
        body_text="",
        body_html="",
        headers={},
        attachments=[],
        last_error="",
    )


def _mail_preferences_export(user) -> dict | None:
    preference = MailPreference.objects.filter(user=user).first()
    if preference is None:
        return None
    return {
        "invitations": preference.invitations,
        "reminders": preference.reminders,
        "news": preference.news,
        "digest": choice(preference.digest, preference.get_digest_display()),
        "followed_countries": preference.followed_countries,
        "updated_at": export_value(preference.updated_at),
    }


def _mail_preferences_erase(subject: DataSubject) -> None:
    MailPreference.objects.filter(user=subject.user).delete()


def _api_keys_export(user) -> list[dict]:
    """Personal API keys: never the key or its hash."""
    return [
        {
            "label": key.name,
            "prefix": key.prefix,
            "scopes": key.scopes,
            "created_at": export_value(key.created_at),
            "last_used_at": export_value(key.last_used_at),
            "revoked_at": export_value(key.revoked_at),
        }
        for key in ApiKey.objects.filter(user=user).order_by("created_at", "pk")
    ]


def _api_keys_erase(subject: DataSubject) -> None:
    ApiKey.objects.filter(user=subject.user).delete()


# Keys of audit snapshots that hold what a person typed about themselves or how to reach them.
PERSONAL_KEYS = frozenset(
    {
        "email",
        "first_name",
        "last_name",
        "sort_name",
        "sort_key_ru",
        "sort_key_en",
        "phone",
        "city",
        "organisation",
        "position",
        "motivation",
        "purpose",
        "note",
        "to_email",
        "body_text",
        "body_html",
        "contact_email",
        "contact_phone",
        "contact_notes",
    }
)


def _logs_erase(subject: DataSubject) -> None:
    """Audit entries keep their action, object type, id and time; what names the person goes:
    their address wherever it appears, and on entries about their own objects, their names and
    the personal fields of the snapshots. The same for Django's admin log."""
    needles = subject.needles()
    own = Q(pk__in=[])
    by_label: dict[str, list[str]] = {}
    for label, pk in subject.objects:
        by_label.setdefault(label, []).append(pk)
    for label, pks in by_label.items():
        own |= Q(object_type=label, object_id__in=pks)
    mentions = Q(pk__in=[])
    for email in subject.emails:
        mentions |= (
            Q(actor_email__iexact=email)
            | Q(object_repr__icontains=email)
            | Q(before_text__icontains=email)
            | Q(after_text__icontains=email)
        )
    entries = AuditEntry.objects.annotate(
        before_text=Cast("before", TextField()), after_text=Cast("after", TextField())
    ).filter(own | mentions | Q(actor=subject.user))
    changed = []
    for entry in entries:
        is_own = (entry.object_type, entry.object_id) in subject.objects
        blank = PERSONAL_KEYS if is_own else frozenset()
        entry.actor_email = "" if entry.actor_email.lower() in subject.emails else entry.actor_email
        entry.object_repr = ERASED if is_own else text_scrub(entry.object_repr, needles)
        entry.before = text_scrub(entry.before, needles, blank)
        entry.after = text_scrub(entry.after, needles, blank)
        changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["actor_email", "object_repr", "before", "after"])

    log_own = Q(pk__in=[])
    for label, pks in by_label.items():
        app_label, model = label.split(".")
        try:
            content_type = ContentType.objects.get_by_natural_key(app_label, model.lower())
        except ContentType.DoesNotExist:
            continue
        log_own |= Q(content_type=content_type, object_id__in=pks)
    log_mentions = Q(pk__in=[])
    for email in subject.emails:
        log_mentions |= Q(object_repr__icontains=email)
    LogEntry.objects.filter(log_own | log_mentions).update(object_repr=ERASED)


def _security_events_export(user) -> list[dict]:
    """Sign-ins and other security events of the account (mirpal.security_events)."""
    return [
        {
            "date": export_value(event.created_at),
            "what": choice(event.kind, event.get_kind_display()),
            "address": event.ip,
            "browser": event.user_agent,
            "new_device": event.new_device,
        }
        for event in SecurityEvent.objects.filter(user=user).order_by("created_at", "pk")
    ]


def _security_events_erase(subject: DataSubject) -> None:
    security_events_anonymise(user=subject.user)


def personal_data_register_ground() -> None:
    """The ground's sections; called from mirpal's AppConfig.ready()."""
    personal_data_register("mail_received", export=_mail_export, erase=_mail_erase, position=60)
    personal_data_register(
        "mail_preferences",
        export=_mail_preferences_export,
        erase=_mail_preferences_erase,
        position=15,
    )
    personal_data_register("api_keys", export=_api_keys_export, erase=_api_keys_erase, position=70)
    personal_data_register(
        "security_events",
        export=_security_events_export,
        erase=_security_events_erase,
        position=85,
    )
    # Last: the erasers before it have listed the objects about the person.
    personal_data_register("audit", erase=_logs_erase, position=1000)

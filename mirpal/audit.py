"""The audit log: who decided or changed what, when, with the object's fields before and after.

`audit_record` is called inside the transaction of the change it describes, so an entry exists
exactly when the change committed.
"""

from __future__ import annotations

import datetime
import decimal
import uuid

from django.db import models

from mirpal.models import AuditEntry


def audit_json(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.time | decimal.Decimal | uuid.UUID):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, list | tuple):
        return [audit_json(item) for item in value]
    if isinstance(value, dict):
        return {str(key): audit_json(item) for key, item in value.items()}
    if hasattr(value, "name"):  # a stored file: its name, never its content
        return value.name or ""
    return str(value)


def audit_snapshot(obj: models.Model) -> dict:
    """The instance's own columns as JSON (foreign keys as ids); reads nothing from the database."""
    return {
        field.attname: audit_json(field.value_from_object(obj))
        for field in obj._meta.concrete_fields
        if field.attname not in ("password", "search_vector", "key_hash", "webhook_secret")
    }


def audit_record(
    *, actor, action: str, obj: models.Model, before: dict | None = None, after: dict | None = None
) -> AuditEntry:
    """Write one audit entry about `obj`; the caller's transaction decides whether it stays."""
    signed_in = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if signed_in else None,
        actor_email=actor.email if signed_in else "",
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
    )

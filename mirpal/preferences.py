"""Members' mail preferences, and the one-click unsubscribe link each optional mail carries."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from mirpal.enums import DigestFrequency, MailKind
from mirpal.models import MailPreference

UNSUBSCRIBE_SALT = "mirpal.unsubscribe"
# A link in an old digest still works for a year; after that the preferences page does.
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600


class UnsubscribeLinkInvalid(Exception):
    pass


def mail_preference_for(*, user) -> MailPreference:
    """The user's preferences, or unsaved defaults when they never changed them."""
    try:
        return user.mail_preference
    except MailPreference.DoesNotExist:
        return MailPreference(user=user)


@transaction.atomic
def mail_preference_update(*, user, **fields) -> MailPreference:
    preference, _ = MailPreference.objects.select_for_update().get_or_create(user=user)
    for name, value in fields.items():
        setattr(preference, name, value)
    preference.full_clean(exclude=["user"])
    preference.save()
    return preference


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> tuple[int, str]:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.BadSignature as error:
        raise UnsubscribeLinkInvalid from error
    if data.get("k") not in MailKind.values:
        raise UnsubscribeLinkInvalid
    return int(data["u"]), data["k"]


def mail_unsubscribe(*, user, kind: str) -> MailPreference:
    """Turn one kind of mail off; harmless when it is off already."""
    if kind == MailKind.DIGEST:
        return mail_preference_update(user=user, digest=DigestFrequency.NEVER)
    return mail_preference_update(user=user, **{kind: False})


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return settings.SITE_URL + reverse("mail_unsubscribe", args=[token])


def unsubscribe_headers(*, user_id: int, kind: str) -> dict[str, str]:
    """RFC 2369 and RFC 8058 headers, so that mail clients offer a one-click unsubscribe."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(user_id=user_id, kind=kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def users_wanting(*, kind: str, user_ids) -> set[int]:
    """Of these users, those whose preferences let this kind of mail through."""
    user_ids = set(user_ids)
    if kind == MailKind.DIGEST:
        opted_out = MailPreference.objects.filter(
            user_id__in=user_ids, digest=DigestFrequency.NEVER
        )
    else:
        opted_out = MailPreference.objects.filter(user_id__in=user_ids, **{kind: False})
    return user_ids - set(opted_out.values_list("user_id", flat=True))

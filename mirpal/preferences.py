"""Members' mail preferences, and the one-click unsubscribe link each optional mail carries."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mirpal.enums import DigestFrequency, DiscussionMail, MailKind
from mirpal.models import MailPreference, SecretariatNotices

UNSUBSCRIBE_SALT = "mirpal.unsubscribe"
# A link in an old digest still works for a year; after that the preferences page does.
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600


# What the secretariat is told of, and the permission that makes a person one who is told: those
# who may act on it. One preference (MailPreference.secretariat_notices) covers every kind; a new
# kind (a flagged post, when discussions land) adds its line here and its section to
# members.notices.
SECRETARIAT_NOTICE_KINDS: dict[str, tuple[str, str]] = {
    "application": ("members.decide_membership", _("new applications for membership")),
    "expert_request": ("members.handle_expert_requests", _("new requests for an expert")),
    "flag": ("exchange.moderate_exchange", _("posts flagged in the discussions")),
    "case": ("practices.review_case", _("good-practice cases proposed for review")),
}


def secretariat_notice_kinds_for(user) -> list[str]:
    """The kinds of secretariat notice this person may receive (none for most people)."""
    if not (user.is_authenticated and user.is_active):
        return []
    return [
        kind
        for kind, (permission, _label) in SECRETARIAT_NOTICE_KINDS.items()
        if user.has_perm(permission)
    ]


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
    if kind == MailKind.SECRETARIAT_NOTICES:
        return mail_preference_update(user=user, secretariat_notices=SecretariatNotices.NONE)
    if kind == MailKind.DISCUSSIONS:
        return mail_preference_update(user=user, discussions=DiscussionMail.NONE)
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
    elif kind == MailKind.SECRETARIAT_NOTICES:
        opted_out = MailPreference.objects.filter(
            user_id__in=user_ids, secretariat_notices=SecretariatNotices.NONE
        )
    elif kind == MailKind.DISCUSSIONS:
        # Mail at once or in the digest: whether now is the time is exchange.notify's to say.
        opted_out = MailPreference.objects.filter(
            user_id__in=user_ids, discussions=DiscussionMail.NONE
        )
    else:
        opted_out = MailPreference.objects.filter(user_id__in=user_ids, **{kind: False})
    return user_ids - set(opted_out.values_list("user_id", flat=True))

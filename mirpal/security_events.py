"""Security events: what happened to an account's security, for its owner and the secretariat.

Each recording is one INSERT (a sign-in also reads whether this device signed in to this account
before) and never breaks the action that caused it: the log-in, the password change, the API call
goes on if the write fails, and the failure is logged. The receivers of allauth's and Django's
signals live in mirpal.security_receivers; the lock-out comes from the account adapter
(members.adapters), the API key use from api.authentication.

A device is a browser: at each sign-in it gets a long-lived signed cookie holding a random id, and
only the SHA-256 of that id is stored. A sign-in whose device this account never signed in with
is a new device; staff are mailed about it, through the outbox, once per sign-in. Members are not
mailed (they sign in from shared and changing computers, and a mail each time would teach them to
ignore it); they see their sign-ins on their account's security page.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from mirpal.mail import mail_render
from mirpal.models import ApiKey, SecurityEvent, SecurityEventKind
from mirpal.outbox import outbox_enqueue

logger = logging.getLogger(__name__)

DEVICE_COOKIE_NAME = "mirpal_device"
DEVICE_COOKIE_SALT = "mirpal.security_events.device"
# Browsers cap a cookie's life at 400 days; a device unseen for longer is new again anyway.
DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600
USER_AGENT_MAX_LENGTH = 300
# A key seen from an address is not looked up again in the database for this long.
API_KEY_ADDRESS_CACHE_SECONDS = 7 * 24 * 3600
# One lock-out event per account and address in this window, however often the attacker knocks.
LOCKOUT_RECORD_SECONDS = 5 * 60


# --- Reading the request.


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as allauth's rate limits see it (ALLAUTH_TRUSTED_PROXY_COUNT)."""
    if request is None:
        return None
    from allauth.account.adapter import get_adapter  # its settings are read at call time

    try:
        ip = get_adapter(request).get_client_ip(request)
        return str(ipaddress.ip_address(ip))
    except Exception:  # no address, or not one PostgreSQL's inet takes
        return None


def client_user_agent(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX_LENGTH]


def device_hash(device_id: str) -> str:
    return hashlib.sha256(device_id.encode()).hexdigest()


def device_id_read(request: HttpRequest | None) -> str | None:
    """The id in this browser's device cookie, or None without a cookie whose signature holds."""
    if request is None:
        return None
    device_id = request.get_signed_cookie(DEVICE_COOKIE_NAME, default=None, salt=DEVICE_COOKIE_SALT)
    return device_id if device_id and len(device_id) <= 64 else None


def device_cookie_set(response: HttpResponse, *, device_id: str) -> None:
    """Set (or renew) the device cookie: signed, HttpOnly, Secure as the session cookie is."""
    response.set_signed_cookie(
        DEVICE_COOKIE_NAME,
        device_id,
        salt=DEVICE_COOKIE_SALT,
        max_age=DEVICE_COOKIE_MAX_AGE,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def login_hash(login: str) -> str:
    """A keyed hash of an address typed at the log-in form: the secretariat can tell repeated
    tries at one address apart without the log keeping what an attacker typed."""
    return salted_hmac("mirpal.security_events.login", login.strip().lower()).hexdigest()[:16]


# --- Showing an event.


_BROWSERS = [
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("YaBrowser/", "Yandex Browser"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
    ("python-requests/", "Python requests"),
]
_SYSTEMS = [
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
]


def user_agent_describe(user_agent: str) -> str:
    """ "Firefox, Windows" from a User-Agent header, by the few markers that tell browsers apart;
    what it cannot tell says so."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser or system:
        return browser or system
    return str(_("Unknown browser")) if user_agent else str(_("Not given"))


def ip_masked(ip: str | None) -> str:
    """The address with its last part hidden (203.0.113.•, 2001:db8:85a3:…): enough for a person
    to recognise their network, not to be copied whole from over their shoulder."""
    if not ip:
        return "—"
    address = ipaddress.ip_address(ip)
    if address.version == 4:
        return ".".join(ip.split(".")[:3]) + ".•"
    return ":".join(address.exploded.split(":")[:3]) + ":…"


@dataclass(frozen=True)
class EventRow:
    """One event as the owner's security page shows it."""

    event: SecurityEvent
    device_label: str
    address: str
    this_device: bool


def security_events_for_owner(*, user, current_device_id: str | None, limit: int = 50):
    """The account's latest events, newest first, ready for its owner's page; one query."""
    current = device_hash(current_device_id) if current_device_id else None
    events = SecurityEvent.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]
    return [
        EventRow(
            event=event,
            device_label=user_agent_describe(event.user_agent),
            address=ip_masked(event.ip),
            this_device=bool(current and event.device == current),
        )
        for event in events
    ]


# --- Recording.


def security_event_record(
    *,
    kind: str,
    user=None,
    request: HttpRequest | None = None,
    api_key: ApiKey | None = None,
    detail: dict | None = None,
) -> SecurityEvent | None:
    """Write one event with the request's address, browser and device; returns it, or None when
    the write failed (logged, never raised: security logging must not break the action)."""
    device_id = device_id_read(request)
    try:
        with transaction.atomic():
            return SecurityEvent.objects.create(
                user=user if getattr(user, "pk", None) else None,
                kind=kind,
                ip=client_ip(request),
                user_agent=client_user_agent(request),
                device=device_hash(device_id) if device_id else "",
                api_key=api_key,
                detail=detail or {},
            )
    except Exception:
        logger.exception(
            "security event %s for user %s not recorded", kind, getattr(user, "pk", None)
        )
        return None


def security_sign_in_record(
    *, user, request: HttpRequest, response: HttpResponse | None, methods: list[str]
) -> SecurityEvent | None:
    """Record a completed sign-in, set or renew the device cookie on the response, and, when this
    device never signed in to this account and the account is staff, mail its owner once.

    The event and its mail commit together; a failure of either is logged and the sign-in goes on.
    """
    device_id = device_id_read(request)
    if response is not None:
        device_id = device_id or secrets.token_urlsafe(24)
        device_cookie_set(response, device_id=device_id)
    device = device_hash(device_id) if device_id else ""
    try:
        with transaction.atomic():
            new_device = (
                not device
                or not SecurityEvent.objects.filter(
                    user=user, kind=SecurityEventKind.SIGN_IN, device=device
                ).exists()
            )
            event = SecurityEvent.objects.create(
                user=user,
                kind=SecurityEventKind.SIGN_IN,
                ip=client_ip(request),
                user_agent=client_user_agent(request),
                device=device,
                new_device=new_device,
                detail={"methods": methods} if methods else {},
            )
            if new_device and user.is_staff:
                outbox_enqueue([_new_device_mail(event=event, user=user)])
            return event
    except Exception:
        logger.exception("sign-in of user %s not recorded", user.pk)
        return None


def _new_device_mail(*, event: SecurityEvent, user):
    profile = getattr(user, "profile", None)
    language = profile.mail_language if profile else settings.LANGUAGE_CODE
    try:
        zone = zoneinfo.ZoneInfo(profile.time_zone if profile else settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    with translation.override(language):
        device = user_agent_describe(event.user_agent)
    return mail_render(
        template="security_new_device",
        context={
            "name": user.get_full_name() or user.email,
            "when": timezone.localtime(event.created_at, zone),
            "zone": str(zone),
            "address": event.ip or "—",
            "device": device,
            "password_url": settings.SITE_URL + reverse("account_change_password"),
            "security_url": settings.SITE_URL + reverse("members:security"),
            "site_url": settings.SITE_URL,
        },
        language=language,
        key=f"security:new-device:{event.pk}",
        kind="security",
        to_email=user.email,
        recipient_id=user.pk,
    )


def security_lockout_record(*, request: HttpRequest, login: str) -> SecurityEvent | None:
    """Record that a sign-in was refused by the rate limit, once per account (or typed address)
    and client address in LOCKOUT_RECORD_SECONDS, so an attacker's knocking adds no rows."""
    gate = f"security-lockout:{client_ip(request)}:{login_hash(login)}"
    try:
        if not cache.add(gate, 1, LOCKOUT_RECORD_SECONDS):
            return None
    except Exception:  # the cache is down: record every time rather than never
        logger.warning("security lock-out gate unavailable", exc_info=True)
    return security_login_failure_record(
        request=request, login=login, kind=SecurityEventKind.LOCKED_OUT
    )


def security_login_failure_record(
    *, request: HttpRequest | None, login: str, kind: str = SecurityEventKind.SIGN_IN_FAILED
) -> SecurityEvent | None:
    """Record a failed (or refused) sign-in against the account the typed address belongs to;
    for an address no account has, the user stays empty and only its keyed hash is kept."""
    user = _user_by_login(login) if login else None
    detail = {} if user else {"login_hash": login_hash(login)} if login else {}
    return security_event_record(kind=kind, user=user, request=request, detail=detail)


def _user_by_login(login: str):
    from django.contrib.auth import get_user_model  # the user model lives in an app above
    from django.db.models import Q

    try:
        return (
            get_user_model()
            .objects.filter(Q(email__iexact=login) | Q(emailaddress__email__iexact=login))
            .order_by("pk")
            .first()
        )
    except Exception:
        logger.exception("looking up the account of a failed sign-in failed")
        return None


def security_api_key_use_record(*, request: HttpRequest, key: ApiKey) -> SecurityEvent | None:
    """Record the first use of a key from an address. The cache answers for addresses already
    seen, so a busy key costs no query; on a miss the database says whether it is new."""
    ip = client_ip(request)
    if ip is None:
        return None
    gate = f"security-apikey:{key.pk}:{ip}"
    try:
        if not cache.add(gate, 1, API_KEY_ADDRESS_CACHE_SECONDS):
            return None
        if SecurityEvent.objects.filter(
            api_key=key, kind=SecurityEventKind.API_KEY_NEW_ADDRESS, ip=ip
        ).exists():
            return None
    except Exception:
        logger.exception("API key %s: could not tell whether %s is a new address", key.pk, ip)
        return None
    return security_event_record(
        kind=SecurityEventKind.API_KEY_NEW_ADDRESS,
        user=key.user if key.user_id else None,
        request=request,
        api_key=key,
        detail={"key": key.prefix, **({"partner": key.partner.name} if key.partner_id else {})},
    )


# --- Erasing.


def security_events_anonymise(*, user) -> int:
    """Blank the personal data in this account's events (address, browser, device, detail),
    keeping what happened and when; for account closure. Returns how many rows changed."""
    return SecurityEvent.objects.filter(user=user).update(
        ip=None, user_agent="", device="", detail={}
    )


def security_events_prune(*, older_than_days: int | None = None) -> int:
    """Delete events older than the retention period; returns how many. Safe to run twice."""
    days = older_than_days or settings.SECURITY_EVENTS_RETENTION_DAYS
    deleted, _per_model = SecurityEvent.objects.filter(
        created_at__lt=timezone.now() - timedelta(days=days)
    ).delete()
    return deleted

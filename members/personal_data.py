"""A person's own data: the download of everything the platform holds about them, and the
closing of their account.

Each app registers its part with mirpal.personal_data in its AppConfig.ready(); this module holds
the members app's parts (the account, the profile and membership, second factors, requests for an
expert, the roster entry linked to the account) and the two actions a person takes.

Closing keeps the account's row as an anonymised shell, so that what the network must keep
(registrations and attendance counted per event and per country, membership decisions, mail
counts, audit entries) still adds up without naming anyone.
"""

from __future__ import annotations

from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from members.enums import ContactVisibility, MembershipStatus
from members.models import MembershipDecision, Profile, User
from members.roster.enums import ExpertRequestStatus
from members.roster.models import Expert, ExpertRequest, ExpertRequestNote
from mirpal.audit import audit_record
from mirpal.models import AuditAction
from mirpal.personal_data import (
    DataSubject,
    choice,
    closed_email,
    export_value,
    personal_data_erase,
    personal_data_export,
    personal_data_register,
)

# What the download says instead of the name of whoever decided: staff act for the secretariat.
SECRETARIAT = "the secretariat"


class AccountCloseRefused(Exception):
    """This account cannot be closed by its owner (a staff account)."""


def account_can_close(user: User) -> bool:
    """Staff accounts hold other people's data and the platform's keys: a superuser first takes
    away their staff status, then the person closes what is left as a member."""
    return not (user.is_staff or user.is_superuser)


def personal_data_download(*, user: User) -> dict:
    """Everything about `user`, from every app's section; a fixed number of queries."""
    return personal_data_export(user=user)


def account_close(*, user: User) -> None:
    """Close `user`'s account: erase or anonymise their personal data in every app, in one
    transaction, and record that an account was closed without saying whose.

    The caller has checked the password; the caller logs the person out. Raises
    AccountCloseRefused for staff. Closing a closed account changes nothing more.
    """
    with transaction.atomic(durable=True):
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not account_can_close(locked):
            raise AccountCloseRefused
        emails = {locked.email.lower()} | {
            email.lower()
            for email in EmailAddress.objects.filter(user=locked).values_list("email", flat=True)
        }
        subject = DataSubject(
            user=locked,
            emails=frozenset(emails - {closed_email(locked.pk)}),
            names=tuple(
                name
                for name in (locked.get_full_name(), locked.last_name, locked.first_name)
                if name.strip()
            ),
            placeholder_email=closed_email(locked.pk),
        )
        personal_data_erase(subject=subject)
        audit_record(actor=None, action=AuditAction.CLOSE_ACCOUNT, obj=locked)


# --- The account itself.


def _account_export(user: User) -> dict:
    return {
        "email": user.email,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": export_value(user.date_joined),
        "last_login": export_value(user.last_login),
        "staff": user.is_staff,
    }


def _account_erase(subject: DataSubject) -> None:
    user = subject.user
    user.email = subject.placeholder_email
    user.first_name = ""
    user.last_name = ""
    user.last_login = None
    user.is_active = False
    user.set_unusable_password()
    user.save(
        update_fields=["email", "first_name", "last_name", "last_login", "is_active", "password"]
    )
    user.groups.clear()
    user.user_permissions.clear()
    EmailAddress.objects.filter(user=user).delete()
    sessions_end(user=user)
    subject.about([user])


def sessions_end(*, user: User) -> None:
    """Sign the person out everywhere. The changed password already invalidates every session
    of theirs (Django checks its hash on each request) and the account is inactive; the rows go
    too, since they hold the account's id. Sessions in the database carry no user column, so the
    live ones are decoded one by one; a cache-only session engine cannot be listed."""
    if apps.is_installed("allauth.usersessions"):
        from allauth.usersessions.models import UserSession  # only when that app is installed

        UserSession.objects.filter(user=user).delete()
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return
    model = store.get_model_class()
    decoder = store()
    theirs = [
        session.session_key
        for session in model.objects.filter(expire_date__gt=timezone.now())
        .only("session_key", "session_data")
        .iterator(chunk_size=1000)
        if str(decoder.decode(session.session_data).get("_auth_user_id")) == str(user.pk)
    ]
    model.objects.filter(session_key__in=theirs).delete()
    # cached_db keeps a copy of each in the cache, which a request reads before the database;
    # again at commit, since a request in between would copy the rows back from the database.
    prefix = getattr(store, "cache_key_prefix", None)
    if prefix is not None and theirs:
        cached = [prefix + key for key in theirs]
        caches[settings.SESSION_CACHE_ALIAS].delete_many(cached)
        transaction.on_commit(lambda: caches[settings.SESSION_CACHE_ALIAS].delete_many(cached))


# --- The profile and the membership.


def _profile_export(user: User) -> dict | None:
    profile = Profile.objects.filter(user=user).prefetch_related("interests", "decisions").first()
    if profile is None:
        return None
    return {
        "country": choice(profile.country, profile.get_country_display()),
        "city": profile.city,
        "organisation": profile.organisation,
        "organisation_type": choice(
            profile.organisation_type, profile.get_organisation_type_display()
        ),
        "position": profile.position,
        "languages": profile.languages,
        "mail_language": profile.mail_language,
        "time_zone": profile.time_zone,
        "interests": [topic.name for topic in profile.interests.all()],
        "phone": profile.phone,
        "email_visibility": choice(
            profile.email_visibility, profile.get_email_visibility_display()
        ),
        "phone_visibility": choice(
            profile.phone_visibility, profile.get_phone_visibility_display()
        ),
        "listed_in_directory": profile.listed_in_directory,
        "show_exchange_activity": profile.show_exchange_activity,
        "motivation": profile.motivation,
        "membership": {
            "status": choice(profile.status, profile.get_status_display()),
            "applied_at": export_value(profile.applied_at),
            "status_changed_at": export_value(profile.status_changed_at),
            "decisions": [
                {
                    "date": export_value(decision.decided_at),
                    "from": decision.from_status,
                    "to": decision.to_status,
                    "by": SECRETARIAT,
                    "note": decision.note,
                }
                for decision in sorted(
                    profile.decisions.all(), key=lambda decision: decision.decided_at
                )
            ],
        },
    }


def _profile_erase(subject: DataSubject) -> None:
    """The profile keeps its country and type of organisation, so the figures per country and per
    type still add up; what the person wrote about themselves goes, and the membership closes."""
    profile = Profile.objects.select_for_update().filter(user=subject.user).first()
    if profile is None:
        return
    profile.user = subject.user  # already anonymised: the sort name is computed from it
    profile.city = ""
    profile.organisation = ""
    profile.position = ""
    profile.languages = []
    profile.phone = ""
    profile.motivation = ""
    profile.email_visibility = ContactVisibility.SECRETARIAT
    profile.phone_visibility = ContactVisibility.SECRETARIAT
    profile.listed_in_directory = False
    profile.show_exchange_activity = False
    profile.status = MembershipStatus.CLOSED
    profile.status_changed_at = timezone.now()
    profile.save()
    profile.interests.clear()
    decisions = list(MembershipDecision.objects.filter(profile=profile))
    MembershipDecision.objects.filter(profile=profile).update(note="")
    subject.about([profile, *decisions])


# --- Second factors.


def _second_factors_export(user: User) -> list[dict]:
    """Which second factors the account has and when they were used; never their secrets."""
    return [
        {
            "type": choice(authenticator.type, authenticator.get_type_display()),
            "created_at": export_value(authenticator.created_at),
            "last_used_at": export_value(authenticator.last_used_at),
        }
        for authenticator in Authenticator.objects.filter(user=user).order_by("created_at", "pk")
    ]


def _second_factors_erase(subject: DataSubject) -> None:
    Authenticator.objects.filter(user=subject.user).delete()


# --- Requests for an expert, and the roster entry linked to the account.


def _expert_requests_export(user: User) -> list[dict]:
    requests = (
        ExpertRequest.objects.filter(requester=user)
        .select_related("topic", "matched_expert")
        .prefetch_related("notes")
        .order_by("created_at", "pk")
    )
    return [
        {
            "created_at": export_value(request.created_at),
            "topic": request.topic.name,
            "countries": [country.code for country in request.countries],
            "language": request.language,
            "help_kind": choice(request.help_kind, request.get_help_kind_display()),
            "from": export_value(request.starts_on),
            "until": export_value(request.ends_on),
            "purpose": request.purpose,
            "status": choice(request.status, request.get_status_display()),
            "matched_expert": request.matched_expert.name if request.matched_expert else None,
            "history": [
                {
                    "date": export_value(note.created_at),
                    "from": note.from_status,
                    "to": note.to_status,
                    "note": note.note,
                }
                # Internal notes are the secretariat's working notes, shown to it alone.
                for note in request.notes.all()
                if not note.internal
            ],
        }
        for request in requests
    ]


def _expert_requests_erase(subject: DataSubject) -> None:
    """Requests stay as counts per topic and status; their text goes, and those still open are
    declined, since nobody is left to help."""
    now = timezone.now()
    requests = list(ExpertRequest.objects.select_for_update().filter(requester=subject.user))
    notes = list(ExpertRequestNote.objects.filter(request__in=requests))
    ExpertRequestNote.objects.filter(request__in=requests).update(note="")
    for request in requests:
        if request.status in (ExpertRequestStatus.NEW, ExpertRequestStatus.IN_REVIEW):
            ExpertRequestNote.objects.create(
                request=request,
                from_status=request.status,
                to_status=ExpertRequestStatus.DECLINED,
                note="The requester closed their account.",
            )
            request.status = ExpertRequestStatus.DECLINED
        request.purpose = ""
        request.updated_at = now  # bulk_update leaves auto_now alone
    ExpertRequest.objects.bulk_update(requests, ["status", "purpose", "updated_at"])
    subject.about([*requests, *notes])


def _expert_entry_export(user: User) -> dict | None:
    expert = Expert.objects.filter(user=user).first()
    if expert is None:
        return None
    return {
        "name_en": expert.name_en,
        "name_ru": expert.name_ru,
        "title_en": expert.title_en,
        "title_ru": expert.title_ru,
        "affiliation_en": expert.affiliation_en,
        "affiliation_ru": expert.affiliation_ru,
        "contact_email": expert.contact_email,
        "contact_phone": expert.contact_phone,
        "listed": expert.is_listed,
    }


def _expert_entry_erase(subject: DataSubject) -> None:
    """The roster entry is the secretariat's record of a public expert, kept apart from the
    account: closing the account unlinks it (the person asks the secretariat to remove it)."""
    Expert.objects.filter(user=subject.user).update(user=None)


def personal_data_register_members() -> None:
    """The members app's sections; called from its AppConfig.ready()."""
    personal_data_register("account", export=_account_export, erase=_account_erase, position=0)
    personal_data_register("profile", export=_profile_export, erase=_profile_erase, position=10)
    personal_data_register(
        "second_factors",
        export=_second_factors_export,
        erase=_second_factors_erase,
        position=80,
    )
    personal_data_register(
        "expert_requests",
        export=_expert_requests_export,
        erase=_expert_requests_erase,
        position=30,
    )
    personal_data_register(
        "expert_entry", export=_expert_entry_export, erase=_expert_entry_erase, position=35
    )

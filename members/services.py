"""Every write on members and memberships."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.enums import MembershipStatus
from members.models import MembershipDecision, Profile, User
from members.notices import notices_application_received
from mirpal.audit import audit_record, audit_snapshot
from mirpal.countries import default_time_zone_for
from mirpal.mail import mail_render
from mirpal.models import AuditAction, AuditEntry
from mirpal.outbox import outbox_enqueue


class MembershipError(Exception):
    """A decision that the membership's current state does not allow."""


# Which decisions the secretariat may take from each state.
ALLOWED_DECISIONS: dict[str, set[str]] = {
    MembershipStatus.PENDING: {MembershipStatus.APPROVED, MembershipStatus.REJECTED},
    MembershipStatus.APPROVED: {MembershipStatus.SUSPENDED},
    MembershipStatus.SUSPENDED: {MembershipStatus.APPROVED},
    MembershipStatus.REJECTED: {MembershipStatus.APPROVED},
}

AUDIT_ACTIONS = {
    MembershipStatus.APPROVED: AuditAction.APPROVE,
    MembershipStatus.REJECTED: AuditAction.REJECT,
    MembershipStatus.SUSPENDED: AuditAction.SUSPEND,
}

PROFILE_FIELDS = (
    "country",
    "city",
    "organisation",
    "organisation_type",
    "position",
    "languages",
    "mail_language",
    "time_zone",
    "phone",
    "email_visibility",
    "phone_visibility",
    "listed_in_directory",
    "show_exchange_activity",
    "motivation",
)


@transaction.atomic(durable=True)
def profile_create(*, user: User, interests: Iterable = (), **fields) -> Profile:
    """Create the applicant's profile as a pending membership; the time zone defaults from the
    country when none is given. The managers who want it at once are mailed in the same
    transaction (members.notices)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    if not fields.get("time_zone"):
        fields["time_zone"] = default_time_zone_for(fields.get("country", ""))
    profile = Profile(user=user, **fields)
    profile.full_clean(exclude=["user"])
    profile.save()
    profile.interests.set(interests)
    if profile.status == MembershipStatus.PENDING:
        notices_application_received(profile=profile)
    return profile


@transaction.atomic(durable=True)
def profile_update(*, profile: Profile, interests: Iterable | None = None, **fields) -> Profile:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(profile, name, value)
    if not profile.time_zone:
        profile.time_zone = default_time_zone_for(profile.country)
    profile.full_clean(exclude=["user"])
    profile.save()
    if interests is not None:
        profile.interests.set(interests)
    return profile


def membership_decide(
    *, profile: Profile, to_status: str, by: User | None, note: str = ""
) -> MembershipDecision:
    """Move a membership to a new state, record who decided and when, and mail the applicant.

    One transaction: the status, the decision row and the outbox row commit together. The row is
    locked first, so two secretariat staff deciding at once cannot both act on a stale state.
    Raises MembershipError if the current state does not allow this decision.
    """
    with transaction.atomic(durable=True):
        locked = Profile.objects.select_for_update().select_related("user").get(pk=profile.pk)
        if to_status not in ALLOWED_DECISIONS.get(locked.status, set()):
            raise MembershipError(f"cannot move a {locked.status} membership to {to_status}")
        if by is not None and not staff_change_allowed(actor=by, target=locked.user):
            # A manager decides members' memberships, not a colleague's.
            raise MembershipError("only a superuser decides a staff account's membership")
        before = audit_snapshot(locked)
        decision = MembershipDecision.objects.create(
            profile=locked,
            from_status=locked.status,
            to_status=to_status,
            decided_by=by,
            note=note.strip(),
        )
        locked.status = to_status
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "status_changed_at"])
        audit_record(
            actor=by,
            action=AUDIT_ACTIONS[to_status],
            obj=locked,
            before=before,
            after=audit_snapshot(locked),
        )
        outbox_enqueue([_decision_mail(locked, decision)])
    profile.status = locked.status
    profile.status_changed_at = locked.status_changed_at
    return decision


def _decision_mail(profile: Profile, decision: MembershipDecision):
    user = profile.user
    return mail_render(
        template=f"membership_{decision.to_status}",
        context={
            "name": user.get_full_name() or user.email,
            "note": decision.note,
            "site_url": settings.SITE_URL,
            "account_url": settings.SITE_URL + reverse("members:account"),
            "directory_url": settings.SITE_URL + reverse("members:directory"),
        },
        language=profile.mail_language,
        key=f"membership-decision:{decision.pk}",
        kind="membership_decision",
        to_email=user.email,
        recipient_id=user.pk,
    )


def membership_approve(*, profile: Profile, by: User | None, note: str = "") -> MembershipDecision:
    return membership_decide(profile=profile, to_status=MembershipStatus.APPROVED, by=by, note=note)


def membership_reject(*, profile: Profile, by: User | None, note: str = "") -> MembershipDecision:
    return membership_decide(profile=profile, to_status=MembershipStatus.REJECTED, by=by, note=note)


def membership_suspend(*, profile: Profile, by: User | None, note: str = "") -> MembershipDecision:
    return membership_decide(
        profile=profile, to_status=MembershipStatus.SUSPENDED, by=by, note=note
    )


def memberships_decide_bulk(
    *, profile_ids: Iterable[int], to_status: str, by: User | None, note: str = ""
) -> tuple[list[MembershipDecision], list[Profile]]:
    """Decide each membership in its own transaction; returns (decisions taken, profiles skipped
    because their state did not allow the decision)."""
    decided, skipped = [], []
    for profile in Profile.objects.filter(pk__in=list(profile_ids)).order_by("pk"):
        try:
            decided.append(
                membership_decide(profile=profile, to_status=to_status, by=by, note=note)
            )
        except MembershipError:
            skipped.append(profile)
    return decided, skipped


# --- Privileges: who may change whose account (issue 13). The admin calls these for its forms, its
# password page and its bulk paths, so that every later path applies the same rule.

# The fields that give an account privileges: only a superuser changes them, on anyone. Every group
# counts: here a group exists only to carry permissions (mirpal.roles), so none is harmless enough
# for a non-superuser to hand out.
USER_PRIVILEGE_FIELDS = frozenset({"is_staff", "is_superuser", "groups", "user_permissions"})


def user_is_staff_account(user: User) -> bool:
    """Staff: let into the admin, superuser, or holding a permission through a group or directly
    (a group member without is_staff still opens the panel's pages)."""
    if user.is_staff or user.is_superuser:
        return True
    if user.pk is None:
        return False
    return user.groups.filter(permissions__isnull=False).exists() or user.user_permissions.exists()


def privileges_change_allowed(*, actor) -> bool:
    """Only a superuser grants or removes superuser or staff status, groups or permissions: a role
    that could change them could give itself every other."""
    return bool(actor.is_authenticated and actor.is_active and actor.is_superuser)


def staff_change_allowed(*, actor, target: User) -> bool:
    """Whether `actor` may change `target`'s account at all (email, password, names, state): a
    member's account with the model permission, a staff account only as a superuser. A manager
    manages members, not colleagues, so no role can take over an account above it."""
    return privileges_change_allowed(actor=actor) or not user_is_staff_account(target)


def user_change_refused_fields(*, actor, target: User, fields: Iterable[str]) -> list[str]:
    """Of the account fields `actor` would change on `target` (as stored before the change; for a
    new account, as it would be created), those the rules refuse, sorted; empty when allowed."""
    fields = set(fields)
    if privileges_change_allowed(actor=actor):
        return []
    if user_is_staff_account(target):
        return sorted(fields)
    return sorted(fields & USER_PRIVILEGE_FIELDS)


def user_change_refusal_record(
    *, actor, target: User, fields: Iterable[str], path: str
) -> AuditEntry:
    """Record an attempt the rules refused, with the fields it tried to change (never their
    values: one may be a password). The caller answers the refusal rather than raising inside a
    transaction, which would roll the entry back with it."""
    return audit_record(
        actor=actor,
        action=AuditAction.REFUSE,
        obj=target,
        before=audit_snapshot(target),
        after={"refused": sorted(fields), "path": path},
    )

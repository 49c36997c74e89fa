"""Who may see what: the four roles are anonymous, applicant, member and secretariat."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from members.enums import MembershipStatus

DECIDE_MEMBERSHIP = "members.decide_membership"
VIEW_MEMBER_EMAIL = "members.view_member_email"


def is_secretariat(user) -> bool:
    return user.is_authenticated and user.has_perm(DECIDE_MEMBERSHIP)


def sees_member_emails(user) -> bool:
    """Staff who may see members' email addresses (the manager role): pages and exports show the
    others a member's name, organisation and country instead."""
    return user.is_authenticated and user.has_perm(VIEW_MEMBER_EMAIL)


def is_member(user) -> bool:
    """Approved members, and the secretariat, see what is for members."""
    if not user.is_authenticated:
        return False
    profile = getattr(user, "profile", None)
    if profile is not None and profile.status == MembershipStatus.APPROVED:
        return True
    return is_secretariat(user)


def member_required(view):
    """Anonymous visitors go to log in; applicants go to the page that says where they stand."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_member(request.user):
            return redirect("members:account")
        return view(request, *args, **kwargs)

    return wrapper


def secretariat_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_secretariat(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper

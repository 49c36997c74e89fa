import json

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import personal_data, selectors, services
from members.enums import MembershipStatus
from members.forms import AccountCloseForm, DecisionForm, DirectoryFilterForm, ProfileForm
from members.models import Profile
from members.permissions import (
    is_member,
    member_required,
    secretariat_required,
    sees_member_emails,
)
from members.sections import member_page_sections
from mirpal.fragments import cached_fragment, cached_value
from mirpal.security_events import device_id_read, security_events_for_owner


@login_required
@require_GET
def account(request):
    """Where the signed-in person stands: their application, or their membership."""
    profile = getattr(request.user, "profile", None)
    if profile is None:
        return redirect("members:profile_edit")
    return render(
        request,
        "members/account.html",
        {
            "profile": profile,
            "is_member": is_member(request.user),
            "decisions": selectors.profile_decisions(profile=profile)[:5],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    profile = getattr(request.user, "profile", None)
    initial = ProfileForm.initial_for(profile) if profile else {}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        request.user.first_name = form.cleaned_data["first_name"]
        request.user.last_name = form.cleaned_data["last_name"]
        request.user.save(update_fields=["first_name", "last_name"])
        data = form.profile_data()  # profile_update stores the new name's sort key too
        if profile is None:
            services.profile_create(
                user=request.user, interests=form.cleaned_data["interests"], **data
            )
        else:
            services.profile_update(
                profile=profile, interests=form.cleaned_data["interests"], **data
            )
        messages.success(request, _("Your profile has been saved."))
        return redirect("members:account")
    return render(request, "members/profile_form.html", {"form": form, "profile": profile})


# The directory shows users, profiles and their interests: writes to these bump this scope
# (members.apps); the fragment is cached until one does.
DIRECTORY_SCOPES = ("members",)


@member_required
@require_GET
def directory(request):
    """The filter form and the cards come from the fragment cache; a hit runs no query of its
    own. Staff who may see members' addresses get a body of their own (the key's variant)."""
    sees_emails = sees_member_emails(request.user)
    # The body shows no time: one copy serves members in every time zone.
    with timezone.override(None):
        body = cached_fragment(
            request,
            "members:directory",
            scopes=DIRECTORY_SCOPES,
            variant="emails" if sees_emails else "",
            render=lambda: _directory_body(request, sees_emails=sees_emails),
        )
    return render(request, "members/directory.html", {"body": body})


def _directory_body(request, *, sees_emails: bool) -> str:
    form = DirectoryFilterForm(request.GET or None, topics=selectors.directory_filter_topics())
    profiles = selectors.directory_profiles(
        filters=selectors.DirectoryFilters(**form.filter_values())
    )
    paginator = Paginator(profiles, settings.MEMBERS_DIRECTORY_PAGE_SIZE)
    # Every page of one filter shares the count, so turning a page counts nothing either.
    paginator.count = cached_value(
        request,
        "members:directory:count",
        scopes=DIRECTORY_SCOPES,
        compute=profiles.count,
        ignore_params=("page",),
    )
    page = paginator.get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    # No request: context processors would bring the viewer into a body that others are served.
    return render_to_string(
        "members/_directory_body.html",
        {
            "form": form,
            "page": page,
            "query_string": query_string.urlencode(),
            "sees_emails": sees_emails,
        },
    )


@member_required
@require_GET
def member_detail(request, pk: int):
    try:
        profile = selectors.directory_profile(pk=pk)
    except Profile.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request,
        "members/member_detail.html",
        {
            "member": profile,
            "sees_emails": sees_member_emails(request.user),
            "sections": member_page_sections(profile=profile, viewer=request.user),
        },
    )


@secretariat_required
@require_GET
def applications(request):
    pending = selectors.applications_pending()
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(request, "members/applications.html", {"page": page, "form": DecisionForm()})


@secretariat_required
@require_POST
def applications_decide(request):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("members:applications")
    decided, skipped = services.memberships_decide_bulk(
        profile_ids=[profile.pk for profile in form.cleaned_data["profiles"]],
        to_status=form.cleaned_data["decision"],
        by=request.user,
        note=form.cleaned_data["note"],
    )
    if decided:
        messages.success(
            request,
            ngettext(
                "Decision recorded for %(count)d applicant.",
                "Decision recorded for %(count)d applicants.",
                len(decided),
            )
            % {"count": len(decided)},
        )
    if skipped:
        messages.warning(
            request,
            _("Not changed, because their membership no longer allows it: %(names)s")
            % {"names": ", ".join(str(profile) for profile in skipped)},
        )
    approved = [d.profile_id for d in decided if d.to_status == MembershipStatus.APPROVED]
    # Approval does not confirm an address: only its owner can, so allauth keeps them out until
    # they do. The secretariat is told, rather than left to wonder why a member cannot sign in.
    unconfirmed = selectors.profiles_email_unconfirmed(profile_ids=approved) if approved else []
    if unconfirmed:
        messages.warning(
            request,
            ngettext(
                "Email address not confirmed yet: %(names)s. They will be able to sign in after "
                "confirming it; when they try to sign in, they receive a new confirmation link.",
                "Email addresses not confirmed yet: %(names)s. They will be able to sign in after "
                "confirming them; when they try to sign in, they receive a new confirmation link.",
                len(unconfirmed),
            )
            % {"names": ", ".join(str(profile) for profile in unconfirmed)},
        )
    return redirect("members:applications")


@login_required
@require_GET
def security(request):
    """The person's own recent sign-ins and changes to how they sign in, newest first."""
    rows = security_events_for_owner(user=request.user, current_device_id=device_id_read(request))
    return render(request, "members/security.html", {"rows": rows})


@login_required
@require_GET
def data_export(request):
    """Everything the platform holds about the signed-in person, as one JSON file."""
    data = personal_data.personal_data_download(user=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mirpal-my-data-{day}.json"'
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_close(request):
    """The person closes their own account, after typing their password again."""
    if not personal_data.account_can_close(request.user):
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "members/account_close.html", {"staff": True})
    form = AccountCloseForm(request.POST or None, user=request.user)
    limited = False
    if request.method == "POST":
        # allauth's limit on re-entering a password (10 a minute per account) holds here too.
        limited = not ratelimit.consume(request, action="reauthenticate", user=request.user)
        if not limited and form.is_valid():
            personal_data.account_close(user=request.user)
            logout(request)
            return redirect("members:account_closed")
    return render(request, "members/account_close.html", {"form": form, "limited": limited})


@require_GET
def account_closed(request):
    return render(request, "members/account_closed.html")

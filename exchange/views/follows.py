"""Following topics, countries and threads; the "what I follow" page; inviting an expert."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from exchange import follows
from exchange.invitations import expert_invite
from exchange.models import Thread
from exchange.visibility import Access, thread_access
from members.models import Expert
from members.permissions import member_required
from mirpal.enums import DigestFrequency, DiscussionMail
from mirpal.models import Topic
from mirpal.preferences import mail_preference_for


def _back(request, fallback: str) -> str:
    """The page the form was on (`next`), when it is a path of this site."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _target_of(request) -> dict | None:
    """The one topic, country or thread named in the form, or None when it names none (or a
    thread the member may not see)."""
    given = [name for name in ("topic", "country", "thread") if request.POST.get(name)]
    if len(given) != 1:
        return None
    value = request.POST[given[0]]
    if given[0] == "country":
        return {"country": value} if value in follows.FOLLOWABLE_COUNTRIES else None
    if not value.isdigit():
        return None
    if given[0] == "topic":
        topic = Topic.objects.filter(pk=int(value)).first()
        return {"topic": topic} if topic else None
    thread = Thread.objects.filter(pk=int(value)).first()
    if thread is None or thread_access(thread=thread, user=request.user) != Access.READ:
        return None
    return {"thread": thread}


@require_POST
@member_required
def follow(request):
    """Follow or stop following one topic, country or thread (action=follow|unfollow); doing
    it twice changes nothing. Back to the page the button was on."""
    target = _target_of(request)
    action = request.POST.get("action")
    if target is None or action not in ("follow", "unfollow"):
        return HttpResponseBadRequest(_("Choose one topic, country or discussion to follow."))
    if action == "follow":
        follows.follow_add(user=request.user, **target)
        messages.success(request, _("You follow it now."))
    else:
        follows.follow_remove(user=request.user, **target)
        messages.success(request, _("You no longer follow it."))
    return redirect(_back(request, reverse("exchange:following")))


@require_GET
@member_required
def following(request):
    preference = mail_preference_for(user=request.user)
    return render(
        request,
        "exchange/following.html",
        {
            "following": follows.following_of(user=request.user),
            "preference": preference,
            # Discussions wait for a digest the member has turned off: they would hear nothing.
            "digest_off": preference.discussions == DiscussionMail.DIGEST
            and preference.digest == DigestFrequency.NEVER,
        },
    )


@require_POST
@member_required
def invite_expert(request, pk: int):
    """The thread's author or a moderator invites a listed roster expert to answer; once."""
    thread = get_object_or_404(Thread, pk=pk)
    if thread_access(thread=thread, user=request.user) != Access.READ:
        raise PermissionDenied
    if not follows.may_invite_experts(user=request.user, thread=thread):
        raise PermissionDenied
    expert_id = request.POST.get("expert", "")
    expert = (
        Expert.objects.filter(pk=int(expert_id), is_listed=True).first()
        if expert_id.isdigit()
        else None
    )
    if expert is None:
        messages.error(request, _("Choose an expert from the roster."))
        return redirect(_back(request, thread.get_absolute_url()))
    _invitation, created = expert_invite(thread=thread, expert=expert, by=request.user)
    if created:
        messages.success(request, _("%(expert)s is invited to answer.") % {"expert": expert.name})
    else:
        messages.info(request, _("%(expert)s was invited already.") % {"expert": expert.name})
    return redirect(_back(request, thread.get_absolute_url()))

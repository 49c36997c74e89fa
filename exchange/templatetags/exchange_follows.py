"""What the follow buttons and the invitation form need, for templates that include them with
only a thread, a topic or a country in their context (a fixed number of queries each)."""

from __future__ import annotations

from django import template

from exchange import follows
from exchange.permissions import can_write

register = template.Library()


@register.simple_tag
def thread_follow_state(thread, user) -> dict:
    """Whether the viewer follows the thread, may follow it, may invite experts; who is invited."""
    member = user.is_authenticated and can_write(user)
    may_invite = member and follows.may_invite_experts(user=user, thread=thread)
    invited = follows.experts_invited_to(thread=thread)
    invited_ids = {expert.pk for expert in invited}
    return {
        "may_follow": member,
        "following": member and follows.is_following(user=user, thread=thread),
        "invited": invited,
        "may_invite": may_invite,
        "experts": (
            [expert for expert in follows.experts_invitable() if expert.pk not in invited_ids]
            if may_invite
            else []
        ),
    }


@register.simple_tag
def list_follow_state(user, topic=None, country="") -> dict:
    """Whether the viewer follows this topic or country, and may follow it."""
    code = getattr(country, "value", country) or ""
    member = user.is_authenticated and can_write(user)
    if not member or not (topic or code in follows.FOLLOWABLE_COUNTRIES):
        return {"may_follow": False, "following": False, "country": code}
    return {
        "may_follow": True,
        "following": follows.is_following(user=user, topic=topic, country="" if topic else code),
        "country": code,
    }

"""Sections other apps add to a member's page (what they asked and answered in the exchange, say).

The members app sits below those apps and may not import them: each registers its section here
from its AppConfig.ready, and the page renders every registered section in turn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class MemberPageSection:
    """`find(profile=..., viewer=...)` returns the context of `template`, or None for nothing."""

    name: str
    template: str
    find: Callable[..., dict | None]


_sections: dict[str, MemberPageSection] = {}


def member_page_section_register(
    name: str, *, find: Callable[..., dict | None], template: str
) -> None:
    """Add a section to every member's page (registering a name again replaces it)."""
    _sections[name] = MemberPageSection(name=name, template=template, find=find)


def member_page_sections(*, profile, viewer, request=None) -> list[SafeString]:
    """The HTML of each registered section for `viewer` looking at `profile`'s page."""
    rendered = []
    for section in _sections.values():
        context = section.find(profile=profile, viewer=viewer)
        if context is not None:
            # Our own templates escape what they show.
            rendered.append(mark_safe(render_to_string(section.template, context, request=request)))
    return rendered

"""Posts are written in Markdown and shown as sanitised HTML.

The source is rendered once, when a post is saved, with raw HTML turned off (markdown-it's
CommonMark renderer), then cleaned by nh3 (the maintained Rust sanitiser) to an allow-list of
tags and attributes: whatever a member types, what pages and mails show cannot run a script,
load a style or leave the page. Links carry rel="nofollow ugc": the network does not vouch for them.

A mention is written `@[Name](member:12)` or `@[Name](expert:5)` (the form's people picker
inserts it); it shows as a link to the member's or expert's page, and the mentioned are told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3
from django.urls import reverse
from markdown_it import MarkdownIt

_markdown = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h3", "h4", "h5", "h6", "a",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
LINK_REL = "nofollow ugc noopener noreferrer"

MENTION = re.compile(r"@\[(?P<name>[^\[\]\n]{1,120})\]\((?P<kind>member|expert):(?P<pk>\d{1,10})\)")
# Characters that would let a mentioned name reopen Markdown syntax inside its link text.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


@dataclass(frozen=True)
class Mentions:
    member_ids: frozenset[int]
    expert_ids: frozenset[int]


def mentions_in(source: str) -> Mentions:
    members, experts = set(), set()
    for match in MENTION.finditer(source or ""):
        (members if match["kind"] == "member" else experts).add(int(match["pk"]))
    return Mentions(frozenset(members), frozenset(experts))


def _mention_link(match: re.Match) -> str:
    name = _MARKDOWN_SPECIAL.sub(r"\\\1", match["name"])
    if match["kind"] == "member":
        url = reverse("members:detail", args=[int(match["pk"])])
    else:
        url = reverse("members:expert_detail", args=[int(match["pk"])])
    return f"[@{name}]({url})"


def markdown_render(source: str) -> str:
    """The sanitised HTML that pages and mails show for this Markdown source."""
    html = _markdown.render(MENTION.sub(_mention_link, source or ""))
    # Headings of a post sit below the page's own h1 and h2.
    html = re.sub(r"<(/?)h[12]>", r"<\1h3>", html)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
    )


def markdown_plain(source: str) -> str:
    """The text of a post for plain-text mail: mentions as names, Markdown as typed."""
    return MENTION.sub(lambda match: "@" + match["name"], source or "")


_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")


def language_guess(text: str) -> str:
    """'ru' or 'en', by which alphabet most letters are in: the two languages posts are written
    in never share one. The author confirms or corrects the guess on the form."""
    text = MENTION.sub("", text or "")
    cyrillic = len(_CYRILLIC.findall(text))
    latin = len(_LATIN.findall(text))
    return "ru" if cyrillic >= latin and cyrillic else "en"

"""Crawling the site as each role, as a visitor clicks through it: a members-only thread shows
nowhere to those who may not read it (anonymous visitors, applicants, suspended members), and a
script or style injected in a thread, an answer, a reply or a member's name comes out inert on
every page.

The world is written through the real ask and answer forms, so what the pages show is what the
production renderer made of the payload. From the home page, the discussion list, the library's
search for the marker and the two threads' own addresses, every same-site link is followed
(GET only; no logout, admin, static files or downloads), a bounded number of pages per role.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from exchange.models import Post, Thread
from tests.exchange.conftest import answer, ask, signed_in
from tests.factories.exchange import PostFactory
from tests.factories.members import ProfileFactory

pytestmark = pytest.mark.django_db

MARKER = "Qzx7MembersOnlyMarker"
PUBLIC_MARKER = "Qzx7PublicMarker"
HIDDEN_MARKER = "Qzx7HiddenMarker"
# Searched for: a word of both threads' text, not the marker, which a search box echoes.
SEARCH_WORD = "zephyrine"
PAYLOAD = (
    "<script>alert('t')</script>\"><img src=x onerror=alert('i')>"
    "<a href=\"javascript:alert('a')\">go</a><style>body{display:none}</style>"
)
MARKDOWN_PAYLOAD = (
    f"{PAYLOAD}\n\n[click me](javascript:alert('m')) "
    "![pic](javascript:alert('p')) <svg onload=alert('s')>\n\n"
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"
)
MAX_PAGES = 220
MAX_QUERIES_PER_PATH = 3
SKIP = (
    "/accounts/logout",
    "/admin/",
    "/static/",
    "/media/",
    "/i18n/",
    "/__",
)
DOWNLOAD = re.compile(r"(/download/?$|/attachments/\d+/?$|\.(pdf|png|jpe?g|ics|zip|csv|xlsx)$)")


class Page(HTMLParser):
    """A page's links, and whatever in it would run if a payload got through: a script with
    the alert, an event handler attribute, a javascript: or data: address, a post's style."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.executable: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self._in = tag if tag in ("script", "style") else None
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.executable.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and (
                value.startswith(("javascript:", "data:", "vbscript:"))
            ):
                self.executable.append(f"<{tag} {name}={value[:30]}>")
        if tag in ("a", "link"):
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script" and "alert(" in data:
            self.executable.append(f"<script>{data[:40]}")
        if self._in == "style" and "display:none" in data.replace(" ", ""):
            self.executable.append(f"<style>{data[:40]}")


def same_site(href: str) -> str | None:
    """The path and query of a link into this site, or None."""
    href, _fragment = urldefrag(href.strip())
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc != "testserver":
        return None
    path = parts.path
    if not path.startswith("/") or path.startswith(SKIP) or DOWNLOAD.search(path):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(client: Client, seeds: list[str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Every page reachable from the seeds by same-site links: ({address: text of the answer},
    [(address, what would run)] of the HTML pages). Redirects are followed as links (the target
    is crawled)."""
    seen: set[str] = set()
    per_path: dict[str, int] = {}
    pages: dict[str, str] = {}
    executable: list[tuple[str, str]] = []
    queue = deque(seeds)
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        path = url.split("?")[0]
        if "?" in url:
            per_path[path] = per_path.get(path, 0) + 1
            if per_path[path] > MAX_QUERIES_PER_PATH:
                continue
        response = client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            target = same_site(response["Location"])
            pages[url] = f"(redirect to {response['Location']})"
            if target:
                queue.append(target)
            continue
        content_type = response.get("Content-Type", "")
        if response.streaming or not content_type.startswith(("text/", "application/json")):
            continue
        text = response.content.decode(errors="replace")
        pages[url] = text
        if content_type.startswith("text/html"):
            page = Page()
            page.feed(text)
            executable += [(url, found) for found in page.executable]
            # The payload's script tag, unescaped anywhere in the markup.
            if "<script>alert(" in text.replace('"', "'"):
                executable.append((url, "<script>alert( in the markup"))
            queue.extend(target for href in page.hrefs if (target := same_site(href)))
    return pages, executable


@pytest.fixture
def world(topic):
    """A members-only thread and a public one, written through the forms by a member whose name
    is itself an injection, each answered and replied to with the payload; a hidden answer."""
    writer = ProfileFactory(
        status="approved",
        country="KG",
        user__first_name="<script>alert('n')</script>Aibek",
        user__last_name="\"><img src=x onerror=alert('l')>",
    ).user
    colleague = ProfileFactory(status="approved", country="UZ").user
    client, other = signed_in(writer), signed_in(colleague)
    for title, marker, visibility in (
        ("Members' question", MARKER, "members"),
        ("Public question", PUBLIC_MARKER, "public"),
    ):
        response = ask(
            client,
            topic,
            title=f"{title} {marker} {PAYLOAD}",
            body=f"{marker} in the body, about {SEARCH_WORD}.\n\n{MARKDOWN_PAYLOAD}",
            visibility=visibility,
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        thread = Thread.objects.get(title__contains=marker)
        assert (
            answer(other, thread, body=f"{marker} answered. {MARKDOWN_PAYLOAD}").status_code == 302
        )
        first = Post.objects.get(thread=thread)
        assert (
            answer(
                client, thread, body=f"{marker} replied. {MARKDOWN_PAYLOAD}", parent=first.pk
            ).status_code
            == 302
        )
    public = Thread.objects.get(title__contains=PUBLIC_MARKER)
    PostFactory(thread=public, author=colleague, state="hidden", body=f"{HIDDEN_MARKER} hidden")
    private = Thread.objects.get(title__contains=MARKER)
    assert Post.objects.filter(thread=private).count() == 2
    return {"private": private, "public": public, "writer": writer}


def seeds(world) -> list[str]:
    search = reverse("library:search")
    return [
        reverse("home"),
        reverse("exchange:list"),
        world["public"].get_absolute_url(),
        world["private"].get_absolute_url(),
        f"{search}?{urlencode({'q': SEARCH_WORD})}",
        f"{reverse('exchange:list')}?{urlencode({'q': SEARCH_WORD})}",
        reverse("members:detail", args=[world["writer"].pk]),
    ]


def client_as(role: str) -> Client:
    if role == "anonymous":
        return Client()
    if role == "secretariat":
        from tests.factories.members import SecretariatFactory

        return signed_in(SecretariatFactory())
    status = {"applicant": "pending", "member": "approved", "suspended": "suspended"}[role]
    return signed_in(ProfileFactory(status=status).user)


@pytest.mark.parametrize("role", ["anonymous", "applicant", "suspended", "member", "secretariat"])
def test_crawling_as_each_role(world, role):
    pages, executable = crawl(client_as(role), seeds(world))

    showing = sorted(url for url, text in pages.items() if MARKER in text)
    if role in ("anonymous", "applicant", "suspended"):
        assert showing == []
    else:
        # The crawl reached the thread, so the other roles' empty lists mean something.
        assert world["private"].get_absolute_url() in showing
    assert any(PUBLIC_MARKER in text for text in pages.values())
    # The library's search found the public thread: its results were checked too.
    found = f"{reverse('library:search')}?{urlencode({'q': SEARCH_WORD})}"
    assert PUBLIC_MARKER in pages[found]
    hidden = sorted(url for url, text in pages.items() if HIDDEN_MARKER in text)
    if role != "secretariat":
        assert hidden == []
    assert executable == []
    # Pages of the discussions were reached, not only the seeds.
    assert sum(url.startswith(reverse("exchange:list")) for url in pages) >= 4

"""Every page of the site, rendered in Russian, holds no English word outside its data.

The pages are those of the role-by-URL matrix (tests/url_roles.py, tests/<app>/url_roles*.py):
each GET case is visited by each role the matrix lets in (answer 200), so a page added there is
checked here too. What is left after taking out the data and what is not words (markup, scripts,
addresses, code) must be Russian, or one of the few names in ALLOWED.
"""

from __future__ import annotations

import re
import zoneinfo
from html.parser import HTMLParser
from urllib.parse import unquote_plus

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse

from members.models import ExpertRequest, Profile, User
from tests.factories.members import PASSWORD, ProfileFactory
from tests.test_url_roles import _all_cases, world  # noqa: F401 (world: the fixture)
from tests.url_roles import ANON, APPLICANT, MEMBER, SECRETARIAT

# Names a Russian page writes in Latin letters, as Russian texts about them do.
ALLOWED = frozenset(
    {
        # The network, its magazine and the organisations behind it.
        "MIRPAL",
        "Migration",  # the magazine's title, “Migration 21”
        "IOM",
        # Products and standards named in instructions (calendar apps, sign-in, file types).
        "Zoom",
        "Teams",
        "Microsoft",
        "Webex",
        "Jitsi",
        "Meet",  # “Jitsi Meet”
        "Google",
        "Outlook",
        "Apple",
        "iCal",
        "iCalendar",
        "PDF",
        "CSV",
        "XLSX",
        "API",
        "OpenAPI",
        "JSON",
        "RSS",
        "Atom",
        "UTC",
        "HTTPS",
        "URL",
        "Excel",
        # Keys named in a help text (“hold Ctrl, ⌘ on a Mac”) and the search syntax's operator.
        "Ctrl",
        "Mac",
        "OR",
        # Acronyms Russian writes in Latin letters: «QR-код», «PIN-код».
        "QR",
        "PIN",
    }
)
# Names of more than one word, taken out before the words are read.
ALLOWED_PHRASES = ("Migration and Remittances Peer-Assisted Learning",)
ZONE_KEYS = frozenset(name for name in zoneinfo.available_timezones() if "/" in name)
# Roman numerals (“Миграция XXI века”).
ROMAN = re.compile(r"^[IVXLCDM]+$")
# A quoted name in Latin letters, such as a column of a file («Email», «Duration (minutes)»).
QUOTED_NAME = re.compile(r"«[^«»А-Яа-яЁё]*»")

# Markup whose text is not read as the page's words: code and machine text, scripts and styles.
SKIPPED_ELEMENTS = frozenset({"script", "style", "template", "code", "pre", "kbd", "samp", "svg"})
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Attributes a person reads or hears.
READ_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label", "aria-description")

URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|(?<!\w)/[\w/.\-?=&%#:]*")
LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
# A token that is code or an identifier rather than a word: digits, underscores, dots or slashes
# inside, camelCase, or braces and operators.
CODE_LIKE = re.compile(r"[\d_/\\{}<>=#@$%^*|~`]|\w\.\w|^\W*\.\w|[a-z][A-Z]")


class _Text(HTMLParser):
    """The text a person reads: element text and READ_ATTRIBUTES, without SKIPPED_ELEMENTS and
    without what is marked as being in another language (lang="en": a name in Latin letters)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or "ru").lower()
        skip = self.skipping or tag in SKIPPED_ELEMENTS or not lang.startswith("ru")
        skip = skip or attrs.get("translate") == "no" or "hidden" in attrs
        if not skip:
            self.parts.extend(attrs[name] for name in READ_ATTRIBUTES if attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
                self.parts.append(attrs.get("value") or "")
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def english_words(html: str, *, data_words: frozenset[str] = frozenset()) -> list[str]:
    """The English words of the page's interface, in order, each once."""
    found: dict[str, None] = {}
    text = page_text(html)
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    for token in QUOTED_NAME.sub(" ", URL.sub(" ", text)).split():
        if token.strip(".,;:()[]") in ZONE_KEYS:
            # A zone shown by its IANA name (Asia/Bishkek) rather than as people name it.
            found.setdefault(token.strip(".,;:()[]"))
            continue
        if CODE_LIKE.search(token):
            continue
        for word in LATIN_WORD.findall(token):
            # Longer than any word of the interface: a string typed as data, perhaps shortened.
            if (
                not 2 <= len(word) <= 30
                or word in ALLOWED
                or ROMAN.match(word)
                or word.lower() in data_words
            ):
                continue
            found.setdefault(word)
    return list(found)


# Where the words of the data are not: Django's own tables (permission and content type names),
# the sessions, and the roles' groups the migrations make (“Secretariat”, a word of the pages).
NOT_DATA = {
    ("auth", "permission"),
    ("auth", "group"),
    ("contenttypes", "contenttype"),
    ("sessions", "session"),
}


def _is_text(value: str) -> bool:
    """Words a person wrote (a name, a title), not a token, a hash, an address or a path: those
    are not read as words (URL, CODE_LIKE), and their fragments would hide words like “on”."""
    if "@" in value or "://" in value:
        return False
    return " " in value.strip() or value.isalpha()


def data_words_in_database() -> frozenset[str]:
    """Every Latin word stored as text, except the English half of the bilingual fields
    (`title_en`: a Russian page showing it is what this check is for), the stored values of
    choices and slugs (their labels are the interface)."""
    words = set()
    for model in apps.get_models():
        meta = model._meta
        # Unmanaged models are views over the others (the library's search rows).
        if (meta.app_label, meta.model_name) in NOT_DATA or meta.proxy or not meta.managed:
            continue
        fields = [
            field.attname
            for field in meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and not isinstance(field, models.SlugField)
            and not field.choices
            and not field.name.endswith("_en")
        ]
        if not fields:
            continue
        for row in model._base_manager.values_list(*fields):
            for value in row:
                if value and _is_text(str(value)):
                    words.update(word.lower() for word in LATIN_WORD.findall(str(value)))
    return frozenset(words)


def russian_data() -> None:
    """The people of the matrix in Russian: their names and organisations are data, but English
    ones would hide the same English words of the interface from the check."""
    for index, user in enumerate(User.objects.order_by("pk")):
        user.first_name, user.last_name = "Айгуль", f"Садыкова {index}"
        user.save(update_fields=["first_name", "last_name"])
    # Russian mail language: the pages reached by a mailed link speak the recipient's.
    Profile.objects.update(
        organisation="Министерство труда", position="главный специалист", mail_language="ru"
    )
    ExpertRequest.objects.update(purpose="Видеоконференция о трудовой миграции.")


def russian_client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    if user is not None:
        client.force_login(user)
    return client


ROLES = (ANON, APPLICANT, MEMBER, SECRETARIAT)
# The Django admin is the secretariat's back office in Django's own words (its Russian comes with
# Django); the panel and every member-facing page are checked.
UNCHECKED_NAMESPACES = ("admin:",)


def test_the_check_finds_english_and_leaves_data_markup_and_names_alone():
    html = (
        '<html lang="ru"><head><title>Мероприятия · MIRPAL</title><style>.a{color:red}</style>'
        '</head><body><p>Регистрация открыта. Download the agenda</p><script>var x = "Hello";'
        '</script><a href="/events/" title="Open">https://zoom.us/j/1 info@mirpal.example</a>'
        '<code>event_list()</code><span lang="en">Buenos Aires</span><img alt="Фото Ana">'
        '<input type="submit" value="Send"><p>Журнал «Migration XXI», столбец «Email», файл .ics; '
        "MIRPAL (Migration and Remittances Peer-Assisted Learning), время: Asia/Bishkek.</p>"
        "</body></html>"
    )
    assert english_words(html, data_words=frozenset({"ana"})) == [
        "Download",
        "the",
        "agenda",
        "Open",
        "Send",
        "Asia/Bishkek",
    ]


@pytest.mark.django_db
def test_every_page_in_russian_has_no_english_outside_data(world):  # noqa: F811
    cases = _all_cases(world)
    russian_data()
    # What the cases type into the addresses (searches) is data too, and shows on other pages
    # (the secretariat's figures list the searches).
    typed = {
        word.lower() for case in cases for word in LATIN_WORD.findall(unquote_plus(case.query))
    }
    data_words = data_words_in_database() | typed
    clients = {role: russian_client(None if role == ANON else world[role]) for role in ROLES}
    found = []
    visited = set()
    for case in cases:
        if case.method != "get" or case.name.startswith(UNCHECKED_NAMESPACES):
            continue
        url = reverse(case.name, args=case.args, kwargs=case.kwargs) + case.query
        for role in ROLES:
            if case.expect.get(role) != 200 or (url, role) in visited:
                continue
            visited.add((url, role))
            response = clients[role].get(url)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            words = english_words(response.content.decode(), data_words=data_words)
            if words:
                found.append(f"{url} ({role}): {' '.join(words)}")
    assert visited, "the matrix lists no page"
    assert found == [], "English words on Russian pages:\n" + "\n".join(found)


def _russian_or_fail(pages: dict) -> None:
    found = {
        name: words
        for name, response in pages.items()
        if (words := english_words(response.content.decode()))
    }
    assert found == {}


@pytest.mark.django_db
def test_allauths_pages_after_each_step_a_member_takes_are_russian():
    """The pages the walk cannot reach with a GET: a wrong password, a form with errors, a fresh
    sign-in's second-factor set-up, an address added."""
    user = ProfileFactory(
        status="approved",
        mail_language="ru",
        organisation="Министерство труда",
        position="главный специалист",
        user__first_name="Айгуль",
        user__last_name="Садыкова",
    ).user
    client = russian_client()
    login = reverse("account_login")
    pages = {
        "wrong password": client.post(login, {"login": user.email, "password": "wrong"}),
        "sign-up with errors": client.post(
            reverse("account_signup"), {"email": "not-an-address", "password1": "a"}
        ),
        "reset asked": client.post(
            reverse("account_reset_password"), {"email": user.email}, follow=True
        ),
    }
    pages["signed in"] = client.post(
        login, {"login": user.email, "password": PASSWORD}, follow=True
    )
    # Adding a factor asks for the password again, even just after signing in.
    pages["password asked again"] = client.post(
        reverse("account_reauthenticate"), {"password": PASSWORD}, follow=True
    )
    for name in ("mfa_activate_totp", "mfa_generate_recovery_codes", "mfa_add_webauthn"):
        pages[name] = client.get(reverse(name))
        assert pages[name].status_code == 200, name
    pages["address added"] = client.post(
        reverse("account_email"), {"action_add": "", "email": "second@example.org"}, follow=True
    )
    pages["password change with errors"] = client.post(
        reverse("account_change_password"), {"oldpassword": "x", "password1": "a", "password2": "b"}
    )
    pages["signed out"] = client.post(reverse("account_logout"), follow=True)
    _russian_or_fail(pages)


@pytest.mark.django_db
def test_the_secretariats_second_factor_step_is_russian(secretariat):
    client = russian_client()
    response = client.post(
        reverse("account_login"), {"login": secretariat.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    _russian_or_fail({"code asked": response, "wrong code": wrong})

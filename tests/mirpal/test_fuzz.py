"""Hostile input at every URL of the site: none may answer with a server error.

Every named URL (the role-by-URL matrix's cases give each its arguments) is asked, as a visitor, a
member and the secretariat, with query strings and form bodies full of NUL characters, numbers
too big for any column, broken UTF-8 and very long text; the API's endpoints get JSON nested far
deeper than a parser can recurse; every admin changelist gets lookups that overflow. Each test
collects every failure before asserting, so one run shows them all.

The parameters come from the page itself: the fields of its forms, and the keys its view reads
from the query string (recorded while the page is served once without one). A view that checks
its parameters one by one stops at the first bad one, so each key it reads is also sent alone.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.contrib import admin
from django.db import models, transaction
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from tests import test_url_roles
from tests.url_roles import ANON, MEMBER, SECRETARIAT

pytestmark = pytest.mark.django_db

world = test_url_roles.world

HUGE = "99999999999999999999"
# Written into the raw query string or form body as they are, so they reach the server
# percent-encoded exactly as a hostile client would send them. "huge" alternates with its
# negative from key to key, which keeps the walk inside its time.
HOSTILE = {
    "nul": ("a%00b",),
    "huge": (HUGE, f"-{HUGE}"),
    "invalid-utf8": ("%ff%fe",),
    "long": ("x" * 3000,),
}
# Each key the view reads is also sent alone, with these.
ALONE = ("nul", "huge")
DEEP_JSON = "[" * 50_000 + "]" * 50_000
# Read by views only when another parameter is there, or through a serializer's .dict().
COMMON_KEYS = {"page", "p", "o", "q", "lang", "format", "next"}
FIELD_NAME = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
FORM_TAG = re.compile(r"<form\b([^>]*)>", re.I)
POST_METHOD = re.compile(r'\bmethod="post"', re.I)
FORM_ACTION = re.compile(r'\baction="([^"]*)"')
# Django caps a formset at 2,000 forms, but drawing that many for a huge TOTAL_FORMS takes
# seconds per request; the cap is Django's, tested there.
FORMSET_MANAGEMENT = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


@pytest.fixture
def relaxed_throttle(settings):
    """Hundreds of API calls a minute from one address are the point here, not abuse."""
    settings.API_RATE_ANONYMOUS = 100_000
    settings.API_RATE_KEY = 100_000


@contextmanager
def keys_read(monkeypatch):
    """The query-string keys read while the block runs, by name."""
    read: set[str] = set()

    def recorded(method):
        def wrapper(self, key, *args, **kwargs):
            read.add(key)
            return method(self, key, *args, **kwargs)

        return wrapper

    with monkeypatch.context() as patch:
        for name in ("get", "getlist", "__getitem__", "__contains__"):
            patch.setattr(QueryDict, name, recorded(getattr(QueryDict, name)))
        yield read


def client_as(role: str, world: dict) -> Client:
    client = Client(raise_request_exception=False)
    if role != ANON:
        client.force_login(world[role])
    return client


def ask(client: Client, method: str, url: str, **extra):
    """One request in a savepoint rolled back after it: a failed query cannot spoil the next
    request, and nothing a hostile form managed to change stays for the next one."""
    savepoint = transaction.atomic()
    # Marked as the test case's own block, as Django marks TestCase's: the services that open
    # durable transactions (as they do in production, outside any other) may run inside it.
    savepoint._from_testcase = True
    with savepoint:
        response = getattr(client, method)(url, **extra)
        transaction.set_rollback(True)
    return response


def failure(role: str, method: str, url: str, variant: str, response) -> tuple | None:
    if response.status_code < 500:
        return None
    error = ""
    if getattr(response, "exc_info", None):
        error = f"{response.exc_info[0].__name__}: {str(response.exc_info[1])[:100]}"
    return (role, method.upper(), url[:100], variant, response.status_code, error)


def assert_none(failures: list[tuple | None]) -> None:
    found = [failure for failure in failures if failure]
    assert found == [], "\n".join(str(failure) for failure in found)


def hostile_query(keys: set[str], values: tuple[str, ...]) -> str:
    return "&".join(
        f"{key}={values[index % len(values)]}" for index, key in enumerate(sorted(keys))
    )


def api_parameter_names(client: Client) -> set[str]:
    schema = client.get("/api/schema/?format=json").json()
    return {
        parameter["name"]
        for path in schema["paths"].values()
        for operation in path.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    }


def posts_to_itself(html: str, url: str) -> bool:
    """The page has a form that posts back to it (not just the header's language switch)."""
    for attributes in FORM_TAG.findall(html):
        action = FORM_ACTION.search(attributes)
        if POST_METHOD.search(attributes) and (action is None or action.group(1) in ("", url)):
            return True
    return False


def walk(client: Client, role: str, url: str, *, posted: set | None, api_keys: set, monkeypatch):
    """Every hostile request for one URL; the failures among them. `posted`: the fields the
    matrix posts to it, None when it posts nothing there."""
    with keys_read(monkeypatch) as read:
        page = ask(client, "get", url)
    read = {key for key in read if isinstance(key, str)}
    html = ""
    if page.status_code == 200 and not page.streaming:
        html = page.content.decode(errors="replace")
    fields = {
        name
        for name in FIELD_NAME.findall(html)
        if name != "csrfmiddlewaretoken" and not name.endswith(FORMSET_MANAGEMENT)
    }
    every_key = COMMON_KEYS | read | fields | (api_keys if url.startswith("/api/") else set())
    found = []
    # The admin's changelist reads its whole query string at once: nothing to unmask there.
    alone = sorted(read) if len(read) > 1 and "/admin/" not in url else []
    for variant, values in HOSTILE.items():
        response = ask(client, "get", f"{url}?{hostile_query(every_key, values)}")
        found.append(failure(role, "get", url, variant, response))
        for index, key in enumerate(alone if variant in ALONE else ()):
            response = ask(client, "get", f"{url}?{key}={values[index % len(values)]}")
            found.append(failure(role, "get", url, f"{variant} in {key}", response))
    if posted is not None or posts_to_itself(html, url):
        for variant, values in HOSTILE.items():
            response = ask(
                client,
                "post",
                url,
                data=hostile_query(fields | (posted or set()) or every_key, values),
                content_type="application/x-www-form-urlencoded",
            )
            found.append(failure(role, "post", url, variant, response))
    return found


def test_no_url_answers_hostile_query_strings_or_forms_with_a_server_error(
    world, relaxed_throttle, monkeypatch
):
    cases = test_url_roles._all_cases(world)
    urls = sorted({reverse(case.name, args=case.args, kwargs=case.kwargs) for case in cases})
    posted: dict[str, set] = {}
    for case in cases:
        if case.method == "post":
            url = reverse(case.name, args=case.args, kwargs=case.kwargs)
            posted.setdefault(url, set()).update(case.data)
    api_keys = api_parameter_names(Client())
    failures = []
    for role in (ANON, MEMBER, SECRETARIAT):
        client = client_as(role, world)
        for url in urls:
            if url.endswith("/logout/"):
                continue  # posting there would end the session the rest of the walk needs
            failures += walk(
                client,
                role,
                url,
                posted=posted.get(url),
                api_keys=api_keys,
                monkeypatch=monkeypatch,
            )
    assert_none(failures)


def test_no_url_answers_hostile_path_arguments_with_a_server_error(world, relaxed_throttle):
    """Each argument in the path (a slug, a number, a token) replaced by hostile text."""
    sentinel = "4242424242"  # matches every converter, then gives way to the hostile value
    urls = set()
    for case in test_url_roles._all_cases(world):
        for index in range(len(case.args)):
            args = (*case.args[:index], sentinel, *case.args[index + 1 :])
            urls.add(reverse(case.name, args=args, kwargs=case.kwargs))
        for key in case.kwargs:
            urls.add(reverse(case.name, args=case.args, kwargs={**case.kwargs, key: sentinel}))
    failures = []
    for role in (ANON, SECRETARIAT):
        client = client_as(role, world)
        for url in sorted(urls):
            for variant, values in HOSTILE.items():
                response = ask(client, "get", url.replace(sentinel, values[-1]))
                failures.append(failure(role, "get", url, variant, response))
    assert_none(failures)


def test_every_api_endpoint_refuses_deeply_nested_json_without_a_server_error(
    world, relaxed_throttle
):
    cases = test_url_roles._all_cases(world)
    urls = sorted(
        {
            reverse(case.name, args=case.args, kwargs=case.kwargs)
            for case in cases
            if case.name.startswith("v1:")
        }
    )
    failures = []
    for role in (ANON, MEMBER, SECRETARIAT):
        client = client_as(role, world)
        for url in urls:
            for method in ("post", "put", "patch"):
                response = ask(client, method, url, data=DEEP_JSON, content_type="application/json")
                failures.append(failure(role, method, url, "deep-json", response))
    assert_none(failures)


def changelist_queries(model) -> list[tuple[str, str]]:
    """Lookups a secretariat member could type or a link could carry, each out of range. A
    lookup Django cannot build sends the changelist to ?e=1 before the others run, so each kind
    goes in a request of its own; year lookups fail only when the query is compiled, so all the
    model's dates go together."""
    fields = model._meta.concrete_fields
    dates = [f.name for f in fields if isinstance(f, models.DateField)]
    numbers = [
        f.name
        for f in fields
        if isinstance(f, models.IntegerField | models.AutoField | models.ForeignKey)
    ]
    queries = [
        ("__year", "&".join(f"{name}__year={HUGE}" for name in dates)),
        ("__year negative", "&".join(f"{name}__year=-{HUGE}" for name in dates)),
        ("__exact", hostile_query({f"{name}__exact" for name in numbers}, HOSTILE["huge"])),
        ("p and o", f"p={HUGE}&o={HUGE}.-{HUGE}"),
        ("q", "q=a%00b"),
    ]
    return [(variant, query) for variant, query in queries if query]


def test_admin_changelists_refuse_overflowing_lookups_without_a_server_error(secretariat):
    client = client_as(SECRETARIAT, {SECRETARIAT: secretariat})
    failures = []
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for variant, query in changelist_queries(model):
            response = ask(client, "get", f"{url}?{query}")
            failures.append(failure(SECRETARIAT, "get", url, variant, response))
    assert_none(failures)

import zoneinfo

import pytest
from django.test import RequestFactory
from django.utils import timezone, translation

from mirpal import fragments

pytestmark = pytest.mark.django_db


def _render_counter():
    calls = []

    def render():
        calls.append(1)
        return f"<p>render {len(calls)}</p>"

    return calls, render


def test_a_fragment_is_rendered_once_until_its_data_changes(django_capture_on_commit_callbacks):
    request = RequestFactory().get("/list/", {"b": "2", "a": "1"})
    _calls, render = _render_counter()
    first = fragments.cached_fragment(request, "list", scopes=["events"], render=render)
    again = fragments.cached_fragment(request, "list", scopes=["events"], render=render)
    assert first == again == "<p>render 1</p>"
    # Another scope's change leaves it alone.
    fragments.data_changed("library")
    assert fragments.cached_fragment(request, "list", scopes=["events"], render=render) == first
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        fragments.data_changed("events")
    assert fragments.cached_fragment(request, "list", scopes=["events"], render=render) == (
        "<p>render 2</p>"
    )
    # The second change, at commit, makes whatever was rendered in between unreachable.
    for callback in callbacks:
        callback()
    assert fragments.cached_fragment(request, "list", scopes=["events"], render=render) == (
        "<p>render 3</p>"
    )


def test_the_key_holds_language_zone_query_and_variant_but_not_parameter_order():
    factory = RequestFactory()
    key = fragments.fragment_key
    base = key(factory.get("/l/", {"a": "1", "b": "2"}), "l")
    assert key(factory.get("/l/?b=2&a=1"), "l") == base
    assert key(factory.get("/l/?a=1&b=3"), "l") != base
    assert key(factory.get("/l/?a=1&b=2"), "l", variant="staff") != base
    with translation.override("ru"):
        assert key(factory.get("/l/?a=1&b=2"), "l") != base
    with timezone.override(zoneinfo.ZoneInfo("Asia/Bishkek")):
        assert key(factory.get("/l/?a=1&b=2"), "l") != base


def test_a_cached_value_follows_the_same_versions():
    request = RequestFactory().get("/l/")
    values = iter([10, 11])
    first = fragments.cached_value(
        request, "count", scopes=["members"], compute=lambda: next(values)
    )
    assert first == 10
    assert fragments.cached_value(request, "count", scopes=["members"], compute=lambda: 99) == 10
    fragments.data_changed("members")
    assert (
        fragments.cached_value(request, "count", scopes=["members"], compute=lambda: next(values))
        == 11
    )

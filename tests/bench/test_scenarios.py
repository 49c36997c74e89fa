"""What `make bench` measures: the signed-in floor is an empty page on base.html behind the same
middleware, and a partial run always carries its references (the bare view, the floor)."""

import pytest
from pytest_django.asserts import assertTemplateUsed

from bench.run import scenarios_select


@pytest.mark.urls("bench.urls")
def test_signed_in_floor_is_base_html_for_a_member(client, member):
    client.force_login(member)

    response = client.get("/bench/floor/")

    assert response.status_code == 200
    assertTemplateUsed(response, "base.html")
    assert [template.name for template in response.templates][:2] == [
        "bench/floor.html",
        "base.html",
    ]
    assert b'action="/accounts/logout/"' in response.content


@pytest.mark.urls("bench.urls")
def test_signed_in_floor_sends_visitors_to_sign_in(client, db):
    response = client.get("/bench/floor/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.urls("bench.urls")
def test_a_partial_run_keeps_its_references():
    assert [s.key for s in scenarios_select("directory")] == [
        "bare",
        "floor",
        "directory",
        "bare-again",
    ]
    # Anonymous pages need no floor.
    assert [s.key for s in scenarios_select("API event list")] == [
        "bare",
        "api-events",
        "api-events-partner",
        "bare-again",
    ]
    everything = [s.key for s in scenarios_select("")]
    assert everything[:2] == ["bare", "floor"]
    assert everything[-1] == "bare-again"
    assert {"home-anonymous", "library-anonymous", "event-list-anonymous"} <= set(everything)


@pytest.mark.urls("bench.urls")
def test_the_discussion_pages_are_in_the_table_of_pages():
    assert [s.key for s in scenarios_select("discussion list")] == [
        "bare",
        "floor",
        "discussion-list",
        "bare-again",
    ]
    assert [s.key for s in scenarios_select("thread with 200 answers")] == [
        "bare",
        "floor",
        "discussion-thread",
        "bare-again",
    ]
    assert [s.key for s in scenarios_select("discussion")][2:4] == [
        "discussion-list",
        "discussion-thread",
    ]
    everything = [s.key for s in scenarios_select("")]
    assert everything.index("event") < everything.index("discussion-list")
    assert everything.index("discussion-list") + 1 == everything.index("discussion-thread")

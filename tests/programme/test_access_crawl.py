"""Crawling the work programme as each role, as a visitor clicks through it: proposals,
comments and the programme of a year the secretariat has not published show nowhere to
anonymous visitors, applicants or suspended members; once it is published they are public
(names of members still for members only), and a script in a proposal's text comes out inert.

The crawler is the exchange's (tests/exchange/test_access_crawl.py), limited to the programme's
pages so that five roles crawl in seconds."""

import pytest
from django.urls import reverse

from tests.exchange import test_access_crawl as crawler
from tests.exchange.test_access_crawl import PAYLOAD, client_as, crawl
from tests.factories.members import ProfileFactory
from tests.factories.programme import (
    ActivityFactory,
    CallFactory,
    CommentFactory,
    ProposalFactory,
    SupportFactory,
)

pytestmark = pytest.mark.django_db

MARKER = "Qzx7ProgrammeProposal"
COMMENT = "Qzx7ProgrammeComment"
AUTHOR = "Zebediah"


@pytest.fixture(autouse=True)
def _programme_only(monkeypatch):
    site_link = crawler.same_site

    def programme_link(href: str) -> str | None:
        target = site_link(href)
        return target if target and target.startswith("/programme/") else None

    monkeypatch.setattr(crawler, "same_site", programme_link)


def _world(*, published: bool) -> dict:
    call = CallFactory(programme_published=published)
    author = ProfileFactory(user__first_name=AUTHOR, user__last_name="Quill").user
    activity = ActivityFactory(year=call.year, title_en=f"{MARKER} activity {PAYLOAD}")
    accepted = ProposalFactory(
        call=call,
        author=author,
        title=f"{MARKER} accepted {PAYLOAD}",
        need=f"{MARKER} need {PAYLOAD}",
        state="accepted",
        activity=activity,
    )
    open_proposal = ProposalFactory(call=call, title=f"{MARKER} open")
    SupportFactory(proposal=open_proposal)
    CommentFactory(proposal=open_proposal, body=f"{COMMENT} {PAYLOAD}")
    return {"call": call, "accepted": accepted, "open": open_proposal}


def _seeds(world) -> list[str]:
    return [
        reverse("programme:current"),
        reverse("programme:proposals"),
        f"{reverse('programme:proposals')}?year={world['call'].year}",
        reverse("programme:year", kwargs={"year": world["call"].year}),
        world["open"].get_absolute_url(),
    ]


@pytest.mark.parametrize("role", ["anonymous", "applicant", "suspended", "member", "secretariat"])
def test_an_unpublished_programme_is_for_members_only(role):
    world = _world(published=False)
    pages, executable = crawl(client_as(role), _seeds(world))

    showing = sorted(url for url, text in pages.items() if MARKER in text or COMMENT in text)
    if role in ("anonymous", "applicant", "suspended"):
        assert showing == []
    else:
        assert world["accepted"].get_absolute_url() in showing
        assert world["open"].get_absolute_url() in showing
        assert reverse("programme:year", kwargs={"year": world["call"].year}) in showing
        # The crawl followed the links from the list to the proposals and the programme.
        assert sum(url.startswith("/programme/proposals/") for url in pages) >= 3
    assert executable == []


@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_a_published_programme_is_public_without_members_names(role):
    world = _world(published=True)
    pages, executable = crawl(client_as(role), _seeds(world))

    accepted = world["accepted"].get_absolute_url()
    assert MARKER in pages[accepted]
    assert COMMENT in pages[world["open"].get_absolute_url()]
    assert MARKER in pages[reverse("programme:year", kwargs={"year": world["call"].year})]
    named = [url for url, text in pages.items() if AUTHOR in text]
    if role == "anonymous":
        assert named == []
    else:
        assert accepted in named
    assert executable == []

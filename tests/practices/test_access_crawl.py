"""Crawling the good practices as each role, as a visitor clicks through them: a members-only
case shows nowhere to anonymous visitors, applicants or suspended members (the list, the
comparisons, the search, the pages it links to), and a script in a case's texts comes out inert.

The crawler is the exchange's (tests/exchange/test_access_crawl.py): every link from the seeds
into the good practices and the search is followed, GET only, a bounded number of pages per
role."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from mirpal.models import Topic
from practices.enums import Visibility
from tests.exchange import test_access_crawl as crawler
from tests.exchange.test_access_crawl import PAYLOAD, client_as, crawl
from tests.factories.practices import CaseFactory

pytestmark = pytest.mark.django_db

MARKER = "Qzx7MembersOnlyCase"
PUBLIC_MARKER = "Qzx7PublicCase"
# Searched for: a word of both cases' text, not the marker, which a search box echoes.
SEARCH_WORD = "zephyrine"


# The good practices' pages and the search, not the rest of the site (the exchange's crawl walks
# that): kept small, so that five roles crawl in seconds.
CRAWLED = ("/practices/", "/library/search/")


@pytest.fixture(autouse=True)
def _practices_only(monkeypatch):
    site_link = crawler.same_site

    def practices_link(href: str) -> str | None:
        target = site_link(href)
        return target if target and target.startswith(CRAWLED) else None

    monkeypatch.setattr(crawler, "same_site", practices_link)


@pytest.fixture
def world(db):
    topic = Topic.objects.order_by("position", "slug").first()
    made = {}
    for name, marker, visibility, countries in (
        ("private", MARKER, Visibility.MEMBERS, ["KG", "TJ"]),
        ("public", PUBLIC_MARKER, Visibility.PUBLIC, ["KG"]),
    ):
        made[name] = CaseFactory(
            slug=f"crawl-{name}",
            title_en=f"{marker} {PAYLOAD}",
            title_ru=f"{marker} {PAYLOAD}",
            summary_en=f"{marker} about {SEARCH_WORD}. {PAYLOAD}",
            measure_en=f"{marker} measure. {PAYLOAD}",
            results_en=f"{marker} results.",
            visibility=visibility,
            countries=countries,
            topics=[topic],
        )
    made["topic"] = topic
    return made


def seeds(world) -> list[str]:
    topic = world["topic"].slug
    both = urlencode({"case": [world["public"].slug, world["private"].slug]}, doseq=True)
    return [
        reverse("practices:list"),
        f"{reverse('practices:list')}?{urlencode({'q': SEARCH_WORD})}",
        f"{reverse('practices:compare')}?{urlencode({'topic': topic})}",
        f"{reverse('practices:compare_cases')}?{both}",
        f"{reverse('library:search')}?{urlencode({'q': SEARCH_WORD})}",
        world["public"].get_absolute_url(),
        world["private"].get_absolute_url(),
    ]


@pytest.mark.parametrize("role", ["anonymous", "applicant", "suspended", "member", "secretariat"])
def test_crawling_as_each_role(world, role):
    pages, executable = crawl(client_as(role), seeds(world))

    showing = sorted(url for url, text in pages.items() if MARKER in text)
    if role in ("anonymous", "applicant", "suspended"):
        assert showing == []
    else:
        assert world["private"].get_absolute_url() in showing
        assert reverse("practices:list") in showing
    assert PUBLIC_MARKER in pages[world["public"].get_absolute_url()]
    found = f"{reverse('library:search')}?{urlencode({'q': SEARCH_WORD})}"
    assert PUBLIC_MARKER in pages[found]
    assert executable == []
    # The crawl went past the seeds into the case pages' links.
    assert sum(url.startswith(reverse("practices:list")) for url in pages) >= 6

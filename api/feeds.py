"""Public feeds: published events as iCalendar (filterable by country and topic) and new
magazine issues and public documents as RSS and Atom. Never a join link or a members-only item."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from api.base import LANGUAGES
from events import ical
from events.enums import EventStatus
from events.models import Event
from library.models import Issue
from library.search import visible_documents
from mirpal.countries import Country
from mirpal.models import Topic

FEED_EVENTS_LIMIT = 500
FEED_LIBRARY_LIMIT = 30
# Cancelled events stay in the feed this long, so calendars that had them remove them.
FEED_KEEPS_PAST = datetime.timedelta(days=30)


def _language(request) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in LANGUAGES else translation.get_language()


@require_safe  # HEAD too: calendar apps ask it before they subscribe
def events_ics(request):
    """?country=KZ&topic=<slug>&lang=ru; published and cancelled events of the last 30 days on."""
    country, topic = request.GET.get("country", ""), request.GET.get("topic", "")
    if country and country not in Country.values:
        return HttpResponseBadRequest(_("Unknown country code."))
    if topic and not Topic.objects.filter(slug=topic).exists():
        return HttpResponseBadRequest(_("Unknown topic."))
    now = timezone.now()
    events = Event.objects.filter(
        status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED],
        ends_at__gt=now - FEED_KEEPS_PAST,
    ).order_by("starts_at", "pk")
    if country:
        events = events.filter(countries__contains=[country])
    if topic:
        events = events.filter(topics__slug=topic)
    with translation.override(_language(request)):
        cal = ical._calendar(_("MIRPAL events"), method="PUBLISH")
        for event in events[:FEED_EVENTS_LIMIT]:
            # No join_url or passcode passed: the public feed never carries them.
            cal.add_component(ical._vevent(event, now=now))
        body = cal.to_ical()
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={settings.API_PUBLIC_MAX_AGE}"
    return response


class LibraryRssFeed(Feed):
    """New magazine issues and public documents, newest first."""

    def get_object(self, request, *args, **kwargs):
        lang = _language(request)
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        return None

    def title(self) -> str:
        return _("MIRPAL library: new issues and documents")

    def link(self) -> str:
        return reverse("library:index")

    def description(self) -> str:
        return _("New issues of the Migration 21 magazine and new documents in the MIRPAL library.")

    def items(self):
        issues = list(Issue.objects.order_by("-published_on", "-number")[:FEED_LIBRARY_LIMIT])
        documents = list(
            visible_documents(member=False)
            .defer("text", "search_vector")
            .order_by("-published_on", "-pk")[:FEED_LIBRARY_LIMIT]
        )
        entries = [("issue", issue.published_on, issue) for issue in issues] + [
            ("document", document.published_on, document) for document in documents
        ]
        entries.sort(key=lambda entry: entry[1], reverse=True)
        return entries[:FEED_LIBRARY_LIMIT]

    def item_title(self, item) -> str:
        kind, _date, obj = item
        if kind == "issue":
            return f"Migration 21 № {obj.number}: {obj.title}" if obj.title else str(obj)
        return obj.title

    def item_description(self, item) -> str:
        kind, _date, obj = item
        return obj.description if kind == "issue" else obj.abstract

    def item_link(self, item) -> str:
        kind, _date, obj = item
        if kind == "issue":
            return reverse("library:issue", args=[obj.number])
        return reverse("library:document", args=[obj.pk])

    def item_guid(self, item) -> str:
        kind, _date, obj = item
        return f"{settings.SITE_URL}/{kind}/{obj.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item) -> datetime.datetime:
        return datetime.datetime.combine(item[1], datetime.time(), tzinfo=datetime.UTC)


class LibraryAtomFeed(LibraryRssFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()

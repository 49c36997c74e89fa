"""Finding discussions: the list with its filters, views and orders; the same list at the clean
addresses of a topic and a country; and the people picker the writing forms ask whom to mention.

The list is public: who is looking decides only whether members-only threads are in it
(exchange.selectors.threads_visible_to)."""

from __future__ import annotations

from django import forms
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from exchange import selectors
from exchange.permissions import can_read_members_only, can_write
from members.permissions import member_required
from mirpal.countries import Country
from mirpal.fragments import cached_fragment
from mirpal.widgets import FastSelect

PER_PAGE = 20
# Deeper than anyone pages by hand; an offset past it would only make the database walk.
MAX_PAGE = 500

ANY = [("", pgettext_lazy("filter", "Any"))]
VIEW_TABS = (
    ("", pgettext_lazy("discussions view", "All")),
    ("unanswered", pgettext_lazy("discussions view", "Unanswered")),
    ("answered", pgettext_lazy("discussions view", "Answered")),
)
SORT_TABS = (
    ("active", pgettext_lazy("discussions order", "Recently active")),
    ("newest", pgettext_lazy("discussions order", "Newest")),
    ("helpful", pgettext_lazy("discussions order", "Most helpful")),
)


class ThreadFilterForm(forms.Form):
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False, widget=FastSelect)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False, widget=FastSelect)
    view = forms.ChoiceField(
        required=False, choices=VIEW_TABS, widget=forms.HiddenInput, initial=""
    )
    sort = forms.ChoiceField(
        required=False, choices=SORT_TABS, widget=forms.HiddenInput, initial="active"
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = ANY + [(topic.slug, topic.name) for topic in topics]
        countries = dict(Country.choices)
        self.fields["country"].choices = ANY + [
            (code, countries[code]) for code in selectors.NETWORK_COUNTRIES
        ]

    def value(self, name: str) -> str:
        """The cleaned value of one field; a wrong value of one filter drops only that filter."""
        self.is_valid()
        return self.cleaned_data.get(name) or ""


def _page_number(raw) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def _listing(request, *, topic_slug: str = "", country: str = ""):
    """The list, filtered by the query's choices; a clean address passes its own topic or
    country, which then wins over the query's."""
    topics = list(selectors.topics_shown())
    form = ThreadFilterForm(request.GET, topics=topics)
    topic_slug = topic_slug or form.value("topic")
    topic = next((shown for shown in topics if shown.slug == topic_slug), None)
    if topic is None and topic_slug:
        raise Http404
    country = country or form.value("country")
    view, sort = form.value("view"), form.value("sort") or "active"
    members = can_read_members_only(request.user)
    countries = dict(Country.choices)
    country_label = countries[country] if country else ""

    def body() -> str:
        return _listing_body(
            request, topic=topic, topic_slug=topic_slug, country=country, view=view, sort=sort,
            topics=topics, countries=countries, members=members,
        )  # fmt: skip

    # The body is the same for every viewer of one language, time zone, address and audience
    # (members, or everyone else): from the cache, until a thread, a post or a profile changes.
    cached_body = cached_fragment(
        request,
        f"exchange:list:{request.path}",
        scopes=["exchange", "members"],
        variant="members" if members else "public",
        render=body,
    )
    return render(
        request,
        "exchange/list.html",
        {
            "body": cached_body,
            "topic": topic,
            "country": country,
            "country_label": country_label,
            "clean_address": request.resolver_match.url_name in ("topic", "country"),
            "can_write": members and can_write(request.user),
            "sees_members_only": members,
        },
    )


def _listing_body(
    request, *, topic, topic_slug, country, view, sort, topics, countries, members
) -> str:
    threads = selectors.thread_list(
        user=request.user, topic=topic, country=country or None, view=view or None, sort=sort
    )
    page = selectors.thread_page(
        threads, number=_page_number(request.GET.get("page")), per_page=PER_PAGE
    )
    for thread in page:
        thread.country_links = [(code, countries.get(code, code)) for code in thread.countries]

    # The links of the tabs and pages keep the other choices; on a clean address its own filter
    # is in the path, not repeated in the query.
    kept = {
        "topic": "" if request.resolver_match.url_name == "topic" else topic_slug,
        "country": "" if request.resolver_match.url_name == "country" else country,
        "view": view,
        "sort": "" if sort == "active" else sort,
    }

    def query(**changes) -> str:
        params = {name: value for name, value in {**kept, **changes}.items() if value}
        return "?" + urlencode(params) if params else "?"

    filter_form = ThreadFilterForm(
        initial={"topic": topic_slug, "country": country, "view": view, "sort": sort},
        topics=topics,
    )
    return render_to_string(
        "exchange/_list_body.html",
        {
            "page": page,
            "form": filter_form,
            "topic": topic,
            "view_tabs": [
                {"label": label, "url": query(view=value), "current": value == view}
                for value, label in VIEW_TABS
            ],
            "sort_tabs": [
                {
                    "label": label,
                    "url": query(sort="" if value == "active" else value),
                    "current": value == sort,
                }
                for value, label in SORT_TABS
            ],
            "previous_url": query(page=page.previous_page_number) if page.has_previous else "",
            "next_url": query(page=page.next_page_number) if page.has_next else "",
            "first_url": query(),
            "network_countries": selectors.NETWORK_COUNTRIES,
            "can_write": members,
            "sees_members_only": members,
        },
        request=request,
    )


@require_GET
def thread_list(request):
    return _listing(request)


@require_GET
def topic(request, slug: str):
    return _listing(request, topic_slug=slug)


@require_GET
def country(request, code: str):
    if code not in selectors.NETWORK_COUNTRIES:
        raise Http404
    return _listing(request, country=code)


@member_required
@require_GET
@never_cache
def people(request):
    """The people picker's answer: whom a post may mention, as JSON. Names, organisations and
    countries only, as the directory shows members to members; never an address."""
    if not can_write(request.user):
        raise Http404
    found = selectors.people_mentionable(query=request.GET.get("q", "")[:100])
    return JsonResponse(
        {
            "results": [
                {
                    "kind": person.kind,
                    "id": person.pk,
                    "name": person.name,
                    "organisation": person.organisation,
                    "country": person.country,
                    "detail": ", ".join(filter(None, (person.organisation, person.country)))
                    if person.kind == "member"
                    else _("Expert of the roster"),
                    "token": person.token,
                }
                for person in found
            ],
            "label": _("People to mention"),
            # For screen readers: the list's size, read out as it changes.
            "status": ngettext("%(count)d person found", "%(count)d people found", len(found))
            % {"count": len(found)}
            if found
            else _("Nobody found by that name"),
        }
    )

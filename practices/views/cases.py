"""Reading cases: the list with its filters, and one case's page.

The list is public: who is looking decides only whether members-only cases are in it
(practices.visibility.cases_visible_to). A case's page opens as practices.visibility.case_readable
says; anonymous visitors are sent to log in and applicants to their account page when a
members-only case is not theirs to read, as members.permissions.member_required does.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET

from members.enums import MembershipStatus
from members.permissions import is_member
from mirpal.countries import Country
from mirpal.fragments import cached_fragment
from mirpal.widgets import FastSelect
from practices import selectors
from practices.asking import case_contacts
from practices.enums import CaseStatus
from practices.models import CASE_COUNTRIES, CASE_TEXT_FIELDS, Case
from practices.visibility import can_propose, can_review, case_readable

PER_PAGE = 20
# Deeper than anyone pages by hand; an offset past it would only make the database walk.
MAX_PAGE = 500
QUERY_MAX = 200
# The other cases a case's page offers to compare it with.
COMPARE_OFFERED = 30

ANY = [("", pgettext_lazy("filter", "Any"))]

# What each text of a case is called where it is shown (the form asks in the same order).
CASE_FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "summary": gettext_lazy("Summary"),
    "problem": gettext_lazy("Problem addressed"),
    "measure": gettext_lazy("What was done"),
    "legal_basis": gettext_lazy("Legal or policy basis"),
    "institutions": gettext_lazy("Institutions involved"),
    "scale": gettext_lazy("Scale"),
    "cost": gettext_lazy("Cost"),
    "results": gettext_lazy("Results"),
    "results_source": gettext_lazy("Source of the results"),
    "lessons": gettext_lazy("Before copying it"),
}
assert list(CASE_FIELD_LABELS) == CASE_TEXT_FIELDS


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Words"),
        required=False,
        max_length=QUERY_MAX,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    topic = forms.ChoiceField(label=gettext_lazy("Topic"), required=False, widget=FastSelect)
    country = forms.ChoiceField(
        label=gettext_lazy("Country"),
        required=False,
        choices=ANY + CASE_COUNTRIES,
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status of the measure"),
        required=False,
        choices=ANY + list(CaseStatus.choices),
        widget=FastSelect,
    )

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = ANY + [(topic.slug, topic.name) for topic in topics]

    def value(self, name: str) -> str:
        """The cleaned value of one field; a wrong value of one filter drops only that filter."""
        self.is_valid()
        return self.cleaned_data.get(name) or ""


def page_number(raw) -> int:
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def years_label(case: Case) -> str:
    """“2019–2022”, “since 2019”, “until 2022” or “”."""
    if case.year_from and case.year_to:
        return f"{case.year_from}–{case.year_to}"
    if case.year_from:
        return gettext("since %(year)s") % {"year": case.year_from}
    if case.year_to:
        return gettext("until %(year)s") % {"year": case.year_to}
    return ""


def country_labels(codes) -> list[str]:
    """The countries' names in the order of the nine (the Country enum)."""
    labels = dict(Country.choices)
    order = {code: index for index, code in enumerate(labels)}
    return [str(labels.get(code, code)) for code in sorted(codes, key=lambda c: order.get(c, 99))]


@require_GET
def case_list(request):
    topics = list(selectors.topics_shown())
    form = CaseFilterForm(request.GET, topics=topics)
    topic_slug = form.value("topic")
    topic = next((shown for shown in topics if shown.slug == topic_slug), None)
    country, status, words = form.value("country"), form.value("status"), form.value("q")
    member = is_member(request.user)

    def body() -> str:
        return _list_body(
            request, topics=topics, topic=topic, country=country, status=status, words=words,
            member=member,
        )  # fmt: skip

    # The same for every viewer of one language, address and audience (members, or everyone
    # else): from the cache until a case, a collection or their links change.
    cached_body = cached_fragment(
        request,
        "practices:list",
        scopes=["practices"],
        variant="members" if member else "public",
        render=body,
    )
    return render(
        request,
        "practices/list.html",
        {
            "body": cached_body,
            "sees_members_only": member,
            "can_propose": can_propose(request.user),
        },
    )


def _list_body(request, *, topics, topic, country, status, words, member) -> str:
    cases = selectors.case_list(
        user=request.user, topic=topic, country=country, status=status, query=words, member=member
    )
    page = selectors.case_page(
        cases, number=page_number(request.GET.get("page")), per_page=PER_PAGE
    )
    for case in page:
        case.country_names = country_labels(case.countries)
        case.years = years_label(case)
    kept = {"q": words, "topic": topic.slug if topic else "", "country": country, "status": status}

    def query(**changes) -> str:
        params = {name: value for name, value in {**kept, **changes}.items() if value}
        return "?" + urlencode(params) if params else "?"

    return render_to_string(
        "practices/_list_body.html",
        {
            "page": page,
            "form": CaseFilterForm(initial=kept, topics=topics),
            "topic": topic,
            "previous_url": query(page=page.previous_page_number) if page.has_previous else "",
            "next_url": query(page=page.next_page_number) if page.has_next else "",
            "first_url": query(),
            "filtered": any(kept.values()),
            "sees_members_only": member,
        },
    )


def _text_fields(case: Case) -> list[dict]:
    """Each text of the case in the active language, or in the other where it has none (its
    `lang` says which), empty ones left out; the title is the page's heading."""
    active = "ru" if translation.get_language() == "ru" else "en"
    other = "en" if active == "ru" else "ru"
    shown = []
    for name in CASE_TEXT_FIELDS[1:]:
        own = getattr(case, f"{name}_{active}")
        text = own or getattr(case, f"{name}_{other}")
        if text:
            shown.append(
                {
                    "name": name,
                    "label": CASE_FIELD_LABELS[name],
                    "text": text,
                    "lang": active if own else other,
                    "fallback": not own,
                }
            )
    return shown


def _contacts(case: Case, *, member: bool) -> dict:
    """The case's contact people as its page shows them: members by name (with a link to their
    directory entry, for members) or, to everyone else, only how many there are; experts of the
    public roster with a link to their page."""
    members = []
    for user in case.contact_members.all():
        profile = getattr(user, "profile", None)
        listed = (
            profile is not None
            and profile.status == MembershipStatus.APPROVED
            and profile.listed_in_directory
        )
        members.append(
            {
                "name": user.get_full_name() or str(profile or ""),
                "organisation": profile.organisation if profile else "",
                "country": country_labels([profile.country])[0]
                if profile and profile.country
                else "",
                "url": reverse("members:detail", args=[profile.pk]) if listed and member else "",
            }
        )
    experts = [expert for expert in case.contact_experts.all() if expert.is_listed]
    return {"members": members if member else [], "member_count": len(members), "experts": experts}


def _refusal(request, case: Case):
    if case.is_published:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return redirect("members:account")
    raise Http404


@require_GET
def case_detail(request, slug: str):
    try:
        case = selectors.case_detail(slug=slug, user=request.user)
    except Case.DoesNotExist as missing:
        raise Http404 from missing
    if not case_readable(case=case, user=request.user):
        return _refusal(request, case)
    member = is_member(request.user)
    topics = list(case.topics.all())
    others = []
    if case.is_published:
        others = selectors.cases_to_compare_with(case=case, user=request.user, topics=topics)[
            :COMPARE_OFFERED
        ]
    contacts = _contacts(case, member=member)
    return render(
        request,
        "practices/case_detail.html",
        {
            "case": case,
            "topics": topics,
            "country_names": country_labels(case.countries),
            "years": years_label(case),
            "fields": _text_fields(case),
            "contacts": contacts,
            "reachable": bool(case_contacts(case)),
            "documents": list(case.documents.all()),
            "events": list(case.events.all()),
            "threads": list(case.threads.all()),
            "others": others,
            "viewer_is_member": member,
            "can_ask": member and case.is_published,
            "is_reviewer": can_review(request.user),
        },
    )

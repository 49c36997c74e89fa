"""Reads of the proposals part, with their prefetching: a call's proposals filtered and ordered,
one proposal with what its page shows, the breadth of its support, and a member's supports."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from members.enums import OrganisationType
from mirpal.countries import Country
from programme.enums import ProposalState
from programme.models import Call, Comment, Proposal, StateChange, Support
from programme.visibility import calls_readable_by

ORDER_SUPPORTED = "supported"
ORDER_NEWEST = "newest"
ORDERS = [
    (ORDER_SUPPORTED, pgettext_lazy("proposals order", "Most supported")),
    (ORDER_NEWEST, pgettext_lazy("proposals order", "Newest")),
]
# States a proposal takes supports in.
SUPPORTABLE = (ProposalState.SUBMITTED, ProposalState.EVALUATING)


def call_for_list(*, user, year: int | None = None) -> Call | None:
    """The call a proposals page shows: the year's, else the open one, else the latest; only
    among the calls this person may read."""
    calls = calls_readable_by(user)
    if year is not None:
        return calls.filter(year=year).first()
    now = timezone.now()
    return (
        calls.filter(opens_at__lte=now, closes_at__gt=now).order_by("-year").first()
        or calls.order_by("-year").first()
    )


def call_open_now() -> Call | None:
    now = timezone.now()
    return Call.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("-year").first()


def proposal_list(
    *,
    call: Call,
    topic: str = "",
    country: str = "",
    activity_kind: str = "",
    state: str = "",
    order: str = ORDER_SUPPORTED,
) -> QuerySet[Proposal]:
    """The call's proposals; merged ones only when asked for by their state (they live on in
    the proposal they went into). Two queries whatever their number: the rows with author and
    profile, and their topics."""
    proposals = Proposal.objects.filter(call=call)
    if state:
        proposals = proposals.filter(state=state)
    else:
        proposals = proposals.exclude(state=ProposalState.MERGED)
    if topic:
        proposals = proposals.filter(topics__slug=topic)
    if country:
        proposals = proposals.filter(countries__contains=[country])
    if activity_kind:
        proposals = proposals.filter(activity_kind=activity_kind)
    ordering = (
        ["-created_at", "-id"]
        if order == ORDER_NEWEST
        else ["-support_count", "-created_at", "-id"]
    )
    return (
        proposals.select_related("author__profile").prefetch_related("topics").order_by(*ordering)
    )


def proposal_for_page(*, pk: int) -> Proposal:
    """One proposal with what its page shows: call, author, topics, the activity it became, the
    proposal it went into, those merged into it, comments and history with their people."""
    return (
        Proposal.objects.select_related("call", "author__profile", "activity", "merged_into")
        .prefetch_related(
            "topics",
            Prefetch(
                "comments",
                queryset=Comment.objects.select_related("author__profile").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "history",
                queryset=StateChange.objects.select_related("actor").order_by("created_at", "id"),
            ),
            Prefetch("merged_proposals", queryset=Proposal.objects.order_by("pk")),
        )
        .get(pk=pk)
    )


def proposal_breadth(*, proposal: Proposal) -> dict[str, list[tuple[str, int]]]:
    """How widely a proposal is supported: supporters by country and by type of organisation,
    largest first, as (label, count); one query."""
    countries, types = {}, {}
    rows = (
        Support.objects.filter(proposal=proposal)
        .values_list("user__profile__country", "user__profile__organisation_type")
        .annotate(n=Count("id"))
        .order_by()
    )
    for country, organisation_type, n in rows:
        countries[country] = countries.get(country, 0) + n
        types[organisation_type] = types.get(organisation_type, 0) + n
    country_labels = dict(Country.choices)
    type_labels = dict(OrganisationType.choices)

    def ranked(figures, labels):
        return [
            (str(labels.get(key, key or "—")), n)
            for key, n in sorted(figures.items(), key=lambda item: (-item[1], str(item[0])))
        ]

    return {
        "countries": ranked(countries, country_labels),
        "organisation_types": ranked(types, type_labels),
    }


def proposal_supporters(*, proposal: Proposal) -> list:
    """The members who support it, by name (shown to members only)."""
    return [
        support.user
        for support in Support.objects.filter(proposal=proposal)
        .select_related("user__profile")
        .order_by("user__last_name", "user__first_name", "user_id")
    ]


def supports_used(*, call: Call, user) -> int:
    if not user.is_authenticated:
        return 0
    return Support.objects.filter(call=call, user=user).count()


def supports_remaining(*, call: Call, user) -> int:
    return max(settings.PROGRAMME_SUPPORTS_PER_YEAR - supports_used(call=call, user=user), 0)


def supported_ids(*, call: Call, user) -> set[int]:
    """The proposals of this call the member supports."""
    if not user.is_authenticated:
        return set()
    return set(Support.objects.filter(call=call, user=user).values_list("proposal_id", flat=True))

"""Reads for the expert roster and the request queue, with their prefetching."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries

from members.models import User
from members.roster.enums import ExpertRequestStatus, HelpKind
from members.roster.models import Expert, ExpertRequest, ExpertRequestNote
from members.selectors import topics_shown
from mirpal.languages import SpokenLanguage
from mirpal.models import Topic

CONTACTS_PERMISSION = "members.view_expert_contacts"
REQUESTS_PERMISSION = "members.handle_expert_requests"
EXPORT_PERMISSION = "members.export_roster"

# Contributions the apps above add by pointing a relation at Expert with these related names (a
# list shows on the expert's page when it has items). A related queryset may offer
# `visible_to(viewer)` to hide what the viewer may not see (draft events).
CONTRIBUTIONS = (
    ("events_spoken", _("Events they spoke at")),
    ("documents_written", _("Documents they wrote")),
    ("articles_written", _("Magazine articles they wrote")),
)
CONTRIBUTIONS_SHOWN = 50

# How much each kind of match weighs in the ranking for a request: a topic match outweighs the
# three others together, so the expert's field always comes first.
WEIGHT_TOPIC, WEIGHT_COUNTRY, WEIGHT_LANGUAGE, WEIGHT_HELP = 8, 4, 2, 1


def can_see_contacts(user) -> bool:
    return user.is_authenticated and user.has_perm(CONTACTS_PERMISSION)


def can_handle_requests(user) -> bool:
    return user.is_authenticated and user.has_perm(REQUESTS_PERMISSION)


@dataclass(frozen=True)
class RosterFilters:
    topic: str = ""
    country: str = ""
    language: str = ""
    help_kind: str = ""
    query: str = ""


def _name_order() -> list[str]:
    # By family name, as a reader of the page's language expects (members.name_order).
    if translation.get_language() == "ru":
        return ["sort_key_ru", "pk"]
    return ["sort_key_en", "pk"]


def roster_experts(*, filters: RosterFilters) -> QuerySet[Expert]:
    """Experts on the public roster, filtered, in alphabetical order of the page's language."""
    experts = (
        Expert.objects.filter(is_listed=True)
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("position", "slug")))
        .order_by(*_name_order())
    )
    if filters.topic:
        experts = experts.filter(topics__slug=filters.topic)
    if filters.country:
        experts = experts.filter(countries__contains=filters.country)
    if filters.language:
        experts = experts.filter(languages__contains=[filters.language])
    if filters.help_kind:
        experts = experts.filter(help_kinds__contains=[filters.help_kind])
    for word in filters.query.split()[:8]:
        experts = experts.filter(
            Q(name_en__icontains=word)
            | Q(name_ru__icontains=word)
            | Q(title_en__icontains=word)
            | Q(title_ru__icontains=word)
            | Q(affiliation_en__icontains=word)
            | Q(affiliation_ru__icontains=word)
            | Q(bio_en__icontains=word)
            | Q(bio_ru__icontains=word)
        )
    return experts


# What a card of the roster shows: the biographies and the contact details stay in the database.
ROSTER_CARD_FIELDS = (
    "id",
    "name_en",
    "name_ru",
    "photo",
    "title_en",
    "title_ru",
    "affiliation_en",
    "affiliation_ru",
    "countries",
    "languages",
    "help_kinds",
    "updated_at",
)


def roster_cards(*, filters: RosterFilters) -> QuerySet[Expert]:
    """The roster page's experts: as roster_experts, ordered by an index of the page's language
    (expert_sort_en_idx, expert_sort_ru_idx), with only the fields a card shows."""
    return (
        roster_experts(filters=filters)
        .only(*ROSTER_CARD_FIELDS)
        .prefetch_related(None)
        .prefetch_related(Prefetch("topics", queryset=topics_shown()))
    )


def expert_for_viewer(*, pk: int, viewer: User) -> Expert:
    """One expert's record; experts taken off the roster stay visible to the secretariat only."""
    experts = Expert.objects.select_related("user").prefetch_related("topics", "links")
    if not can_see_contacts(viewer):
        experts = experts.filter(is_listed=True)
    return experts.get(pk=pk)


@dataclass
class Contribution:
    accessor: str
    heading: str
    items: list = field(default_factory=list)


def expert_contributions(*, expert: Expert, viewer: User) -> list[Contribution]:
    """The expert's talks, documents and articles, one list for each relation in CONTRIBUTIONS."""
    found = []
    for accessor, heading in CONTRIBUTIONS:
        items = getattr(expert, accessor).all()
        if hasattr(items, "visible_to"):
            items = items.visible_to(viewer)
        found.append(Contribution(accessor, str(heading), list(items[:CONTRIBUTIONS_SHOWN])))
    return found


def roster_filter_topics() -> list[Topic]:
    return list(topics_shown())


def roster_export_rows():
    """Every expert, listed or not, with what the CSV export needs; one query per relation."""
    return (
        Expert.objects.prefetch_related("topics", "links")
        .select_related("user")
        .order_by("name_en", "pk")
    )


def expert_requests_of(*, user: User) -> QuerySet[ExpertRequest]:
    return (
        ExpertRequest.objects.filter(requester=user)
        .select_related("topic", "matched_expert")
        .order_by("-created_at", "-pk")
    )


def expert_request_queue(*, status: str = "") -> QuerySet[ExpertRequest]:
    """Open requests first (new, then in review), oldest first within each state."""
    requests = ExpertRequest.objects.select_related("topic", "matched_expert", "requester__profile")
    if status:
        requests = requests.filter(status=status)
    order = Case(
        *(
            When(status=value, then=Value(index))
            for index, value in enumerate(
                [
                    ExpertRequestStatus.NEW,
                    ExpertRequestStatus.IN_REVIEW,
                    ExpertRequestStatus.MATCHED,
                    ExpertRequestStatus.DECLINED,
                    ExpertRequestStatus.DONE,
                ]
            )
        ),
        output_field=IntegerField(),
    )
    return requests.order_by(order, "created_at", "pk")


def expert_request_for_viewer(*, pk: int, viewer: User) -> ExpertRequest:
    """A request, for its requester or for the secretariat; anyone else gets DoesNotExist."""
    requests = ExpertRequest.objects.select_related("topic", "matched_expert", "requester__profile")
    if not can_handle_requests(viewer):
        requests = requests.filter(requester=viewer)
    return requests.get(pk=pk)


def expert_request_history(*, request: ExpertRequest, viewer: User) -> list[ExpertRequestNote]:
    notes = request.notes.select_related("author", "expert").order_by("created_at", "pk")
    if not can_handle_requests(viewer):
        notes = notes.filter(internal=False)
    return list(notes)


@dataclass(frozen=True)
class RankedExpert:
    expert: Expert
    score: int
    reasons: list[str]


def expert_request_ranking(*, request: ExpertRequest, limit: int = 30) -> list[RankedExpert]:
    """The roster ranked by how well each expert fits the request, with the reasons why.

    Topic, country of experience, language and kind of help each add their weight; experts who
    match on nothing are left out. Countries in common break ties. One query, plus the topics.
    """
    through = Expert.topics.through
    codes = list(request.countries)
    country_any = Q(pk__in=[])
    country_count = Value(0)
    for country in codes:
        code = getattr(country, "code", country)
        country_any |= Q(countries__contains=code)
        country_count = country_count + Case(
            When(countries__contains=code, then=Value(1)), default=Value(0)
        )
    experts = (
        Expert.objects.annotate(
            topic_match=Exists(
                through.objects.filter(expert_id=OuterRef("pk"), topic_id=request.topic_id)
            ),
            countries_common=country_count,
            language_match=Case(
                When(languages__contains=[request.language], then=Value(1)), default=Value(0)
            ),
            help_match=Case(
                When(help_kinds__contains=[request.help_kind], then=Value(1)), default=Value(0)
            ),
        )
        .annotate(
            score=Case(When(topic_match=True, then=Value(WEIGHT_TOPIC)), default=Value(0))
            + Case(When(country_any, then=Value(WEIGHT_COUNTRY)), default=Value(0))
            + WEIGHT_LANGUAGE * F("language_match")
            + WEIGHT_HELP * F("help_match")
        )
        .filter(score__gt=0)
        .prefetch_related("topics")
        .order_by("-score", "-countries_common", *_name_order())[:limit]
    )
    ranked = []
    for expert in experts:
        reasons = []
        if expert.topic_match:
            reasons.append(str(_("Field: %(topic)s") % {"topic": request.topic.name}))
        if expert.countries_common:
            common = [country.name for country in expert.countries if country.code in _codes(codes)]
            reasons.append(str(_("Knows: %(countries)s") % {"countries": ", ".join(common)}))
        if expert.language_match:
            reasons.append(
                str(_("Speaks %(language)s") % {"language": SpokenLanguage(request.language).label})
            )
        if expert.help_match:
            reasons.append(str(_("Offers: %(kind)s") % {"kind": HelpKind(request.help_kind).label}))
        ranked.append(RankedExpert(expert=expert, score=expert.score, reasons=reasons))
    return ranked


def _codes(countries) -> set[str]:
    return {getattr(country, "code", country) for country in countries}


def country_choices() -> list[tuple[str, str]]:
    """Every country, named in the active language, for the roster's filter."""
    return [(code, name) for code, name in all_countries]

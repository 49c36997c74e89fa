"""Output shapes of the good-practice and work-programme endpoints. Public fields only, field by
field: a case's contact members, its review and its proposer, a collection's author and the
programme's proposals are in none of them."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import TopicSerializer, site_url
from events.enums import EventStatus
from library.enums import Access
from mirpal.bilingual import localized
from practices.enums import CaseStatus, ItemKind, ReviewState, Visibility
from practices.models import CASE_COUNTRIES, ITEM_TARGETS
from programme.enums import ActivityKind, ActivityStatus
from programme.models import NETWORK_COUNTRIES


class EventLinkSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, event) -> str:
        return site_url(event.get_absolute_url())


class DocumentLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document) -> str:
        return site_url(document.get_absolute_url())


class CaseLinkSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, case) -> str:
        return site_url(case.get_absolute_url())


class ContactSerializer(serializers.Serializer):
    """A contact from the public expert roster: the name and the roster entry, nothing else."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, expert) -> str:
        return site_url(expert.get_absolute_url())


class CaseSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title_en = serializers.CharField()
    title_ru = serializers.CharField()
    summary_en = serializers.CharField()
    summary_ru = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    countries = serializers.ListField(child=serializers.ChoiceField(choices=CASE_COUNTRIES))
    topics = TopicSerializer(many=True, source="topics.all")
    year_from = serializers.IntegerField(allow_null=True)
    year_to = serializers.IntegerField(
        allow_null=True, help_text="Empty while the measure runs (or when not known)."
    )
    published_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, case) -> str:
        return site_url(case.get_absolute_url())


class CaseDetailSerializer(CaseSerializer):
    """Every text of the case in both languages, in the order the case form asks for them."""

    problem_en = serializers.CharField()
    problem_ru = serializers.CharField()
    measure_en = serializers.CharField()
    measure_ru = serializers.CharField()
    legal_basis_en = serializers.CharField()
    legal_basis_ru = serializers.CharField()
    institutions_en = serializers.CharField()
    institutions_ru = serializers.CharField()
    scale_en = serializers.CharField()
    scale_ru = serializers.CharField()
    cost_en = serializers.CharField()
    cost_ru = serializers.CharField()
    results_en = serializers.CharField()
    results_ru = serializers.CharField()
    results_source_en = serializers.CharField()
    results_source_ru = serializers.CharField()
    lessons_en = serializers.CharField()
    lessons_ru = serializers.CharField()
    documents = DocumentLinkSerializer(
        many=True, source="documents.all", help_text="Its public library documents."
    )
    events = EventLinkSerializer(
        many=True, source="events.all", help_text="Where it was presented."
    )
    contacts = ContactSerializer(
        many=True,
        source="contact_experts.all",
        help_text="Experts of the public roster who can be asked about it.",
    )


class CollectionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title_en = serializers.CharField()
    title_ru = serializers.CharField()
    introduction_en = serializers.CharField()
    introduction_ru = serializers.CharField()
    countries = serializers.ListField(child=serializers.ChoiceField(choices=CASE_COUNTRIES))
    topics = TopicSerializer(many=True, source="topics.all")
    published_at = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, collection) -> str:
        return site_url(collection.get_absolute_url())


class ItemTargetSerializer(serializers.Serializer):
    title = serializers.CharField(
        help_text="In the answer's language where the target has both; a magazine article or a "
        "discussion has one title, in the language it is written in."
    )
    title_en = serializers.CharField(help_text="Empty for a target with a single title.")
    title_ru = serializers.CharField(help_text="Empty for a target with a single title.")
    url = serializers.URLField()


def _target_data(item) -> dict | None:
    column = ITEM_TARGETS.get(item.kind)
    if column is None:
        return None
    target = getattr(item, column)
    if item.kind == ItemKind.ARTICLE:
        path = reverse("library:article", args=[target.pk])
        return {"title": target.title, "title_en": "", "title_ru": "", "url": site_url(path)}
    if item.kind == ItemKind.DISCUSSION:
        return {
            "title": target.title,
            "title_en": "",
            "title_ru": "",
            "url": site_url(target.get_absolute_url()),
        }
    field = "name" if item.kind == ItemKind.EXPERT else "title"
    return {
        "title": localized(target, field),
        "title_en": getattr(target, f"{field}_en"),
        "title_ru": getattr(target, f"{field}_ru"),
        "url": site_url(target.get_absolute_url()),
    }


class CollectionItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ItemKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    note_en = serializers.CharField()
    note_ru = serializers.CharField()
    target = serializers.SerializerMethodField(
        help_text="What the item points at; null for a note."
    )

    @extend_schema_field(ItemTargetSerializer(allow_null=True))
    def get_target(self, item) -> dict | None:
        return _target_data(item)


class CollectionDetailSerializer(CollectionSerializer):
    items = CollectionItemSerializer(
        many=True,
        source="public_items",
        help_text="In the collection's order; items pointing at what is not public are left out.",
    )


def _public_event(activity):
    event = activity.event
    return event if event is not None and event.status != EventStatus.DRAFT else None


def _public_document(activity):
    document = activity.document
    return document if document is not None and document.access == Access.PUBLIC else None


def _public_case(activity):
    case = activity.case
    public = (
        case is not None
        and case.review_state == ReviewState.PUBLISHED
        and case.visibility == Visibility.PUBLIC
    )
    return case if public else None


class ActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    status = serializers.ChoiceField(choices=ActivityStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    title_en = serializers.CharField()
    title_ru = serializers.CharField()
    description_en = serializers.CharField()
    description_ru = serializers.CharField()
    countries = serializers.ListField(child=serializers.ChoiceField(choices=NETWORK_COUNTRIES))
    topics = TopicSerializer(many=True, source="topics.all")
    event = serializers.SerializerMethodField(help_text="The event it became, once published.")
    document = serializers.SerializerMethodField(help_text="The public document it produced.")
    case = serializers.SerializerMethodField(help_text="The public good-practice case it produced.")
    url = serializers.SerializerMethodField(help_text="The year's programme page.")

    @extend_schema_field(EventLinkSerializer(allow_null=True))
    def get_event(self, activity) -> dict | None:
        event = _public_event(activity)
        return None if event is None else EventLinkSerializer(event).data

    @extend_schema_field(DocumentLinkSerializer(allow_null=True))
    def get_document(self, activity) -> dict | None:
        document = _public_document(activity)
        return None if document is None else DocumentLinkSerializer(document).data

    @extend_schema_field(CaseLinkSerializer(allow_null=True))
    def get_case(self, activity) -> dict | None:
        case = _public_case(activity)
        return None if case is None else CaseLinkSerializer(case).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, activity) -> str:
        return site_url(reverse("programme:year", kwargs={"year": activity.year}))

"""/api/v1/cases/, /api/v1/collections/ and /api/v1/programme/activities/: read-only, public
data only (api.selectors_practices), with the keys, throttles, conditional answers and cached
lists every other read endpoint has (api.base)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from api import selectors_practices as selectors
from api import serializers_practices as out
from api.views import ReadViewSet, _detail_doc, _list_doc, _query
from mirpal.enums import ApiScope
from practices.enums import CaseStatus
from practices.models import CASE_COUNTRIES
from programme.enums import ActivityKind, ActivityStatus
from programme.models import NETWORK_COUNTRIES

# A partner key reads these only with their scope; without a key they are public, as the others.
CASES_SCOPE = ApiScope.READ_CASES
COLLECTIONS_SCOPE = ApiScope.READ_COLLECTIONS
PROGRAMME_SCOPE = ApiScope.READ_PROGRAMME


class CaseQuery(serializers.Serializer):
    country = serializers.ChoiceField(choices=CASE_COUNTRIES, required=False)
    topic = serializers.SlugField(required=False, help_text="A topic's slug (see /topics/).")
    status = serializers.ChoiceField(
        choices=CaseStatus.choices, required=False, help_text="Where the measure stands."
    )
    q = serializers.CharField(
        required=False, max_length=200, help_text="Words to find, in Russian or English."
    )


class CollectionQuery(serializers.Serializer):
    topic = serializers.SlugField(required=False)
    country = serializers.ChoiceField(choices=CASE_COUNTRIES, required=False)


class ActivityQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
    status = serializers.ChoiceField(choices=ActivityStatus.choices, required=False)
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)
    country = serializers.ChoiceField(choices=NETWORK_COUNTRIES, required=False)


class LinkedReadViewSet(ReadViewSet):
    """A detail made of more than its own row (documents, items, events): its Last-Modified
    would miss a change to those, so it is answered with its ETag alone."""

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.get_object()).data)


@extend_schema_view(
    list=_list_doc(
        "Good-practice cases, newest first (published and public ones)",
        out.CaseSerializer,
        CaseQuery,
        ["practices"],
    ),
    retrieve=_detail_doc(
        "One good-practice case with every text in both languages",
        out.CaseDetailSerializer,
        ["practices"],
    ),
)
class CaseViewSet(LinkedReadViewSet):
    required_scope = CASES_SCOPE
    # Topics' names: a topic's write renews "library" (library.apps).
    answer_scopes = ("practices", "library")
    answer_filters = CaseQuery
    lookup_field = "slug"
    lookup_is_number = False

    def get_serializer_class(self):
        return out.CaseDetailSerializer if self.action == "retrieve" else out.CaseSerializer

    def get_queryset(self):
        return selectors.api_cases(**_query(CaseQuery, self.request))

    def lookup(self, *, slug):
        return selectors.api_case(slug=slug)


@extend_schema_view(
    list=_list_doc(
        "The secretariat's collections, newest first (published and public ones)",
        out.CollectionSerializer,
        CollectionQuery,
        ["practices"],
    ),
    retrieve=_detail_doc(
        "One collection with its public items in order",
        out.CollectionDetailSerializer,
        ["practices"],
    ),
)
class CollectionViewSet(LinkedReadViewSet):
    required_scope = COLLECTIONS_SCOPE
    answer_scopes = ("practices", "library")
    answer_filters = CollectionQuery
    lookup_field = "slug"
    lookup_is_number = False

    def get_serializer_class(self):
        if self.action == "retrieve":
            return out.CollectionDetailSerializer
        return out.CollectionSerializer

    def get_queryset(self):
        return selectors.api_collections(**_query(CollectionQuery, self.request))

    def lookup(self, *, slug):
        return selectors.api_collection(slug=slug)


@extend_schema_view(
    list=_list_doc(
        "Activities of the published work programmes, by year and quarter",
        out.ActivitySerializer,
        ActivityQuery,
        ["programme"],
    ),
    retrieve=_detail_doc("One programme activity", out.ActivitySerializer, ["programme"]),
)
class ActivityViewSet(LinkedReadViewSet):
    required_scope = PROGRAMME_SCOPE
    # What an activity links to (an event, a document, a case) is shown only while public.
    answer_scopes = ("programme", "events", "library", "practices")
    answer_filters = ActivityQuery
    serializer_class = out.ActivitySerializer
    lookup_field = "pk"

    def list(self, request, *args, **kwargs):
        # No Last-Modified: publishing a year's programme brings in activities older than it.
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_queryset(self):
        return selectors.api_activities(**_query(ActivityQuery, self.request))

    def lookup(self, *, pk):
        return selectors.api_activities().get(pk=pk)

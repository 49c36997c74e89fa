"""The /api/v1/ endpoints. Thin: parameters are validated by a serializer, reads come from
api.selectors, writes go through the events services and mirpal.apikeys."""

from __future__ import annotations

import math

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api import selectors
from api import serializers as out
from api.base import (
    ERRORS,
    NOT_MODIFIED,
    PUBLIC_AUTH,
    READ_ERRORS,
    ApiViewMixin,
    documented,
)
from api.permissions import (
    MemberRequired,
    PartnerRequired,
    partner_key,
    sees_members_content,
)
from events.enums import EventKind
from events.selectors import EventFilters, event_next_end, member_registrations
from events.services import EventError, registration_cancel, registration_respond
from library.enums import ARTICLE_KIND, DocumentKind
from library.search import SearchFilters, library_search
from members.roster.enums import HelpKind
from members.roster.selectors import RosterFilters
from mirpal.apikeys import personal_token_rotate, personal_tokens_revoke
from mirpal.countries import Country
from mirpal.enums import ApiScope
from mirpal.languages import SpokenLanguage
from mirpal.models import ApiKey, WebhookEndpoint
from mirpal.outbound import OutboundError
from mirpal.webhooks import webhook_endpoint_create, webhook_endpoint_delete


class EventQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EventKind.choices, required=False)
    topic = serializers.SlugField(required=False, help_text="A topic's slug (see /topics/).")
    country = serializers.ChoiceField(choices=Country.choices, required=False)
    language = serializers.ChoiceField(choices=SpokenLanguage.choices, required=False)
    when = serializers.ChoiceField(
        choices=["upcoming", "past", "all"], required=False, default="upcoming"
    )
    starts_after = serializers.DateField(required=False, help_text="Starting on or after.")
    starts_before = serializers.DateField(required=False, help_text="Starting on or before.")


class ExpertQuery(serializers.Serializer):
    topic = serializers.SlugField(required=False)
    country = serializers.ChoiceField(choices=Country.choices, required=False)
    language = serializers.ChoiceField(choices=SpokenLanguage.choices, required=False)
    help_kind = serializers.ChoiceField(choices=HelpKind.choices, required=False)
    q = serializers.CharField(required=False, max_length=200, help_text="Words in names or bios.")


class DocumentQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False)
    topic = serializers.SlugField(required=False)
    country = serializers.ChoiceField(choices=Country.choices, required=False)
    language = serializers.ChoiceField(choices=SpokenLanguage.choices, required=False)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2200)


class SearchQuery(DocumentQuery):
    q = serializers.CharField(
        required=False,
        max_length=200,
        allow_blank=True,
        help_text="Words to find, in Russian or English.",
    )
    kind = serializers.ChoiceField(
        choices=[*DocumentKind.choices, (ARTICLE_KIND, "Magazine article")], required=False
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=10_000, default=1)


class ArticleQuery(serializers.Serializer):
    issue = serializers.IntegerField(required=False, min_value=1, max_value=32767)
    topic = serializers.SlugField(required=False)


def _query(serializer_class, request) -> dict:
    # A plain dict, so that an empty value is refused like any other bad one (a QueryDict gets
    # HTML-form leniency: empty means absent).
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class ReadViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """A public collection: paginated list and detail, conditional and cacheable."""

    lookup_value_regex = r"[^/]+"
    lookup_is_number = True

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        self.note_modified(getattr(item, "updated_at", None) for item in page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        item = self.get_object()
        self.note_modified([getattr(item, "updated_at", None)])
        return Response(self.get_serializer(item).data)

    def get_object(self):
        value = self.kwargs[self.lookup_field]
        if self.lookup_is_number:
            value = _number_or_404(value)
        try:
            return self.lookup(**{self.lookup_field: value})
        except ObjectDoesNotExist as error:
            raise Http404 from error


def _number_or_404(value: str) -> int:
    """Path numbers are matched loosely so that a bad one gets a JSON 404, not Django's page."""
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


def _list_doc(summary, serializer, query, tags):
    return documented(
        summary=summary,
        parameters=[query],
        responses={200: serializer(many=True), **READ_ERRORS, 404: ERRORS[404], **NOT_MODIFIED},
        tags=tags,
        auth=PUBLIC_AUTH,
    )


def _detail_doc(summary, serializer, tags):
    return documented(
        summary=summary,
        responses={200: serializer, **READ_ERRORS, 404: ERRORS[404], **NOT_MODIFIED},
        tags=tags,
        auth=PUBLIC_AUTH,
    )


@extend_schema_view(
    list=_list_doc("Events: upcoming by default", out.EventSerializer, EventQuery, ["events"]),
    retrieve=_detail_doc(
        "One event with its speakers and agenda", out.EventDetailSerializer, ["events"]
    ),
)
class EventViewSet(ReadViewSet):
    required_scope = ApiScope.READ_EVENTS
    answer_scopes = ("events",)
    answer_filters = EventQuery
    lookup_field = "slug"
    lookup_is_number = False

    def answer_seconds(self) -> int:
        seconds = super().answer_seconds()
        if self.request.query_params.get("when") == "all":
            return seconds
        # Coming and past events change by the clock alone when an event ends.
        next_end = event_next_end()
        if next_end is None:
            return seconds
        return max(1, min(seconds, math.ceil((next_end - timezone.now()).total_seconds())))

    def get_serializer_class(self):
        return out.EventDetailSerializer if self.action == "retrieve" else out.EventSerializer

    def get_queryset(self):
        query = _query(EventQuery, self.request)
        filters = EventFilters(
            kind=query.get("kind", ""),
            topic=query.get("topic", ""),
            country=query.get("country", ""),
            language=query.get("language", ""),
        )
        return selectors.api_events(
            filters=filters,
            when=query["when"],
            starts_after=query.get("starts_after"),
            starts_before=query.get("starts_before"),
        )

    def lookup(self, *, slug):
        return selectors.api_event(slug=slug)


@extend_schema_view(
    list=_list_doc("The public expert roster", out.ExpertSerializer, ExpertQuery, ["experts"]),
    retrieve=_detail_doc("One expert's public entry", out.ExpertSerializer, ["experts"]),
)
class ExpertViewSet(ReadViewSet):
    required_scope = ApiScope.READ_EXPERTS
    answer_scopes = ("roster",)
    answer_filters = ExpertQuery
    serializer_class = out.ExpertSerializer
    lookup_field = "pk"

    def get_queryset(self):
        query = _query(ExpertQuery, self.request)
        filters = RosterFilters(
            topic=query.get("topic", ""),
            country=query.get("country", ""),
            language=query.get("language", ""),
            help_kind=query.get("help_kind", ""),
            query=query.get("q", ""),
        )
        return selectors.api_experts(filters=filters)

    def lookup(self, *, pk):
        return selectors.api_experts(filters=RosterFilters()).get(pk=pk)


@extend_schema_view(
    list=documented(
        summary="The shared topic list",
        responses={200: out.TopicSerializer(many=True), **READ_ERRORS, **NOT_MODIFIED},
        tags=["reference"],
        auth=PUBLIC_AUTH,
    ),
)
class TopicViewSet(ApiViewMixin, viewsets.GenericViewSet):
    serializer_class = out.TopicSerializer
    # Every app whose lists show topics renews its scope when a topic changes.
    answer_scopes = ("library",)
    pagination_class = None

    def list(self, request):
        return Response(self.get_serializer(selectors.api_topics(), many=True).data)


@extend_schema_view(
    list=documented(
        summary="The countries of the network",
        responses={200: out.CountrySerializer(many=True), **READ_ERRORS, **NOT_MODIFIED},
        tags=["reference"],
        auth=PUBLIC_AUTH,
    ),
)
class CountryViewSet(ApiViewMixin, viewsets.GenericViewSet):
    serializer_class = out.CountrySerializer
    answer_scopes = ()  # fixed in the code: the language alone changes the answer
    pagination_class = None

    def list(self, request):
        rows = [{"code": code, "name": str(name)} for code, name in Country.choices]
        return Response(self.get_serializer(rows, many=True).data)


@extend_schema_view(
    list=documented(
        summary="Magazine issues, newest first",
        responses={
            200: out.IssueSerializer(many=True),
            **READ_ERRORS,
            404: ERRORS[404],
            **NOT_MODIFIED,
        },
        tags=["library"],
        auth=PUBLIC_AUTH,
    ),
    retrieve=_detail_doc("One issue with its articles", out.IssueDetailSerializer, ["library"]),
)
class IssueViewSet(ReadViewSet):
    required_scope = ApiScope.READ_LIBRARY
    answer_scopes = ("library",)
    lookup_field = "number"

    def get_serializer_class(self):
        return out.IssueDetailSerializer if self.action == "retrieve" else out.IssueSerializer

    def get_queryset(self):
        return selectors.api_issues()

    def lookup(self, *, number):
        return selectors.api_issue(number=number)


@extend_schema_view(
    list=_list_doc("Magazine articles", out.ArticleSerializer, ArticleQuery, ["library"]),
    retrieve=_detail_doc("One magazine article", out.ArticleSerializer, ["library"]),
)
class ArticleViewSet(ReadViewSet):
    required_scope = ApiScope.READ_LIBRARY
    answer_scopes = ("library",)
    answer_filters = ArticleQuery
    serializer_class = out.ArticleSerializer
    lookup_field = "pk"

    def get_queryset(self):
        query = _query(ArticleQuery, self.request)
        return selectors.api_articles(issue=query.get("issue"), topic=query.get("topic", ""))

    def lookup(self, *, pk):
        return selectors.api_articles().get(pk=pk)


@extend_schema_view(
    list=_list_doc(
        "Documents, newest first (members-only ones for members only)",
        out.DocumentSerializer,
        DocumentQuery,
        ["library"],
    ),
    retrieve=_detail_doc("One document", out.DocumentSerializer, ["library"]),
)
class DocumentViewSet(ReadViewSet):
    required_scope = ApiScope.READ_LIBRARY
    answer_scopes = ("library",)
    answer_filters = DocumentQuery
    serializer_class = out.DocumentSerializer
    lookup_field = "pk"

    def get_queryset(self):
        query = _query(DocumentQuery, self.request)
        return selectors.api_documents(member=sees_members_content(self.request), **query)

    def lookup(self, *, pk):
        return selectors.api_documents(member=sees_members_content(self.request)).get(pk=pk)


@extend_schema_serializer(many=False)
class SearchPage(serializers.Serializer):
    count = serializers.IntegerField(
        help_text="Matches counted: exact, or a lower bound when count_capped is true."
    )
    count_capped = serializers.BooleanField(
        help_text="True when more matches exist than the search counts and ranks (1,000 by "
        "default): count is then a lower bound and the pages hold the newest matches and the "
        "newest with the words in their title or abstract, best first."
    )
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = out.SearchEntrySerializer(many=True)


@extend_schema_view(
    list=documented(
        summary="Full-text search over documents and magazine articles, best match first",
        parameters=[SearchQuery],
        responses={200: SearchPage, **READ_ERRORS, **NOT_MODIFIED},
        tags=["library"],
        auth=PUBLIC_AUTH,
    ),
)
class SearchViewSet(ApiViewMixin, viewsets.GenericViewSet):
    required_scope = ApiScope.READ_LIBRARY
    answer_scopes = ("library",)
    answer_filters = SearchQuery
    serializer_class = SearchPage
    pagination_class = None

    def list(self, request):
        query = _query(SearchQuery, request)
        filters = SearchFilters(
            query=query.get("q", ""),
            kind=query.get("kind", ""),
            topic=query.get("topic", ""),
            country=query.get("country", ""),
            language=query.get("language", ""),
            year=query.get("year"),
        )
        outcome = library_search(
            filters=filters,
            member=sees_members_content(request),
            page_number=query["page"],
            with_facets=False,
        )
        page = outcome.page
        # As SearchPage would give it (the schema), without a serializer per entry.
        return Response(
            {
                "count": outcome.count,
                "count_capped": outcome.count_capped,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": [out.search_entry_data(entry) for entry in outcome.entries],
            }
        )


@extend_schema_view(
    list=documented(
        summary="My registrations (member session or personal token)",
        responses={200: out.RegistrationSerializer(many=True), **READ_ERRORS},
        tags=["me"],
    ),
    create=documented(
        summary="Register for an event (a place, or the wait list when full)",
        request=out.RegistrationCreateSerializer,
        responses={201: out.RegistrationSerializer, **READ_ERRORS, 404: ERRORS[404]},
        tags=["me"],
    ),
    destroy=documented(
        summary="Cancel my registration for this event",
        responses={204: OpenApiResponse(description="Cancelled."), **READ_ERRORS, 404: ERRORS[404]},
        tags=["me"],
    ),
)
class RegistrationViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [MemberRequired]
    serializer_class = out.RegistrationSerializer
    public_cache = False
    lookup_field = "event"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        return (
            member_registrations(user=self.request.user)
            .prefetch_related("event__topics", "event__speakers", "event__sessions__speakers")
            .select_related("event__series")
        )

    def _event(self, slug: str):
        try:
            return selectors.api_event(slug=slug)
        except ObjectDoesNotExist as error:
            raise Http404 from error

    def create(self, request):
        data = out.RegistrationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = self._event(data.validated_data["event"])
        try:
            result = registration_respond(event=event, user=request.user, going=True)
        except EventError as error:
            raise ValidationError({"non_field_errors": [error.message]}) from error
        registration = self.get_queryset().get(pk=result.registration.pk)
        return Response(self.get_serializer(registration).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, event=None):
        target = self._event(event)
        try:
            registration_cancel(event=target, user=request.user)
        except EventError as error:
            raise ValidationError({"non_field_errors": [error.message]}) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenViewSet(ApiViewMixin, viewsets.GenericViewSet):
    """A member's personal token, for scripts that read their own registrations."""

    permission_classes = [MemberRequired]
    serializer_class = out.PersonalTokenSerializer
    public_cache = False

    @documented(
        summary="Create a new personal token (the old ones stop working)",
        request=None,
        responses={201: out.PersonalTokenSerializer, **READ_ERRORS},
        tags=["me"],
    )
    def create(self, request):
        if isinstance(request.auth, ApiKey):
            raise ValidationError(
                {"non_field_errors": [_("Sign in on the site to create a personal token.")]}
            )
        key, raw = personal_token_rotate(user=request.user)
        data = {"token": raw, "prefix": key.prefix, "created_at": key.created_at}
        return Response(self.get_serializer(data).data, status=status.HTTP_201_CREATED)

    @documented(
        summary="Revoke my personal tokens",
        request=None,
        responses={204: OpenApiResponse(description="Revoked."), **READ_ERRORS},
        tags=["me"],
    )
    @action(detail=False, methods=["post"], url_path="revoke")
    def revoke(self, request):
        personal_tokens_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=documented(
        summary="My webhooks (partner key)",
        responses={200: out.WebhookSerializer(many=True), **READ_ERRORS},
        tags=["webhooks"],
    ),
    create=documented(
        summary="Register a webhook",
        request=out.WebhookSerializer,
        responses={201: out.WebhookSerializer, **READ_ERRORS},
        tags=["webhooks"],
    ),
    destroy=documented(
        summary="Remove a webhook",
        responses={204: OpenApiResponse(description="Removed."), **READ_ERRORS, 404: ERRORS[404]},
        tags=["webhooks"],
    ),
)
class WebhookViewSet(ApiViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Deliveries are POSTed as JSON with `X-Mirpal-Signature: sha256=<hex>`, the HMAC-SHA256 of
    `<X-Mirpal-Timestamp>.<body>` under the partner's webhook secret. The address must lead to the
    public internet (an address on a loopback, private, link-local or reserved network is refused
    with 400, and checked again at each delivery); a delivery must be answered with a 2xx within
    a few seconds, and redirects are not followed."""

    permission_classes = [PartnerRequired]
    serializer_class = out.WebhookSerializer
    public_cache = False
    pagination_class = None
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        return WebhookEndpoint.objects.filter(partner=partner_key(self.request).partner).order_by(
            "pk"
        )

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            endpoint = webhook_endpoint_create(
                partner=partner_key(request).partner,
                url=data.validated_data["url"],
                topics=data.validated_data["topics"],
            )
        except OutboundError as error:
            raise ValidationError({"url": [error.message]}) from error
        return Response(self.get_serializer(endpoint).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        endpoint = self.get_queryset().filter(pk=_number_or_404(pk)).first()
        if endpoint is None:
            raise Http404
        webhook_endpoint_delete(endpoint=endpoint)
        return Response(status=status.HTTP_204_NO_CONTENT)

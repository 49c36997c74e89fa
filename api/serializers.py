"""Output shapes of the API. Only public fields are listed here, field by field: join links,
passcodes, recordings, contact details and members' data are simply not in any serializer."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.enums import EventKind, EventStatus, RegistrationStatus
from events.selectors import join_link_access
from mirpal.countries import Country
from mirpal.enums import WebhookTopic
from mirpal.languages import SpokenLanguage


def site_url(path: str) -> str:
    return settings.SITE_URL + path


class TopicSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class CountrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SeriesSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()


class PersonSerializer(serializers.Serializer):
    """A speaker as the event page shows them: name, title and affiliation only."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()
    affiliation = serializers.CharField()


class SessionSerializer(serializers.Serializer):
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    speakers = PersonSerializer(many=True, source="speakers.all")


class EventSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    status = serializers.ChoiceField(choices=EventStatus.choices)
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    time_zone = serializers.CharField()
    countries = serializers.ListField(child=serializers.ChoiceField(choices=Country.choices))
    languages = serializers.ListField(child=serializers.ChoiceField(choices=SpokenLanguage.choices))
    interpretation = serializers.BooleanField()
    online = serializers.BooleanField(source="is_online")
    # In the request's language, as the title is: «Кишинёв» for a Russian reader.
    venue_city = serializers.CharField(source="venue_city_name")
    venue_country = serializers.CharField()
    topics = TopicSerializer(many=True, source="topics.all")
    series = SeriesSerializer(allow_null=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, event) -> str:
        return site_url(event.get_absolute_url())


class EventDetailSerializer(EventSerializer):
    description = serializers.CharField()
    venue_address = serializers.CharField()
    platform = serializers.CharField(source="get_platform_display")
    capacity = serializers.IntegerField(allow_null=True)
    registration_opens_at = serializers.DateTimeField(allow_null=True)
    registration_closes_at = serializers.DateTimeField(allow_null=True)
    cancellation_reason = serializers.CharField()
    speakers = PersonSerializer(many=True, source="speakers.all")
    agenda = SessionSerializer(many=True, source="sessions.all")
    calendar_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_calendar_url(self, event) -> str:
        return site_url(reverse("events:ics", args=[event.slug]))


class ExpertLinkSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.URLField()


class ExpertSerializer(serializers.Serializer):
    """The public roster entry; never the contact details or the linked account."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()
    affiliation = serializers.CharField()
    bio = serializers.CharField()
    topics = TopicSerializer(many=True, source="topics.all")
    countries = serializers.SerializerMethodField()
    languages = serializers.ListField(child=serializers.CharField())
    help_kinds = serializers.ListField(child=serializers.CharField())
    photo = serializers.SerializerMethodField()
    links = ExpertLinkSerializer(many=True, source="links.all")
    url = serializers.SerializerMethodField()

    def get_countries(self, expert) -> list[str]:
        return [str(country.code) for country in expert.countries]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo(self, expert) -> str | None:
        # The site's photo view, as the roster pages use: the file's own URL is a link the
        # bucket signs for a minute, or a /media/ path nothing serves in production.
        if not expert.photo:
            return None
        photo = reverse("members:expert_photo", args=[expert.pk])
        return site_url(f"{photo}?v={int(expert.updated_at.timestamp())}")

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, expert) -> str:
        return site_url(expert.get_absolute_url())


class ArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    issue = serializers.IntegerField(source="issue.number")
    title = serializers.CharField()
    authors = serializers.CharField(source="authors_text")
    abstract = serializers.CharField()
    pages = serializers.CharField()
    language = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField())
    topics = TopicSerializer(many=True, source="topics.all")
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, article) -> str:
        return site_url(reverse("library:article", args=[article.pk]))


class IssueSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    published_on = serializers.DateField()
    pages = serializers.IntegerField(source="pdf_pages")
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, issue) -> str:
        return site_url(reverse("library:issue", args=[issue.number]))


class IssueArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    authors = serializers.CharField(source="authors_text")
    pages = serializers.CharField()
    language = serializers.CharField()


class IssueDetailSerializer(IssueSerializer):
    articles = IssueArticleSerializer(many=True, source="articles.all")


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    title = serializers.CharField()
    abstract = serializers.CharField()
    authors = serializers.CharField(source="authors_text")
    publisher = serializers.CharField()
    published_on = serializers.DateField()
    language = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField())
    topics = TopicSerializer(many=True, source="topics.all")
    members_only = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document) -> str:
        return site_url(reverse("library:document", args=[document.pk]))


class SearchEntrySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["document", "article"], source="entry_type")
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind_label = serializers.CharField()
    title_html = serializers.CharField(help_text="The title with the matched words in <mark>.")
    snippet_html = serializers.CharField(
        allow_null=True, help_text="A passage with the matched words in <mark>."
    )
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, entry) -> str:
        name = "library:document" if entry.entry_type == "document" else "library:article"
        return site_url(reverse(name, args=[entry.pk]))


def search_entry_data(entry) -> dict:
    """SearchEntrySerializer(entry).data, made directly: a search answer holds twenty entries,
    and the serializer's fields cost more than the search that found them. The serializer stays
    what the schema describes; a test holds the two to the same output."""
    name = "library:document" if entry.entry_type == "document" else "library:article"
    snippet = entry.snippet_html
    return {
        "type": entry.entry_type,
        "id": int(entry.pk),
        "title": str(entry.title),
        "kind_label": str(entry.kind_label),
        "title_html": str(entry.title_html),
        "snippet_html": None if snippet is None else str(snippet),
        "url": site_url(reverse(name, args=[entry.pk])),
    }


class RegistrationSerializer(serializers.Serializer):
    event = EventSerializer()
    status = serializers.ChoiceField(choices=RegistrationStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    registered_at = serializers.DateTimeField(source="created_at")
    join_url = serializers.SerializerMethodField(
        help_text="Only for a confirmed place, from shortly before the start until the end."
    )
    passcode = serializers.SerializerMethodField()

    def _access(self, registration):
        return join_link_access(
            event=registration.event,
            viewer=self.context["request"].user,
            registration=registration,
        )

    def get_join_url(self, registration) -> str | None:
        return registration.event.join_url if self._access(registration).visible else None

    def get_passcode(self, registration) -> str | None:
        return registration.event.passcode if self._access(registration).visible else None


class RegistrationCreateSerializer(serializers.Serializer):
    event = serializers.SlugField(help_text="The event's slug.")


class PersonalTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Shown once: keep it; only its hash is stored.")
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()


class WebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.URLField(max_length=500)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookTopic.choices),
        min_length=1,
    )
    is_active = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)

    def validate_url(self, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise serializers.ValidationError(_("Enter an address that starts with https://."))
        return value

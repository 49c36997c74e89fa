"""/api/: the OpenAPI schema and its documentation page, the public feeds and the widget."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import feeds, widget

app_name = "api"

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(api_version="v1", versioning_class=None),
        name="schema",
    ),
    path(
        "docs/",
        # The split view serves its script from a URL, and the template keeps its style in
        # static/: the page holds nothing inline (Content-Security-Policy).
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", versioning_class=None, template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("feeds/events.ics", feeds.events_ics, name="events_ics"),
    path("feeds/library.rss", feeds.LibraryRssFeed(), name="library_rss"),
    path("feeds/library.atom", feeds.LibraryAtomFeed(), name="library_atom"),
    path("widget/events/", widget.events_widget, name="widget_events"),
]

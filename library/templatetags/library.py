from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, name: str, value) -> str:
    """The current query string with `name` set to `value`, back on the first page."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params[name] = str(value)
    return params.urlencode()


@register.simple_tag(takes_context=True)
def query_without(context, name: str) -> str:
    params = context["request"].GET.copy()
    params.pop("page", None)
    params.pop(name, None)
    return params.urlencode()


@register.simple_tag(takes_context=True)
def library_facet(context, name: str, title: str, options) -> str:
    """One filter's box of the search page: its options with their counts, each a link that
    sets the filter (or, for the chosen one, removes it). Built here rather than by a template
    per option: a search page lists up to a hundred options."""
    if not options:
        return ""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params.pop(name, None)
    without = params.urlencode()
    items = []
    for option in options:
        count = format_html('<span class="muted">({})</span>', option.count)
        if option.selected:
            remove = gettext("remove filter “%(label)s”") % {"label": option.label}
            items.append(
                format_html(
                    '<li><strong aria-current="true">{}</strong> {} '
                    '<a href="?{}" class="library-remove">{}</a></li>',
                    option.label,
                    count,
                    without,
                    remove,
                )
            )
        else:
            params[name] = str(option.value)
            items.append(
                format_html(
                    '<li><a href="?{}">{}</a> {}</li>', params.urlencode(), option.label, count
                )
            )
    return format_html(
        '<nav class="card library-facet" aria-label="{}">\n  <h3>{}</h3>\n'
        "  <ul>\n    {}\n  </ul>\n</nav>",
        title,
        title,
        mark_safe("\n    ".join(items)),
    )


def _topic_links(context, topics) -> str:
    # A topic's link is the same in every entry of the page: made once per render.
    made = context.render_context.setdefault("library_topic_links", {})
    links = []
    for topic in topics:
        link = made.get(topic.pk)
        if link is None:
            link = made[topic.pk] = format_html(
                '<li><a class="badge" href="{}">{}</a></li>',
                reverse("library:topic", args=[topic.slug]),
                topic.name,
            )
        links.append(link)
    return format_html(
        '<ul class="tags" aria-label="{}">{}</ul>', gettext("Topics"), mark_safe("".join(links))
    )


@register.simple_tag(takes_context=True)
def library_entry(context, entry) -> str:
    """One result of a search or browse page (library.search: a document or a magazine
    article, with its marked title and snippet). Built here rather than by a template: a page
    shows twenty, and a template include cost more than the search that found them."""
    if entry.entry_type == "article":
        issue = entry.issue
        kind = format_html(
            '{} · <a href="{}">{}</a>',
            gettext("Magazine article"),
            reverse("library:issue", args=[issue.number]),
            gettext("Migration 21, issue %(number)s") % {"number": issue.number},
        )
        if entry.pages:
            kind += format_html(", {}", gettext("p. %(pages)s") % {"pages": entry.pages})
        year = issue.published_on.year
        url = reverse("library:article", args=[entry.pk])
    else:
        kind = format_html("{}", entry.get_kind_display())
        if entry.members_only:
            kind += format_html(' · <span class="badge">{}</span>', gettext("Members only"))
        year = entry.published_on.year
        url = reverse("library:document", args=[entry.pk])
    parts = [
        format_html(
            '<li class="card library-entry">\n  <p class="muted library-kind">\n    {}\n'
            '    · <span lang="{}">{}</span>\n    · {}\n  </p>\n'
            '  <h2 class="library-title"><a href="{}">{}</a></h2>',
            kind,
            entry.language,
            entry.get_language_display(),
            year,
            url,
            entry.title_html,
        )
    ]
    authors, publisher = entry.authors_text, getattr(entry, "publisher", "")
    if authors or publisher:
        dash = " — " if authors and publisher else ""
        parts.append(format_html('<p class="library-byline">{}{}{}</p>', authors, dash, publisher))
    if entry.snippet_html:
        parts.append(format_html('<p class="library-snippet">{}</p>', entry.snippet_html))
    elif entry.abstract:
        abstract = Truncator(entry.abstract).words(40, truncate=" …")
        parts.append(format_html('<p class="library-snippet">{}</p>', abstract))
    if entry.topic_list:
        parts.append(_topic_links(context, entry.topic_list))
    return mark_safe("\n  ".join(parts) + "\n</li>")

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from library import selectors, services
from library.forms import SearchForm
from library.models import Article, Document, Issue
from library.search import library_search, search_groups
from members.permissions import is_member
from mirpal.countries import Country
from mirpal.fragments import cached_fragment, cached_value
from mirpal.models import Topic
from mirpal.storage import stored_file_response

PER_PAGE = 20


def _refuse(request):
    """As for members' pages: anonymous visitors log in, applicants see where they stand."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return redirect("members:account")


def _query_string(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _results_body(request, *, form: SearchForm, member: bool, fixed: dict) -> dict:
    filters = form.filters(**fixed)
    outcome = library_search(
        filters=filters,
        member=member,
        page_number=request.GET.get("page") or 1,
        per_page=PER_PAGE,
    )
    html = render_to_string(
        "library/_search_results.html",
        {
            # Not render(request=...): context processors would put per-viewer data in the cache.
            "request": request,
            "outcome": outcome,
            "page": outcome.page,
            "query_string": _query_string(request),
            "fixed": fixed,
        },
    )
    logged = bool(filters.query and not outcome.no_words and outcome.page.number == 1)
    return {"html": html, "count": outcome.count, "logged": logged}


def _group_html(group, *, filters, user) -> str:
    context = group.find(filters=filters, user=user)
    return render_to_string(group.template, context) if context else ""


def _groups(request, *, filters, member: bool, body: dict) -> list:
    """The other apps' groups of matches (library.search.search_groups), on the first page of a
    search with words only; each cached apart from the library's results, until its own data
    changes."""
    if not body["logged"]:
        return []
    return [
        cached_fragment(
            request,
            f"library:group:{group.name}",
            scopes=group.scopes,
            variant="member" if member else "public",
            render=lambda group=group: _group_html(group, filters=filters, user=request.user),
        )
        for group in search_groups()
    ]


def _results(request, *, template: str, heading_context: dict, **fixed):
    """The facets, results and pagination come from the cache, shared by every viewer of one
    language and query who sees the same documents (members see members-only ones)."""
    form = SearchForm(request.GET or None)
    member = is_member(request.user)
    filters = form.filters(**fixed)
    body = cached_value(
        request,
        # The topic or country of a browse page is in its path, not its query string.
        "library:results:" + ":".join(f"{name}={value}" for name, value in sorted(fixed.items())),
        scopes=["library"],
        variant="member" if member else "public",
        compute=lambda: _results_body(request, form=form, member=member, fixed=fixed),
    )
    if body["logged"]:
        services.search_log_record(
            query=filters.query, results_count=body["count"], language=get_language()
        )
    return render(
        request,
        template,
        {
            "form": form,
            "filters": filters,
            # Rendered by our own template, which escaped it.
            "results": mark_safe(body["html"]),
            "groups": _groups(request, filters=filters, member=member, body=body),
            "fixed": fixed,
            **heading_context,
        },
    )


def _index_body(*, member: bool) -> str:
    return render_to_string(
        "library/_index_body.html",
        {
            "issues": selectors.issues_list()[:4],
            "topics": selectors.topics_with_counts(member=member),
            "countries": selectors.countries_with_counts(member=member),
            "most_read": selectors.documents_most_read(member=member, limit=5),
            "recent": selectors.documents_recent(member=member, limit=5),
            # The search box is the same for everyone: its filter choices cost more to build
            # than the rest of the page, so it is cached with the body.
            "form": SearchForm(),
        },
    )


@require_GET
def index(request):
    member = is_member(request.user)
    body = cached_fragment(
        request,
        "library:index",
        scopes=["library"],
        variant="member" if member else "public",
        render=lambda: _index_body(member=member),
    )
    return render(request, "library/index.html", {"body": body})


@require_GET
def search(request):
    return _results(request, template="library/search.html", heading_context={})


@require_GET
def topic(request, slug):
    try:
        chosen = Topic.objects.get(slug=slug)
    except Topic.DoesNotExist as error:
        raise Http404 from error
    return _results(
        request, template="library/search.html", heading_context={"topic": chosen}, topic=slug
    )


@require_GET
def country(request, code):
    if code not in Country.values:
        raise Http404
    return _results(
        request,
        template="library/search.html",
        heading_context={"country_label": Country(code).label},
        country=code,
    )


@require_GET
def issues(request):
    return render(request, "library/issues.html", {"issues": selectors.issues_list()})


@require_GET
def issue(request, number):
    try:
        chosen = selectors.issue_detail(number=number)
    except Issue.DoesNotExist as error:
        raise Http404 from error
    return render(request, "library/issue.html", {"issue": chosen})


@require_GET
def issue_pdf(request, number):
    chosen = Issue.objects.filter(number=number).first()
    if chosen is None or not chosen.pdf:
        raise Http404
    services.issue_download_register(issue_id=chosen.pk)
    return stored_file_response(
        chosen.pdf,
        content_type="application/pdf",
        filename=f"migration21-{chosen.number}.pdf",
        signed_link=True,
    )


@require_GET
def issue_cover(request, number):
    chosen = Issue.objects.filter(number=number).first()
    if chosen is None or not chosen.cover:
        raise Http404
    content_types = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
    extension = chosen.cover.name.rsplit(".", 1)[-1]
    # Streamed, not a signed link: the answer is cached an hour, longer than a link lives.
    return stored_file_response(
        chosen.cover,
        content_type=content_types.get(extension, "application/octet-stream"),
        public_max_age=3600,
    )


@require_GET
def article(request, pk):
    try:
        chosen = selectors.article_detail(pk=pk)
    except Article.DoesNotExist as error:
        raise Http404 from error
    return render(request, "library/article.html", {"article": chosen})


@require_GET
def document(request, pk):
    try:
        chosen = selectors.document_detail(pk=pk)
    except Document.DoesNotExist as error:
        raise Http404 from error
    if chosen.members_only and not is_member(request.user):
        return _refuse(request)
    return render(request, "library/document.html", {"document": chosen})


@require_GET
def document_download(request, pk):
    """The document's file, or its external link; the URL stays the same when the file is
    replaced, and members-only files go to members only."""
    chosen = Document.objects.filter(pk=pk).first()
    if chosen is None:
        raise Http404
    if chosen.members_only and not is_member(request.user):
        return _refuse(request)
    if not chosen.file:
        if not chosen.external_url:
            raise Http404
        services.document_download_register(document_id=chosen.pk)
        return redirect(chosen.external_url)
    services.document_download_register(document_id=chosen.pk)
    return stored_file_response(
        chosen.file,
        content_type="application/pdf",
        filename=f"{chosen.slug}.pdf",
        private=chosen.members_only,
        signed_link=True,
    )


@require_GET
def most_read(request):
    member = is_member(request.user)
    return render(
        request,
        "library/most_read.html",
        {
            "documents": selectors.documents_most_read(member=member, limit=20),
            "issues": selectors.issues_most_read(limit=10),
        },
    )

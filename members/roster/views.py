from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.permissions import member_required, sees_member_emails
from members.roster import selectors, services
from members.roster.enums import ExpertRequestStatus
from members.roster.export import roster_csv_response
from members.roster.forms import (
    ExpertRequestForm,
    ExpertRequestNoteForm,
    ExpertRequestTransitionForm,
    RosterFilterForm,
)
from members.roster.models import Expert, ExpertRequest
from mirpal.fragments import cached_fragment, cached_value


def permission_required_view(permission: str):
    """Anonymous visitors go to log in; signed-in people without the permission get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


handler_required = permission_required_view(selectors.REQUESTS_PERMISSION)


# The roster's cards show experts and their topics: writes to these bump this scope
# (members.apps); the fragment is cached until one does.
ROSTER_SCOPES = ("roster",)


@dataclass(frozen=True)
class RosterLinks:
    """The links above the roster, which depend on who is looking."""

    requests: bool  # signed in: ask the secretariat, see one's own requests
    queue: bool
    export: bool

    @classmethod
    def for_viewer(cls, user) -> RosterLinks:
        return cls(
            requests=user.is_authenticated,
            queue=selectors.can_handle_requests(user),
            export=user.is_authenticated and user.has_perm(selectors.EXPORT_PERMISSION),
        )

    @property
    def variant(self) -> str:
        return "".join("1" if shown else "0" for shown in (self.requests, self.queue, self.export))


@require_GET
def roster(request):
    """The whole content, from the fragment cache: the filter form and the cards are the same for
    every viewer, and the links above them enter the key (one body per combination of links)."""
    links = RosterLinks.for_viewer(request.user)
    # The body shows no time (a photo's version is a Unix timestamp): one copy serves every zone.
    with timezone.override(None):
        body = cached_fragment(
            request,
            "members:roster",
            scopes=ROSTER_SCOPES,
            variant=links.variant,
            render=lambda: _roster_body(request, links=links),
        )
    return render(request, "members/experts/roster.html", {"body": body})


def _roster_body(request, *, links: RosterLinks) -> str:
    form = RosterFilterForm(request.GET or None, topics=selectors.roster_filter_topics())
    experts = selectors.roster_cards(filters=selectors.RosterFilters(**form.filter_values()))
    paginator = Paginator(experts, settings.EXPERTS_PAGE_SIZE)
    # Every page of one filter shares the count, so turning a page counts nothing either.
    paginator.count = cached_value(
        request,
        "members:roster:count",
        scopes=ROSTER_SCOPES,
        compute=experts.count,
        ignore_params=("page",),
    )
    page = paginator.get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    # No request: context processors would bring the viewer into a body that others are served.
    return render_to_string(
        "members/experts/_roster_body.html",
        {
            "form": form,
            "page": page,
            "query_string": query_string.urlencode(),
            "links": links,
        },
    )


@require_GET
def expert_detail(request, pk: int):
    try:
        expert = selectors.expert_for_viewer(pk=pk, viewer=request.user)
    except Expert.DoesNotExist as missing:
        raise Http404 from missing
    return render(
        request,
        "members/experts/detail.html",
        {
            "expert": expert,
            "contributions": selectors.expert_contributions(expert=expert, viewer=request.user),
            "show_contacts": selectors.can_see_contacts(request.user),
        },
    )


@require_GET
def expert_photo(request, pk: int):
    """The photo through a view: uploads are not served from MEDIA_URL in production."""
    try:
        expert = selectors.expert_for_viewer(pk=pk, viewer=request.user)
        if not expert.photo:
            raise Http404
        with expert.photo.open("rb") as photo:
            content = photo.read()
    except (Expert.DoesNotExist, FileNotFoundError) as missing:
        raise Http404 from missing
    content_type = mimetypes.guess_type(expert.photo.name)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@member_required
@require_GET
def expert_requests(request):
    return render(
        request,
        "members/experts/requests.html",
        {"requests": selectors.expert_requests_of(user=request.user)[:200]},
    )


@member_required
@require_http_methods(["GET", "POST"])
def expert_request_new(request):
    form = ExpertRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.expert_request_create(requester=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your request has been sent to the secretariat. We have mailed you a copy."),
            )
            return redirect("members:expert_request_detail", pk=created.pk)
    return render(request, "members/experts/request_form.html", {"form": form})


def _request_or_404(request, pk: int) -> ExpertRequest:
    try:
        return selectors.expert_request_for_viewer(pk=pk, viewer=request.user)
    except ExpertRequest.DoesNotExist as missing:
        raise Http404 from missing


def _detail_context(request, expert_request: ExpertRequest, **forms) -> dict:
    context = {
        "expert_request": expert_request,
        "history": selectors.expert_request_history(request=expert_request, viewer=request.user),
        "handles": selectors.can_handle_requests(request.user),
    }
    if context["handles"]:
        ranking = selectors.expert_request_ranking(request=expert_request)
        context["ranking"] = ranking
        context["transition_form"] = forms.get("transition_form") or _transition_form(
            expert_request, ranking
        )
        context["note_form"] = forms.get("note_form") or ExpertRequestNoteForm()
    return context


def _transition_form(expert_request, ranking, data=None) -> ExpertRequestTransitionForm:
    ids = [ranked.expert.pk for ranked in ranking]
    if expert_request.matched_expert_id:
        ids.append(expert_request.matched_expert_id)
    return ExpertRequestTransitionForm(
        data, status=expert_request.status, experts=Expert.objects.filter(pk__in=ids)
    )


@member_required
@require_GET
def expert_request_detail(request, pk: int):
    expert_request = _request_or_404(request, pk)
    return render(
        request, "members/experts/request_detail.html", _detail_context(request, expert_request)
    )


@handler_required
@require_POST
def expert_request_transition(request, pk: int):
    expert_request = _request_or_404(request, pk)
    ranking = selectors.expert_request_ranking(request=expert_request)
    form = _transition_form(expert_request, ranking, data=request.POST)
    if form.is_valid():
        try:
            services.expert_request_transition(
                request=expert_request,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                note=form.cleaned_data["note"],
                expert=form.cleaned_data["expert"],
            )
        except services.ExpertRequestError:
            messages.error(
                request, _("The request has changed in the meantime; it was not moved. Try again.")
            )
        else:
            messages.success(
                request,
                _("The request is now “%(status)s”; the requester has been mailed.")
                % {"status": ExpertRequestStatus(expert_request.status).label},
            )
        return redirect("members:expert_request_detail", pk=expert_request.pk)
    context = _detail_context(request, expert_request, transition_form=form)
    return render(request, "members/experts/request_detail.html", context, status=400)


@handler_required
@require_POST
def expert_request_note(request, pk: int):
    expert_request = _request_or_404(request, pk)
    form = ExpertRequestNoteForm(request.POST)
    if form.is_valid():
        services.expert_request_note_add(
            request=expert_request, by=request.user, note=form.cleaned_data["note"]
        )
        messages.success(request, _("Your note has been kept."))
        return redirect("members:expert_request_detail", pk=expert_request.pk)
    context = _detail_context(request, expert_request, note_form=form)
    return render(request, "members/experts/request_detail.html", context, status=400)


@handler_required
@require_GET
def expert_request_queue(request):
    status = request.GET.get("status", "")
    if status not in ExpertRequestStatus.values:
        status = ""
    page = Paginator(selectors.expert_request_queue(status=status), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "members/experts/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": ExpertRequestStatus.choices,
            "query_string": f"status={status}" if status else "",
        },
    )


@permission_required_view(selectors.EXPORT_PERMISSION)
@require_GET
def roster_export(request):
    return roster_csv_response(
        selectors.roster_export_rows(), show_member_emails=sees_member_emails(request.user)
    )
